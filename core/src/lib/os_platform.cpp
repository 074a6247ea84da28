// Platform services and result conventions for the os and io libraries; see os_platform.h.
#include "lib/os_platform.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include <sys/wait.h>
#include <unistd.h>

namespace lunette {

// ---- platform -----------------------------------------------------------------------------

#ifdef __EMSCRIPTEN__

// A browser has neither a shell nor processes: report "Function not implemented".
int runShellCommand(const char* command) {
  if (command == nullptr) return 0;
  errno = ENOSYS;
  return -1;
}
bool pipesSupported() { return false; }
std::FILE* openPipe(const char*, const char*) {
  errno = ENOSYS;
  return nullptr;
}
int closePipe(std::FILE*) { return -1; }

#else

int runShellCommand(const char* command) { return std::system(command); }
bool pipesSupported() { return true; }
std::FILE* openPipe(const char* command, const char* mode) {
  std::fflush(nullptr);  // the child inherits our descriptors; write our pending output first
  return ::popen(command, mode);
}
int closePipe(std::FILE* pipe) { return ::pclose(pipe); }

#endif

std::optional<std::string> makeTemporaryName() {
  char name[] = "/tmp/lua_XXXXXX";
  const int fd = ::mkstemp(name);
  if (fd == -1) return std::nullopt;
  ::close(fd);
  return std::string(name);
}

// ---- results ------------------------------------------------------------------------------

int pushFileResult(Lua& L, bool ok, const char* filename, int error) {
  if (ok) {
    L.pushBoolean(true);
    return 1;
  }
  L.pushNil();
  std::string message;
  if (filename != nullptr) {
    message = filename;
    message += ": ";
  }
  message += std::strerror(error);
  L.pushString(message);
  L.pushInteger(error);
  return 3;
}

int pushExecResult(Lua& L, int status, int error) {
  if (status != 0 && error != 0) return pushFileResult(L, false, nullptr, error);
  std::string_view how = "exit";
  if (WIFEXITED(status)) {
    status = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    status = WTERMSIG(status);
    how = "signal";
  }
  if (how == "exit" && status == 0) {
    L.pushBoolean(true);
  } else {
    L.pushNil();
  }
  L.pushString(how);
  L.pushInteger(status);
  return 3;
}

}  // namespace lunette
