// The operating-system seam of the os and io libraries, plus the result conventions they share.
//
// Everything that does not exist in a browser (a shell, pipes) or that Emscripten's C library
// does differently from glibc is behind the functions in the first half; os_platform.cpp is the
// only place that tests __EMSCRIPTEN__. The invariant: a script prints the same natively
// (glibc, x86-64 Linux, as the reference lua5.4) and in WebAssembly, except where the browser
// lacks the service itself. So in WebAssembly:
//   - errno values are reported with Linux's numbers and glibc's messages (Emscripten numbers
//     them as WASI does: ENOENT is 44), and a stream error that set no errno (musl's read on a
//     write-only stream) is EBADF, as glibc reports it;
//   - local time is UTC shifted by the offset the JavaScript host reports for that instant
//     (its time zone's rules as far as JS Date reaches, the current offset beyond), named
//     "UTC" when the offset is 0; the calendar arithmetic is ours (os_date.h) in both builds.
//     In a host zone other than UTC three things may still differ from glibc: %Z (the host's
//     long names, "Eastern Standard Time" for "EST"), a local time inside a DST gap or
//     overlap, and an isdst field that contradicts the zone (glibc honours it, we do not);
//   - os.setlocale knows only the "C" locale ("C", "POSIX" and "" select it), and os.date
//     always formats in it;
//   - os.clock is the time since its first reading (there is no processor time), in
//     microseconds rather than Emscripten's whole milliseconds;
//   - a shell and pipes do not exist: os.execute() is false, os.execute(cmd) fails with ENOSYS
//     (38, "Function not implemented"), io.popen raises "'popen' not supported".
// The second half turns C results into Lua results the way the reference's auxiliary library
// does:
//   pushFileResult: true, or fail + "name: strerror" (or just strerror) + errno;
//   pushExecResult: true/fail + "exit"/"signal" + code, for os.execute and pipe closes.
#pragma once

#include <cstdint>
#include <cstdio>
#include <ctime>
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

// rename(): replaces an existing `to` (Emscripten's in-memory file system would otherwise keep
// the replaced file reachable under its name).
int renameFile(const char* from, const char* to);

// An errno value as Linux numbers it, and glibc's message for it.
int errorNumber(int error);
std::string errorMessage(int error);

// The errno of a failed stream operation, for callers that cleared errno before it.
int streamErrno();

// setlocale(); null when the locale is unknown here.
const char* setLocale(int category, const char* name);

// os.clock: the processor time the program has used, in seconds (clock()). In WebAssembly,
// where there is no processor time, the time since the first reading, in microseconds.
double processSeconds();

// Whether os.date formats in the "C" locale (then os_date.cpp expands it itself).
bool timeLocaleIsC();

// localtime and mktime: the broken-down local time of `seconds` (nullopt when its year does not
// fit tm_year), and the time of local `fields` normalised in place (-1 when not representable,
// like mktime).
std::optional<std::tm> localFields(int64_t seconds);
int64_t localSeconds(std::tm& fields);


// ---- results ------------------------------------------------------------------------------

// `error` is the errno captured right after the failing call. Returns the number of results.
int pushFileResult(Lua& L, bool ok, const char* filename, int error);
int pushExecResult(Lua& L, int status, int error);

}  // namespace lunette
