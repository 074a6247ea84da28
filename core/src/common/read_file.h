// Reading a whole file (or stdin when the name is null) into a string: loadfile, dofile and the
// CLI's script loading share it.
#pragma once

#include <string>

namespace lunette {

bool readWholeFile(const char* name, std::string& out);

}  // namespace lunette
