// The `io` library (manual section 6.8) and the methods of file handles.
//
// A file handle is a full userdata holding a Stream, with the registry metatable "FILE*".
// Invariants:
//  - `closer == Closer::Closed` exactly when the handle is closed; `file` is then meaningless.
//  - The standard handles (io.stdin/stdout/stderr) have Closer::Standard and are never closed:
//    closing one answers fail, "cannot close standard file".
//  - A handle with a Sink writes through the state's sinks, not its FILE*: io.stdout (and
//    io.write while it is the default output) goes to L.writeOutput, like print, so the browser
//    sees it; io.stderr goes to L.writeError. Reading and seeking still use the C stream.
//  - The default input and output handles live in the registry under "_IO_input" and
//    "_IO_output", which keeps them alive.
// Failures of the C library come back as fail, message, errno (message prefixed with the file
// name for open); misuse raises. __gc and __close close a handle that is still open.
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <new>
#include <optional>
#include <string>

#include "common/numconv.h"
#include "lib/libs.h"
#include "lib/os_platform.h"

namespace lunette {

namespace {

constexpr std::string_view kFileHandle = "FILE*";
constexpr std::string_view kInputKey = "_IO_input";
constexpr std::string_view kOutputKey = "_IO_output";

// Chunk size for reading; also the default setvbuf size (the reference's LUAL_BUFFERSIZE).
constexpr size_t kBufferSize = 1024;
// Longest numeral io.read("n") accepts (the reference's L_MAXLENNUM).
constexpr size_t kMaxNumeralLength = 200;
// Most formats a lines iterator can keep (the reference's MAXARGLINE).
constexpr int kMaxLinesFormats = 250;
// Stack headroom the reference reserves for a read besides its results (LUA_MINSTACK).
constexpr int kReadHeadroom = 20;

struct Stream {
  enum class Closer : uint8_t { Closed, File, Pipe, Standard };
  enum class Sink : uint8_t { None, Output, Error };

  std::FILE* file = nullptr;
  Closer closer = Closer::Closed;
  Sink sink = Sink::None;

  bool isClosed() const { return closer == Closer::Closed; }
};

// ---- handles ------------------------------------------------------------------------------

Stream& checkStream(Lua& L) { return *static_cast<Stream*>(L.checkUserdata(1, kFileHandle)); }

// The open stream at argument 1.
Stream& checkOpenStream(Lua& L) {
  Stream& stream = checkStream(L);
  if (stream.isClosed()) L.raise("attempt to use a closed file");
  return stream;
}

// Pushes a new handle in the closed state (so a failure before the open leaves nothing to
// close at collection).
Stream& newStream(Lua& L) {
  auto* stream = new (L.newUserdata(sizeof(Stream))) Stream();
  L.setMetatableByName(kFileHandle);
  return *stream;
}

// Pushes a handle for fopen(name, mode) or raises "cannot open file".
Stream& openOrRaise(Lua& L, const std::string& name, const char* mode) {
  Stream& stream = newStream(L);
  stream.file = std::fopen(name.c_str(), mode);
  if (stream.file == nullptr) {
    const int error = errno;
    L.raise("cannot open file '" + name + "' (" + errorMessage(error) + ")");
  }
  stream.closer = Stream::Closer::File;
  return stream;
}

// Closes the handle at argument 1 (open, checked by the caller) and pushes close's results.
int closeStream(Lua& L) {
  Stream& stream = checkStream(L);
  const Stream::Closer closer = stream.closer;
  stream.closer = Stream::Closer::Closed;
  switch (closer) {
    case Stream::Closer::File: {
      const bool ok = std::fclose(stream.file) == 0;
      const int error = errno;
      return pushFileResult(L, ok, nullptr, error);
    }
    case Stream::Closer::Pipe: {
      errno = 0;
      const int status = closePipe(stream.file);
      const int error = errno;
      return pushExecResult(L, status, error);
    }
    case Stream::Closer::Standard:
      stream.closer = Stream::Closer::Standard;  // stays open
      L.pushNil();
      L.pushString("cannot close standard file");
      return 2;
    case Stream::Closer::Closed:
      break;
  }
  return 0;
}

// The default input or output handle; raises if it has been closed.
Stream& defaultStream(Lua& L, std::string_view key) {
  L.getField(kRegistryIndex, key);
  auto* stream = static_cast<Stream*>(L.toUserdata(-1));
  if (stream->isClosed()) {
    L.raise(std::string("default ") + (key == kInputKey ? "input" : "output") + " file is closed");
  }
  return *stream;
}

// ---- writing ------------------------------------------------------------------------------

bool writeText(Lua& L, Stream& stream, std::string_view text) {
  switch (stream.sink) {
    case Stream::Sink::Output:
      L.writeOutput(text);
      return true;
    case Stream::Sink::Error:
      L.writeError(text);
      return true;
    case Stream::Sink::None:
      break;
  }
  return std::fwrite(text.data(), 1, text.size(), stream.file) == text.size();
}

// Writes arguments arg..top-1 (strings or numbers) and answers with the handle that the caller
// left on the top, or with fail, message, errno. As in the reference, every argument is
// checked, numbers are always written, and strings stop being written after a failure.
int writeArguments(Lua& L, Stream& stream, int arg) {
  const int last = L.top() - 1;  // the handle is on the top
  bool ok = true;
  errno = 0;  // see streamErrno
  for (; arg <= last; ++arg) {
    if (L.type(arg) == Type::Number) {
      // Numbers use the C formats directly ("%.14g": 1.0 is written "1"), as the reference.
      char buffer[64];
      const int length = L.isInteger(arg)
                             ? std::snprintf(buffer, sizeof buffer, "%lld",
                                             static_cast<long long>(*L.toInteger(arg)))
                             : std::snprintf(buffer, sizeof buffer, "%.14g", *L.toNumber(arg));
      const std::string_view text(buffer, static_cast<size_t>(length));
      const bool written = writeText(L, stream, text);
      ok = ok && written;
    } else {
      const std::string_view text = L.checkString(arg);
      ok = ok && writeText(L, stream, text);
    }
  }
  if (ok) return 1;
  const int error = streamErrno();
  return pushFileResult(L, false, nullptr, error);
}

bool flushStream(Stream& stream) { return std::fflush(stream.file) == 0; }

// ---- reading ------------------------------------------------------------------------------

// Reads a numeral the way the reference does: at most kMaxNumeralLength characters that can
// form a number, with one character of look-ahead pushed back; then converts it.
class NumeralReader {
 public:
  explicit NumeralReader(std::FILE* file) : file_(file) {}

  std::optional<ParsedNumber> read() {
    do {
      current_ = std::getc(file_);
    } while (std::isspace(current_));
    acceptEither('-', '+');
    int digits = 0;
    bool hex = false;
    if (acceptEither('0', '0')) {
      if (acceptEither('x', 'X')) {
        hex = true;
      } else {
        digits = 1;  // the leading 0 is a digit
      }
    }
    digits += acceptDigits(hex);
    if (acceptEither('.', '.')) digits += acceptDigits(hex);
    if (digits > 0 && (hex ? acceptEither('p', 'P') : acceptEither('e', 'E'))) {
      acceptEither('-', '+');
      acceptDigits(false);
    }
    std::ungetc(current_, file_);
    if (tooLong_) return std::nullopt;
    return parseNumber(text_);
  }

 private:
  // Consumes the current character into the numeral; false once the numeral is too long.
  bool accept() {
    if (text_.size() >= kMaxNumeralLength) {
      tooLong_ = true;
      return false;
    }
    text_.push_back(static_cast<char>(current_));
    current_ = std::getc(file_);
    return true;
  }
  bool acceptEither(char a, char b) { return (current_ == a || current_ == b) && accept(); }
  int acceptDigits(bool hex) {
    int count = 0;
    while ((hex ? std::isxdigit(current_) : std::isdigit(current_)) && accept()) ++count;
    return count;
  }

  std::FILE* file_;
  int current_ = EOF;
  std::string text_;
  bool tooLong_ = false;
};

bool readNumber(Lua& L, std::FILE* file) {
  std::optional<ParsedNumber> number = NumeralReader(file).read();
  if (!number) {
    L.pushNil();
    return false;
  }
  if (number->isInteger) {
    L.pushInteger(number->integer);
  } else {
    L.pushNumber(number->number);
  }
  return true;
}

// Pushes the next line (with its '\n' unless `chop`); false at end of file with nothing read.
bool readLine(Lua& L, std::FILE* file, bool chop) {
  std::string line;
  int c;
  while ((c = std::getc(file)) != EOF && c != '\n') line.push_back(static_cast<char>(c));
  if (!chop && c == '\n') line.push_back('\n');
  L.pushString(line);
  return c == '\n' || !line.empty();
}

void readAll(Lua& L, std::FILE* file) {
  std::string text;
  char buffer[kBufferSize];
  size_t got;
  do {
    got = std::fread(buffer, 1, sizeof buffer, file);
    text.append(buffer, got);
  } while (got == sizeof buffer);
  L.pushString(text);
}

// Reads up to `count` bytes, in chunks so that a huge count costs only what the file holds.
bool readBytes(Lua& L, std::FILE* file, uint64_t count) {
  std::string text;
  char buffer[kBufferSize];
  while (count > 0) {
    const size_t want = count < sizeof buffer ? static_cast<size_t>(count) : sizeof buffer;
    const size_t got = std::fread(buffer, 1, want, file);
    text.append(buffer, got);
    if (got < want) break;
    count -= got;
  }
  L.pushString(text);
  return !text.empty();
}

// read(0): "" unless at end of file.
bool testEndOfFile(Lua& L, std::FILE* file) {
  const int c = std::getc(file);
  std::ungetc(c, file);
  L.pushString("");
  return c != EOF;
}

// Reads one value per format at first..top (a line when there is none). Stops at the first
// failure, which yields nil in its place; a stream error yields fail, message, errno.
int readFormats(Lua& L, std::FILE* file, int first) {
  int remaining = L.top() - 1;
  int n;
  bool ok = true;
  std::clearerr(file);
  errno = 0;  // see streamErrno
  if (remaining == 0) {
    ok = readLine(L, file, true);
    n = first + 1;
  } else {
    L.checkStack(remaining + kReadHeadroom, "too many arguments");
    for (n = first; remaining-- > 0 && ok; ++n) {
      if (L.type(n) == Type::Number) {
        const auto count = static_cast<uint64_t>(L.checkInteger(n));
        ok = count == 0 ? testEndOfFile(L, file) : readBytes(L, file, count);
        continue;
      }
      std::string_view format = L.checkString(n);
      if (!format.empty() && format.front() == '*') format.remove_prefix(1);  // 5.2 style
      switch (format.empty() ? '\0' : format.front()) {
        case 'n':
          ok = readNumber(L, file);
          break;
        case 'l':
          ok = readLine(L, file, true);
          break;
        case 'L':
          ok = readLine(L, file, false);
          break;
        case 'a':
          readAll(L, file);
          ok = true;
          break;
        default:
          L.argError(n, "invalid format");
      }
    }
  }
  if (std::ferror(file)) {
    const int error = streamErrno();
    return pushFileResult(L, false, nullptr, error);
  }
  if (!ok) {
    L.pop();
    L.pushNil();
  }
  return n - first;
}

// ---- lines --------------------------------------------------------------------------------

// The iterator: upvalues are the handle, the number of formats, whether to close the handle at
// the end, then the formats.
int linesIterator(Lua& L) {
  auto* stream = static_cast<Stream*>(L.toUserdata(upvalueIndex(1)));
  const int formats = static_cast<int>(L.toInteger(upvalueIndex(2)).value_or(0));
  if (stream->isClosed()) L.raise("file is already closed");
  L.setTop(1);
  L.checkStack(formats, "too many arguments");
  for (int i = 1; i <= formats; ++i) L.pushValue(upvalueIndex(3 + i));
  const int n = readFormats(L, stream->file, 2);
  if (L.toBoolean(-n)) return n;
  // Nothing read: end of file, or an error whose message is the second result.
  if (n > 1) L.raise(std::string(L.toString(-n + 1).value_or("")));
  if (L.toBoolean(upvalueIndex(3))) {
    L.setTop(0);
    L.pushValue(upvalueIndex(1));
    closeStream(L);
  }
  return 0;
}

// Replaces the arguments after the handle at 1 by the iterator closure on the top.
void pushLinesIterator(Lua& L, bool closeAtEnd) {
  const int formats = L.top() - 1;
  L.argCheck(formats <= kMaxLinesFormats, kMaxLinesFormats + 2, "too many arguments");
  L.pushValue(1);
  L.pushInteger(formats);
  L.pushBoolean(closeAtEnd);
  L.rotate(2, 3);  // handle, count, flag, formats...
  L.pushNative(linesIterator, 3 + formats);
}

// ---- io functions -------------------------------------------------------------------------

int ioClose(Lua& L) {
  if (L.isNone(1)) L.getField(kRegistryIndex, kOutputKey);
  checkOpenStream(L);
  return closeStream(L);
}

int ioFlush(Lua& L) {
  const bool ok = flushStream(defaultStream(L, kOutputKey));
  const int error = errno;
  return pushFileResult(L, ok, nullptr, error);
}

// io.input / io.output: with a name, opens it; with a handle, adopts it; returns the current.
int selectDefault(Lua& L, std::string_view key, const char* mode) {
  if (!L.isNoneOrNil(1)) {
    if (std::optional<std::string_view> name = L.toString(1)) {
      openOrRaise(L, std::string(*name), mode);
    } else {
      checkOpenStream(L);
      L.pushValue(1);
    }
    L.setField(kRegistryIndex, key);
  }
  L.getField(kRegistryIndex, key);
  return 1;
}

int ioInput(Lua& L) { return selectDefault(L, kInputKey, "r"); }
int ioOutput(Lua& L) { return selectDefault(L, kOutputKey, "w"); }

// io.lines(): the default input, left open; io.lines(name, ...): a file closed at the end, and
// also returned as the fourth (to-be-closed) value of the generic for.
int ioLines(Lua& L) {
  if (L.isNone(1)) L.pushNil();
  const bool ownFile = !L.isNil(1);
  if (ownFile) {
    openOrRaise(L, std::string(L.checkString(1)), "r");
  } else {
    L.getField(kRegistryIndex, kInputKey);
  }
  L.replace(1);
  if (!ownFile) checkOpenStream(L);
  pushLinesIterator(L, ownFile);
  if (!ownFile) return 1;
  L.pushNil();
  L.pushNil();
  L.pushValue(1);
  return 4;
}

// A mode is [rwa] then an optional '+' then any number of 'b's (read as a C string).
bool isValidOpenMode(std::string_view mode) {
  mode = mode.substr(0, mode.find('\0'));
  if (mode.empty() || std::strchr("rwa", mode.front()) == nullptr) return false;
  mode.remove_prefix(1);
  if (!mode.empty() && mode.front() == '+') mode.remove_prefix(1);
  return mode.find_first_not_of('b') == std::string_view::npos;
}

int ioOpen(Lua& L) {
  const std::string name(L.checkString(1));
  const std::string mode(L.optString(2, "r"));
  Stream& stream = newStream(L);
  L.argCheck(isValidOpenMode(mode), 2, "invalid mode");
  stream.file = std::fopen(name.c_str(), mode.c_str());
  if (stream.file == nullptr) {
    const int error = errno;
    return pushFileResult(L, false, name.c_str(), error);
  }
  stream.closer = Stream::Closer::File;
  return 1;
}

int ioPopen(Lua& L) {
  const std::string command(L.checkString(1));
  const std::string mode(L.optString(2, "r"));
  Stream& stream = newStream(L);
  L.argCheck(mode == "r" || mode == "w", 2, "invalid mode");
  if (!pipesSupported()) L.raise("'popen' not supported");
  stream.file = openPipe(command.c_str(), mode.c_str());
  if (stream.file == nullptr) {
    const int error = errno;
    return pushFileResult(L, false, command.c_str(), error);
  }
  stream.closer = Stream::Closer::Pipe;
  return 1;
}

int ioRead(Lua& L) {
  Stream& stream = defaultStream(L, kInputKey);
  return readFormats(L, stream.file, 1);
}

int ioTmpfile(Lua& L) {
  Stream& stream = newStream(L);
  stream.file = std::tmpfile();
  if (stream.file == nullptr) {
    const int error = errno;
    return pushFileResult(L, false, nullptr, error);
  }
  stream.closer = Stream::Closer::File;
  return 1;
}

int ioType(Lua& L) {
  L.checkAny(1);
  auto* stream = static_cast<Stream*>(L.testUserdata(1, kFileHandle));
  if (stream == nullptr) {
    L.pushNil();
  } else {
    L.pushString(stream->isClosed() ? "closed file" : "file");
  }
  return 1;
}

int ioWrite(Lua& L) {
  Stream& stream = defaultStream(L, kOutputKey);  // pushed: it is the result
  return writeArguments(L, stream, 1);
}

// ---- methods ------------------------------------------------------------------------------

int fileClose(Lua& L) {
  checkOpenStream(L);
  return closeStream(L);
}

int fileFlush(Lua& L) {
  const bool ok = flushStream(checkOpenStream(L));
  const int error = errno;
  return pushFileResult(L, ok, nullptr, error);
}

int fileLines(Lua& L) {
  checkOpenStream(L);
  pushLinesIterator(L, false);
  return 1;
}

int fileRead(Lua& L) { return readFormats(L, checkOpenStream(L).file, 2); }

int fileSeek(Lua& L) {
  static constexpr int kWhence[] = {SEEK_SET, SEEK_CUR, SEEK_END};
  std::FILE* file = checkOpenStream(L).file;
  const int whence = L.checkOption(2, "cur", {"set", "cur", "end"});
  const int64_t offset = L.optInteger(3, 0);
  L.argCheck(static_cast<off_t>(offset) == offset, 3, "not an integer in proper range");
  errno = 0;
  if (::fseeko(file, static_cast<off_t>(offset), kWhence[whence]) != 0) {
    const int error = errno;
    return pushFileResult(L, false, nullptr, error);
  }
  L.pushInteger(static_cast<int64_t>(::ftello(file)));
  return 1;
}

int fileSetvbuf(Lua& L) {
  static constexpr int kModes[] = {_IONBF, _IOFBF, _IOLBF};
  std::FILE* file = checkOpenStream(L).file;
  const int mode = L.checkOption(2, std::nullopt, {"no", "full", "line"});
  const int64_t size = L.optInteger(3, static_cast<int64_t>(kBufferSize));
  const bool ok = std::setvbuf(file, nullptr, kModes[mode], static_cast<size_t>(size)) == 0;
  const int error = errno;
  return pushFileResult(L, ok, nullptr, error);
}

int fileWrite(Lua& L) {
  Stream& stream = checkOpenStream(L);
  L.pushValue(1);  // the result
  return writeArguments(L, stream, 2);
}

// __gc and __close: close a handle that is still open (standard ones stay open).
int fileCollect(Lua& L) {
  Stream& stream = checkStream(L);
  if (!stream.isClosed() && stream.file != nullptr) closeStream(L);
  return 0;
}

int fileToString(Lua& L) {
  Stream& stream = checkStream(L);
  if (stream.isClosed()) {
    L.pushString("file (closed)");
  } else {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "file (%p)", static_cast<void*>(stream.file));
    L.pushString(buffer);
  }
  return 1;
}

// ---- setup --------------------------------------------------------------------------------

void createFileMetatable(Lua& L) {
  L.newMetatable(kFileHandle);
  L.setFunctions({
      {"__gc", fileCollect},
      {"__close", fileCollect},
      {"__tostring", fileToString},
  });
  L.newTable(0, 7);
  L.setFunctions({
      {"read", fileRead},
      {"write", fileWrite},
      {"lines", fileLines},
      {"flush", fileFlush},
      {"seek", fileSeek},
      {"close", fileClose},
      {"setvbuf", fileSetvbuf},
  });
  L.setField(-2, "__index");
  L.pop();
}

// Adds a standard handle to the io table on the top (and to the registry under `key`).
void createStandardStream(Lua& L, std::FILE* file, Stream::Sink sink, std::string_view key,
                          std::string_view name) {
  Stream& stream = newStream(L);
  stream.file = file;
  stream.closer = Stream::Closer::Standard;
  stream.sink = sink;
  if (!key.empty()) {
    L.pushValue(-1);
    L.setField(kRegistryIndex, key);
  }
  L.setField(-2, name);
}

}  // namespace

int openIo(Lua& L) {
  L.newTable(0, 14);
  L.setFunctions({
      {"close", ioClose},
      {"flush", ioFlush},
      {"input", ioInput},
      {"lines", ioLines},
      {"open", ioOpen},
      {"output", ioOutput},
      {"popen", ioPopen},
      {"read", ioRead},
      {"tmpfile", ioTmpfile},
      {"type", ioType},
      {"write", ioWrite},
  });
  createFileMetatable(L);
  createStandardStream(L, stdin, Stream::Sink::None, kInputKey, "stdin");
  createStandardStream(L, stdout, Stream::Sink::Output, kOutputKey, "stdout");
  createStandardStream(L, stderr, Stream::Sink::Error, "", "stderr");
  return 1;
}

}  // namespace lunette
