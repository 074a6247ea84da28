// Reading a whole file (or stdin when the name is null) into a string: loadfile, dofile and the
// CLI's script loading share it.
#pragma once

#include <string>

namespace lunette {

bool readWholeFile(const char* name, std::string& out);

// A first line starting with '#' (a Unix "#!" line) is not Lua: it becomes an empty line, so
// line numbers stay those of the file, as the reference's loadfile does; before a binary chunk
// it is dropped with its newline.
void skipCommentLine(std::string& source);

}  // namespace lunette
