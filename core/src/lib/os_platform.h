// The operating-system seam of the os and io libraries, plus the result conventions they share.
//
// Everything that does not exist in a browser (a shell, pipes) is behind the functions in the
// first half; os_platform.cpp is the only place that tests __EMSCRIPTEN__. The second half turns
// C results into Lua results the way the reference's auxiliary library does:
//   pushFileResult: true, or fail + "name: strerror" (or just strerror) + errno;
//   pushExecResult: true/fail + "exit"/"signal" + code, for os.execute and pipe closes.
#pragma once

#include <cstdio>
#include <optional>
#include <string>

#include "vm/api.h"

namespace lunette {

// ---- platform -----------------------------------------------------------------------------

// system(): with a null command, nonzero if a shell exists. Sets errno on failure.
int runShellCommand(const char* command);

// Whether popen works here; io.popen raises "'popen' not supported" when it does not.
bool pipesSupported();
std::FILE* openPipe(const char* command, const char* mode);  // null + errno on failure
int closePipe(std::FILE* pipe);                               // the wait status

// A fresh temporary file name (the file is created empty, like mkstemp); nullopt on failure.
std::optional<std::string> makeTemporaryName();


// ---- results ------------------------------------------------------------------------------

// `error` is the errno captured right after the failing call. Returns the number of results.
int pushFileResult(Lua& L, bool ok, const char* filename, int error);
int pushExecResult(Lua& L, int status, int error);

}  // namespace lunette
