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
  source = eol == std::string::npos ? std::string() : "\n" + source.substr(eol + 1);
}

}  // namespace lunette
