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

}  // namespace lunette
