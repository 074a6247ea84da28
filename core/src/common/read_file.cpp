// See read_file.h.
#include "common/read_file.h"

#include <cstdio>

namespace lunette {

bool readWholeFile(const char* name, std::string& out) {
  FILE* f = name ? std::fopen(name, "rb") : stdin;
  if (!f) return false;
  char buffer[8192];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) out.append(buffer, n);
  if (name) std::fclose(f);
  return true;
}

void skipCommentLine(std::string& source) {
  if (source.empty() || source[0] != '#') return;
  size_t eol = source.find('\n');
  if (eol == std::string::npos) {
    source.clear();
    return;
  }
  std::string rest = source.substr(eol + 1);
  // A text chunk keeps a newline so that its line numbers stay those of the file; a binary
  // chunk must start with its signature.
  source = !rest.empty() && rest.front() == '\x1b' ? std::move(rest) : "\n" + rest;
}

}  // namespace lunette
