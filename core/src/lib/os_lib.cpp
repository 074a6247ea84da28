// The `os` library (manual section 6.9): clock, date, difftime, execute, exit, getenv, remove,
// rename, setlocale, time, tmpname.
//
// Times are 64-bit integers (seconds since the epoch). UTC conversions use our own calendar
// arithmetic (os_date.h); local-time ones go through os_platform.h, natively the C library with
// the process's time zone, so scripts see what the reference shows on the same machine. Failures
// that the reference reports as values (remove, rename, execute) come back as
// fail, message, errno; everything else raises. Anything a browser lacks is behind
// os_platform.h.
#include <cerrno>
#include <climits>
#include <clocale>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

#include "lib/libs.h"
#include "vm/state.h"
#include "lib/os_date.h"
#include "lib/os_platform.h"

namespace lunette {

namespace {

// ---- date tables --------------------------------------------------------------------------

// The fields of a date table, with the offset between the Lua value and the struct tm value.
void setDateField(Lua& L, std::string_view key, int value, int delta) {
  L.pushInteger(static_cast<int64_t>(value) + delta);
  L.setField(-2, key);
}

// Fills the table on the top with every field of `t` (isdst only when it is known).
void setDateFields(Lua& L, const std::tm& t) {
  setDateField(L, "year", t.tm_year, 1900);
  setDateField(L, "month", t.tm_mon, 1);
  setDateField(L, "day", t.tm_mday, 0);
  setDateField(L, "hour", t.tm_hour, 0);
  setDateField(L, "min", t.tm_min, 0);
  setDateField(L, "sec", t.tm_sec, 0);
  setDateField(L, "yday", t.tm_yday, 1);
  setDateField(L, "wday", t.tm_wday, 1);
  if (t.tm_isdst >= 0) {
    L.pushBoolean(t.tm_isdst != 0);
    L.setField(-2, "isdst");
  }
}

[[noreturn]] void fieldError(Lua& L, std::string_view key, std::string_view problem) {
  std::string message = "field '";
  message += key;
  message += "' ";
  message += problem;
  L.raise(message);
}

// Reads an int field of the table on the top, minus `delta`; `fallback` < 0 means required.
int getDateField(Lua& L, std::string_view key, int fallback, int delta) {
  const Type type = L.getField(-1, key);
  const std::optional<int64_t> value = L.toInteger(-1);
  int64_t result;
  if (!value) {
    if (type != Type::Nil) fieldError(L, key, "is not an integer");
    if (fallback < 0) fieldError(L, key, "missing in date table");
    result = fallback;
  } else {
    result = *value;
    const bool fits = result >= 0 ? result - delta <= INT_MAX : INT_MIN + delta <= result;
    if (!fits) fieldError(L, key, "is out-of-bound");
    result -= delta;
  }
  L.pop();
  return static_cast<int>(result);
}

// isdst: absent means "let mktime decide" (-1).
int getDstField(Lua& L) {
  const int result = L.getField(-1, "isdst") == Type::Nil ? -1 : (L.toBoolean(-1) ? 1 : 0);
  L.pop();
  return result;
}

// A time argument. Times are 64-bit integers on every build, as time_t is on the reference's
// platform (so its "time out-of-bounds" never happens; Emscripten's time_t has 32 bits).
int64_t checkTime(Lua& L, int arg) { return L.checkInteger(arg); }

int64_t currentTime() { return static_cast<int64_t>(std::time(nullptr)); }

// ---- functions ----------------------------------------------------------------------------

int osClock(Lua& L) {
  L.pushNumber(processSeconds());
  return 1;
}

int osTime(Lua& L) {
  int64_t result;
  if (L.isNoneOrNil(1)) {
    result = currentTime();
  } else {
    L.checkType(1, Type::Table);
    L.setTop(1);
    std::tm fields{};
    fields.tm_year = getDateField(L, "year", -1, 1900);
    fields.tm_mon = getDateField(L, "month", -1, 1);
    fields.tm_mday = getDateField(L, "day", -1, 0);
    fields.tm_hour = getDateField(L, "hour", 12, 0);
    fields.tm_min = getDateField(L, "min", 0, 0);
    fields.tm_sec = getDateField(L, "sec", 0, 0);
    fields.tm_isdst = getDstField(L);
    result = localSeconds(fields);
    setDateFields(L, fields);  // write back the normalised date
  }
  if (result == -1) {
    L.raise("time result cannot be represented in this installation");
  }
  L.pushInteger(result);
  return 1;
}

int osDate(Lua& L) {
  std::string_view format = L.optString(1, "%c");
  const int64_t t = L.isNoneOrNil(2) ? currentTime() : checkTime(L, 2);
  std::optional<std::tm> converted;
  if (!format.empty() && format.front() == '!') {  // UTC
    format.remove_prefix(1);
    converted = utcFields(t);
  } else {
    converted = localFields(t);
  }
  if (!converted) L.raise("date result cannot be represented in this installation");
  const std::tm& fields = *converted;
  // Compared as a C string, as the reference does: "*t\0..." is still a table request.
  if (format.substr(0, format.find('\0')) == "*t") {
    L.newTable(0, 9);
    setDateFields(L, fields);
    return 1;
  }
  DateFormatResult result = formatDate(format, fields);
  if (!result.ok) L.argError(1, "invalid conversion specifier '" + result.badSpecifier + "'");
  L.pushString(result.text);
  return 1;
}

int osDifftime(Lua& L) {
  const int64_t t1 = checkTime(L, 1);
  const int64_t t2 = checkTime(L, 2);
  // The exact difference, rounded once (as glibc's difftime does for 64-bit times).
  const auto distance = [](int64_t high, int64_t low) {
    return static_cast<double>(static_cast<uint64_t>(high) - static_cast<uint64_t>(low));
  };
  L.pushNumber(t1 >= t2 ? distance(t1, t2) : -distance(t2, t1));
  return 1;
}

int osGetenv(Lua& L) {
  const std::string name(L.checkString(1));
  const char* value = std::getenv(name.c_str());
  if (value != nullptr) {
    L.pushString(value);
  } else {
    L.pushNil();
  }
  return 1;
}

int osRemove(Lua& L) {
  const std::string name(L.checkString(1));
  const bool ok = std::remove(name.c_str()) == 0;
  const int error = errno;
  return pushFileResult(L, ok, name.c_str(), error);
}

int osRename(Lua& L) {
  const std::string from(L.checkString(1));
  const std::string to(L.checkString(2));
  const bool ok = renameFile(from.c_str(), to.c_str()) == 0;
  const int error = errno;
  return pushFileResult(L, ok, nullptr, error);
}

int osTmpname(Lua& L) {
  std::optional<std::string> name = makeTemporaryName();
  if (!name) L.raise("unable to generate a unique filename");
  L.pushString(*name);
  return 1;
}

int osExecute(Lua& L) {
  if (L.isNoneOrNil(1)) {
    L.pushBoolean(runShellCommand(nullptr) != 0);  // is a shell available?
    return 1;
  }
  const std::string command(L.checkString(1));
  errno = 0;
  const int status = runShellCommand(command.c_str());
  const int error = errno;
  return pushExecResult(L, status, error);
}

// os.exit([code [, close]]): true is success, false failure, a number is the status itself.
// The State ends the run (and closes itself first when `close` is true); the embedder exits.
int osExit(Lua& L) {
  int status;
  if (L.type(1) == Type::Boolean) {
    status = L.toBoolean(1) ? EXIT_SUCCESS : EXIT_FAILURE;
  } else {
    status = static_cast<int>(L.optInteger(1, EXIT_SUCCESS));
  }
  L.state().exit(status, L.toBoolean(2));
}

int osSetlocale(Lua& L) {
  static constexpr int kCategories[] = {LC_ALL,     LC_COLLATE, LC_CTYPE,
                                        LC_MONETARY, LC_NUMERIC, LC_TIME};
  std::optional<std::string> locale;
  if (!L.isNoneOrNil(1)) locale = std::string(L.checkString(1));
  const int category =
      L.checkOption(2, "all", {"all", "collate", "ctype", "monetary", "numeric", "time"});
  const char* result = setLocale(kCategories[category], locale ? locale->c_str() : nullptr);
  if (result != nullptr) {
    L.pushString(result);
  } else {
    L.pushNil();
  }
  return 1;
}

}  // namespace

int openOs(Lua& L) {
  L.newTable(0, 11);
  L.setFunctions({
      {"clock", osClock},
      {"date", osDate},
      {"difftime", osDifftime},
      {"execute", osExecute},
      {"exit", osExit},
      {"getenv", osGetenv},
      {"remove", osRemove},
      {"rename", osRename},
      {"setlocale", osSetlocale},
      {"time", osTime},
      {"tmpname", osTmpname},
  });
  return 1;
}

}  // namespace lunette
