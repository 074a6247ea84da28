// Platform services and result conventions for the os and io libraries; see os_platform.h.
#include "lib/os_platform.h"

#include <cerrno>
#include <clocale>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/os_date.h"

#ifdef __EMSCRIPTEN__
#include <emscripten/emscripten.h>
#endif

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

// Emscripten's MEMFS moves the renamed node over the target but leaves the target's node in its
// name table, where later lookups still find it; removing a replaced file first avoids that.
// Only plain replacements qualify: a directory target, or the same file twice, keep rename's
// own answer.
int renameFile(const char* from, const char* to) {
  struct stat source;
  struct stat target;
  if (::stat(from, &source) == 0 && ::stat(to, &target) == 0 && !S_ISDIR(source.st_mode) &&
      !S_ISDIR(target.st_mode) && source.st_ino != target.st_ino) {
    ::unlink(to);
  }
  return std::rename(from, to);
}

namespace {

struct ErrnoEntry {
  int local;            // Emscripten's value (WASI numbering)
  int linux;            // the same error on Linux
  const char* message;  // glibc's strerror text
};

// Every errno Emscripten defines that Linux also has (EHWPOISON is Linux-only).
constexpr ErrnoEntry kErrnoTable[] = {
    {EPERM, 1, "Operation not permitted"},
    {ENOENT, 2, "No such file or directory"},
    {ESRCH, 3, "No such process"},
    {EINTR, 4, "Interrupted system call"},
    {EIO, 5, "Input/output error"},
    {ENXIO, 6, "No such device or address"},
    {E2BIG, 7, "Argument list too long"},
    {ENOEXEC, 8, "Exec format error"},
    {EBADF, 9, "Bad file descriptor"},
    {ECHILD, 10, "No child processes"},
    {EAGAIN, 11, "Resource temporarily unavailable"},
    {EWOULDBLOCK, 11, "Resource temporarily unavailable"},
    {ENOMEM, 12, "Cannot allocate memory"},
    {EACCES, 13, "Permission denied"},
    {EFAULT, 14, "Bad address"},
    {ENOTBLK, 15, "Block device required"},
    {EBUSY, 16, "Device or resource busy"},
    {EEXIST, 17, "File exists"},
    {EXDEV, 18, "Invalid cross-device link"},
    {ENODEV, 19, "No such device"},
    {ENOTDIR, 20, "Not a directory"},
    {EISDIR, 21, "Is a directory"},
    {EINVAL, 22, "Invalid argument"},
    {ENFILE, 23, "Too many open files in system"},
    {EMFILE, 24, "Too many open files"},
    {ENOTTY, 25, "Inappropriate ioctl for device"},
    {ETXTBSY, 26, "Text file busy"},
    {EFBIG, 27, "File too large"},
    {ENOSPC, 28, "No space left on device"},
    {ESPIPE, 29, "Illegal seek"},
    {EROFS, 30, "Read-only file system"},
    {EMLINK, 31, "Too many links"},
    {EPIPE, 32, "Broken pipe"},
    {EDOM, 33, "Numerical argument out of domain"},
    {ERANGE, 34, "Numerical result out of range"},
    {EDEADLK, 35, "Resource deadlock avoided"},
    {EDEADLOCK, 35, "Resource deadlock avoided"},
    {ENAMETOOLONG, 36, "File name too long"},
    {ENOLCK, 37, "No locks available"},
    {ENOSYS, 38, "Function not implemented"},
    {ENOTEMPTY, 39, "Directory not empty"},
    {ELOOP, 40, "Too many levels of symbolic links"},
    {ENOMSG, 42, "No message of desired type"},
    {EIDRM, 43, "Identifier removed"},
    {ECHRNG, 44, "Channel number out of range"},
    {EL2NSYNC, 45, "Level 2 not synchronized"},
    {EL3HLT, 46, "Level 3 halted"},
    {EL3RST, 47, "Level 3 reset"},
    {ELNRNG, 48, "Link number out of range"},
    {EUNATCH, 49, "Protocol driver not attached"},
    {ENOCSI, 50, "No CSI structure available"},
    {EL2HLT, 51, "Level 2 halted"},
    {EBADE, 52, "Invalid exchange"},
    {EBADR, 53, "Invalid request descriptor"},
    {EXFULL, 54, "Exchange full"},
    {ENOANO, 55, "No anode"},
    {EBADRQC, 56, "Invalid request code"},
    {EBADSLT, 57, "Invalid slot"},
    {EBFONT, 59, "Bad font file format"},
    {ENOSTR, 60, "Device not a stream"},
    {ENODATA, 61, "No data available"},
    {ETIME, 62, "Timer expired"},
    {ENOSR, 63, "Out of streams resources"},
    {ENONET, 64, "Machine is not on the network"},
    {ENOPKG, 65, "Package not installed"},
    {EREMOTE, 66, "Object is remote"},
    {ENOLINK, 67, "Link has been severed"},
    {EADV, 68, "Advertise error"},
    {ESRMNT, 69, "Srmount error"},
    {ECOMM, 70, "Communication error on send"},
    {EPROTO, 71, "Protocol error"},
    {EMULTIHOP, 72, "Multihop attempted"},
    {EDOTDOT, 73, "RFS specific error"},
    {EBADMSG, 74, "Bad message"},
    {EOVERFLOW, 75, "Value too large for defined data type"},
    {ENOTUNIQ, 76, "Name not unique on network"},
    {EBADFD, 77, "File descriptor in bad state"},
    {EREMCHG, 78, "Remote address changed"},
    {ELIBACC, 79, "Can not access a needed shared library"},
    {ELIBBAD, 80, "Accessing a corrupted shared library"},
    {ELIBSCN, 81, ".lib section in a.out corrupted"},
    {ELIBMAX, 82, "Attempting to link in too many shared libraries"},
    {ELIBEXEC, 83, "Cannot exec a shared library directly"},
    {EILSEQ, 84, "Invalid or incomplete multibyte or wide character"},
    {ERESTART, 85, "Interrupted system call should be restarted"},
    {ESTRPIPE, 86, "Streams pipe error"},
    {EUSERS, 87, "Too many users"},
    {ENOTSOCK, 88, "Socket operation on non-socket"},
    {EDESTADDRREQ, 89, "Destination address required"},
    {EMSGSIZE, 90, "Message too long"},
    {EPROTOTYPE, 91, "Protocol wrong type for socket"},
    {ENOPROTOOPT, 92, "Protocol not available"},
    {EPROTONOSUPPORT, 93, "Protocol not supported"},
    {ESOCKTNOSUPPORT, 94, "Socket type not supported"},
    {ENOTSUP, 95, "Operation not supported"},
    {EOPNOTSUPP, 95, "Operation not supported"},
    {EPFNOSUPPORT, 96, "Protocol family not supported"},
    {EAFNOSUPPORT, 97, "Address family not supported by protocol"},
    {EADDRINUSE, 98, "Address already in use"},
    {EADDRNOTAVAIL, 99, "Cannot assign requested address"},
    {ENETDOWN, 100, "Network is down"},
    {ENETUNREACH, 101, "Network is unreachable"},
    {ENETRESET, 102, "Network dropped connection on reset"},
    {ECONNABORTED, 103, "Software caused connection abort"},
    {ECONNRESET, 104, "Connection reset by peer"},
    {ENOBUFS, 105, "No buffer space available"},
    {EISCONN, 106, "Transport endpoint is already connected"},
    {ENOTCONN, 107, "Transport endpoint is not connected"},
    {ESHUTDOWN, 108, "Cannot send after transport endpoint shutdown"},
    {ETOOMANYREFS, 109, "Too many references: cannot splice"},
    {ETIMEDOUT, 110, "Connection timed out"},
    {ECONNREFUSED, 111, "Connection refused"},
    {EHOSTDOWN, 112, "Host is down"},
    {EHOSTUNREACH, 113, "No route to host"},
    {EALREADY, 114, "Operation already in progress"},
    {EINPROGRESS, 115, "Operation now in progress"},
    {ESTALE, 116, "Stale file handle"},
    {EUCLEAN, 117, "Structure needs cleaning"},
    {ENOTNAM, 118, "Not a XENIX named type file"},
    {ENAVAIL, 119, "No XENIX semaphores available"},
    {EISNAM, 120, "Is a named type file"},
    {EREMOTEIO, 121, "Remote I/O error"},
    {EDQUOT, 122, "Disk quota exceeded"},
    {ENOMEDIUM, 123, "No medium found"},
    {EMEDIUMTYPE, 124, "Wrong medium type"},
    {ECANCELED, 125, "Operation canceled"},
    {ENOKEY, 126, "Required key not available"},
    {EKEYEXPIRED, 127, "Key has expired"},
    {EKEYREVOKED, 128, "Key has been revoked"},
    {EKEYREJECTED, 129, "Key was rejected by service"},
    {EOWNERDEAD, 130, "Owner died"},
    {ENOTRECOVERABLE, 131, "State not recoverable"},
    {ERFKILL, 132, "Operation not possible due to RF-kill"},
};

const ErrnoEntry* findErrno(int error) {
  for (const ErrnoEntry& entry : kErrnoTable) {
    if (entry.local == error) return &entry;
  }
  return nullptr;
}

// Beyond JavaScript's Date range (+-8.64e15 ms) the host reports no offset; stay inside it.
constexpr int64_t kHostTimeLimit = 8'640'000'000'000 - 2 * 86400;

struct HostZone {
  long offset = 0;  // seconds east of UTC
  int isdst = 0;
  const char* name = "UTC";
};

// The host's zone at `seconds`, or the current one when that is outside the host's range (or
// Emscripten's 32-bit time_t). An offset of 0 is named "UTC", as glibc names Etc/UTC.
HostZone hostZone(int64_t seconds) {
  std::time_t at = static_cast<std::time_t>(seconds);
  if (seconds > kHostTimeLimit || seconds < -kHostTimeLimit || at != seconds) {
    at = std::time(nullptr);
  }
  std::tm host{};
  if (::localtime_r(&at, &host) == nullptr || host.tm_gmtoff == 0) return {};
  return {host.tm_gmtoff, host.tm_isdst > 0 ? 1 : 0, host.tm_zone != nullptr ? host.tm_zone : ""};
}

}  // namespace

int errorNumber(int error) {
  const ErrnoEntry* entry = findErrno(error);
  return entry != nullptr ? entry->linux : error;
}

std::string errorMessage(int error) {
  const ErrnoEntry* entry = findErrno(error);
  if (entry != nullptr) return entry->message;
  if (error == 0) return "Success";
  return "Unknown error " + std::to_string(error);
}

// Only the "C" locale exists; the environment's ("") is taken to be it.
const char* setLocale(int, const char* name) {
  if (name == nullptr) return "C";
  const std::string_view requested = name;
  if (requested.empty() || requested == "C" || requested == "POSIX") return "C";
  return nullptr;
}

bool timeLocaleIsC() { return true; }

// Emscripten's clock() counts whole milliseconds of Date.now() since its first call, too coarse
// to time a collector step or a loop iteration with; performance.now() (emscripten_get_now)
// gives microseconds in Node and 5-100 microseconds in browsers. Counted, as Emscripten's
// clock() counts, from the first reading.
double processSeconds() {
  static const double firstReadingMs = emscripten_get_now();
  return (emscripten_get_now() - firstReadingMs) / 1000;
}

std::optional<std::tm> localFields(int64_t seconds) {
  const HostZone zone = hostZone(seconds);
  std::optional<std::tm> fields = utcFields(seconds + zone.offset);
  if (!fields) return std::nullopt;
  fields->tm_isdst = zone.isdst;
  fields->tm_gmtoff = zone.offset;
  fields->tm_zone = zone.name;
  return fields;
}

// The local fields read as UTC, shifted back by the offset in force then; a second look at the
// offset settles times near a change of offset.
int64_t localSeconds(std::tm& fields) {
  std::tm work = fields;
  const std::optional<int64_t> asUtc = utcSeconds(work);
  if (!asUtc) return -1;
  int64_t result = *asUtc - hostZone(*asUtc).offset;
  result = *asUtc - hostZone(result).offset;
  std::optional<std::tm> normalised = localFields(result);
  if (!normalised) return -1;
  fields = *normalised;
  return result;
}

#else

int runShellCommand(const char* command) { return std::system(command); }
bool pipesSupported() { return true; }
std::FILE* openPipe(const char* command, const char* mode) {
  std::fflush(nullptr);  // the child inherits our descriptors; write our pending output first
  return ::popen(command, mode);
}
int closePipe(std::FILE* pipe) { return ::pclose(pipe); }

int renameFile(const char* from, const char* to) { return std::rename(from, to); }
int errorNumber(int error) { return error; }
std::string errorMessage(int error) { return std::strerror(error); }
const char* setLocale(int category, const char* name) { return std::setlocale(category, name); }

double processSeconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

bool timeLocaleIsC() {
  const char* name = std::setlocale(LC_TIME, nullptr);
  return name != nullptr && (std::strcmp(name, "C") == 0 || std::strcmp(name, "POSIX") == 0);
}

std::optional<std::tm> localFields(int64_t seconds) {
  const auto at = static_cast<std::time_t>(seconds);
  std::tm fields{};
  if (::localtime_r(&at, &fields) == nullptr) return std::nullopt;
  return fields;
}

int64_t localSeconds(std::tm& fields) { return static_cast<int64_t>(std::mktime(&fields)); }

#endif

// musl fails a read on a write-only stream (and a write on a read-only one) without setting
// errno, where glibc sets EBADF.
int streamErrno() { return errno != 0 ? errno : EBADF; }

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
  message += errorMessage(error);
  L.pushString(message);
  L.pushInteger(errorNumber(error));
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
