// The `string` library (manual 6.4) bound to the native API, and the string metatable.
//
// The engines are pure components tested on their own: the pattern matcher (lua_pattern.h),
// the format interpreter (string_format.h) and pack/unpack (string_pack.h). This file fetches
// arguments, pushes results, and turns the engines' C++ exceptions into Lua errors with the
// reference's messages: plain ones like luaL_error (with the caller's position), argument ones
// like luaL_argerror. Lua errors raised while an engine runs (a bad argument, an error inside a
// gsub callback) pass through untouched, since only the engines' own exception types are caught.
//
// Positions follow the reference: a start index is relative to the end when negative and
// clamped to 1; an end index is clamped to the length. Every function accepts a number where a
// string is expected (checkString converts it in place).
//
// The metatable shared by all strings is {__index = string} plus the arithmetic metamethods of
// 5.4 (__add ... __unm), which convert numeric strings with tonumber's rules; a non-numeric
// operand defers to the other operand's metamethod or raises "attempt to add a 'string' with a
// 'number'" as lua5.4 does.
#include <array>
#include <climits>
#include <optional>
#include <string>

#include "bytecode/chunk_dump.h"
#include "common/numconv.h"
#include "lib/libs.h"
#include "lib/lua_pattern.h"
#include "lib/string_format.h"
#include "lib/string_pack.h"
#include "vm/state.h"

namespace lunette {

namespace {

// Strings built by rep are limited like the reference's MAXSIZE (they must fit in an int).
constexpr uint64_t kMaxBuiltSize = INT_MAX;

// ---- positions and errors ------------------------------------------------------------------

// A start position: negative counts from the end; the result is >= 1 (may exceed length).
size_t startPosition(int64_t pos, size_t length) {
  // Past the end, any position beyond length + 1 behaves alike; clamping keeps it within
  // size_t where that is 32 bits (wasm).
  if (pos > 0) return static_cast<uint64_t>(pos) > length + 1 ? length + 2 : static_cast<size_t>(pos);
  if (pos == 0) return 1;
  if (pos < -static_cast<int64_t>(length)) return 1;
  return length - static_cast<size_t>(-pos) + 1;
}

// An end position from optional argument `arg`: negative counts from the end; result in
// [0, length].
size_t endPosition(Lua& L, int arg, int64_t fallback, size_t length) {
  const int64_t pos = L.optInteger(arg, fallback);
  if (pos > static_cast<int64_t>(length)) return length;
  if (pos >= 0) return static_cast<size_t>(pos);
  if (pos < -static_cast<int64_t>(length)) return 0;
  return length - static_cast<size_t>(-pos) + 1;
}

int errorArgument(const PatternError&) { return 0; }
int errorArgument(const FormatError& e) { return e.argument(); }
int errorArgument(const PackError& e) { return e.argument(); }

// Runs `body`; an `Error` from an engine becomes a Lua error. The message is copied out of the
// handler first, so the Lua error is thrown once no C++ exception is in flight.
template <typename Error, typename Body>
int guarded(Lua& L, Body&& body) {
  int argument = 0;
  std::string message;
  try {
    return body();
  } catch (const Error& e) {
    argument = errorArgument(e);
    message = e.what();
  }
  if (argument != 0) L.argError(argument, message);
  L.raise(message);
}

// ---- len, sub, reverse, lower, upper, rep, byte, char, dump --------------------------------

int stringLen(Lua& L) {
  L.pushInteger(static_cast<int64_t>(L.checkString(1).size()));
  return 1;
}

int stringSub(Lua& L) {
  const std::string_view s = L.checkString(1);
  const size_t start = startPosition(L.checkInteger(2), s.size());
  const size_t end = endPosition(L, 3, -1, s.size());
  if (start > end)
    L.pushString("");
  else
    L.pushString(s.substr(start - 1, end - start + 1));
  return 1;
}

int stringReverse(Lua& L) {
  const std::string_view s = L.checkString(1);
  L.pushString(std::string(s.rbegin(), s.rend()));
  return 1;
}

// ASCII case mapping: the "C" locale's, independent of the process locale.
template <char From, char To>
int mapCase(Lua& L) {
  std::string s(L.checkString(1));
  for (char& c : s) {
    if (c >= From && c <= From + 25) c = static_cast<char>(c - From + To);
  }
  L.pushString(s);
  return 1;
}

int stringRep(Lua& L) {
  const std::string_view s = L.checkString(1);
  const int64_t n = L.checkInteger(2);
  const std::string_view sep = L.optString(3, "");
  if (n <= 0 || (s.empty() && sep.empty())) {
    L.pushString("");
    return 1;
  }
  const uint64_t unit = s.size() + sep.size();
  if (unit > kMaxBuiltSize / static_cast<uint64_t>(n)) L.raise("resulting string too large");
  std::string out;
  out.reserve(static_cast<size_t>(unit * static_cast<uint64_t>(n) - sep.size()));
  for (int64_t i = 0; i < n; ++i) {
    if (i > 0) out.append(sep);
    out.append(s);
  }
  L.pushString(out);
  return 1;
}

int stringByte(Lua& L) {
  const std::string_view s = L.checkString(1);
  const int64_t rawFirst = L.optInteger(2, 1);
  // The end defaults to the start as given, so byte(s, 0) or byte(s, -100) yield nothing.
  const size_t last = endPosition(L, 3, rawFirst, s.size());
  const size_t first = startPosition(rawFirst, s.size());
  if (first > last) return 0;
  if (last - first >= static_cast<size_t>(INT_MAX)) L.raise("string slice too long");
  const int n = static_cast<int>(last - first) + 1;
  L.checkStack(n, "string slice too long");
  for (int i = 0; i < n; ++i)
    L.pushInteger(static_cast<unsigned char>(s[first - 1 + static_cast<size_t>(i)]));
  return n;
}

int stringChar(Lua& L) {
  const int n = L.top();
  std::string out(static_cast<size_t>(n), '\0');
  for (int i = 1; i <= n; ++i) {
    const int64_t c = L.checkInteger(i);
    L.argCheck(static_cast<uint64_t>(c) <= UCHAR_MAX, i, "value out of range");
    out[static_cast<size_t>(i - 1)] = static_cast<char>(c);
  }
  L.pushString(out);
  return 1;
}

// The compiler's view of a prototype again (the VM keeps its parts as heap values), for
// dumpChunk. Upvalue descriptors are kept as they are: load gives the function fresh ones.
std::unique_ptr<FunctionData> functionDataOf(const Proto& p) {
  auto f = std::make_unique<FunctionData>();
  f->source = std::string(p.source->view());
  f->linedefined = p.linedefined;
  f->lastlinedefined = p.lastlinedefined;
  f->numparams = p.numparams;
  f->isVararg = p.isVararg;
  f->maxstacksize = p.maxstacksize;
  f->code = p.code;
  f->lineinfo = p.lineinfo;
  for (const Value& v : p.constants) {
    if (v.isNil()) f->constants.emplace_back(NilConstant{});
    else if (v.isBoolean()) f->constants.emplace_back(v.isTruthy());
    else if (v.isInteger()) f->constants.emplace_back(v.i);
    else if (v.isFloat()) f->constants.emplace_back(v.n);
    else f->constants.emplace_back(std::string(v.asString()->view()));
  }
  for (const UpvalDesc& u : p.upvalues)
    f->upvalues.push_back(
        UpvalueInfo{u.name ? std::string(u.name->view()) : std::string(), u.instack, u.index,
                    u.kind});
  for (const LocVar& var : p.locvars)
    f->locvars.push_back(LocalVarInfo{std::string(var.name->view()), var.startpc, var.endpc});
  for (const Proto* child : p.children) f->children.push_back(functionDataOf(*child));
  return f;
}

// string.dump(f [, strip]): Lunette's own binary format (bytecode/chunk_dump.h).
int stringDump(Lua& L) {
  L.checkType(1, Type::Function);
  bool strip = L.toBoolean(2);
  Value fn = *L.thread().at(L.thread().calls.back().func + 1);
  if (!fn.isLuaClosure()) L.raise("unable to dump given function");
  std::string chunk = dumpChunk(*functionDataOf(*fn.asLuaClosure()->proto), strip);
  L.pushString(chunk);
  return 1;
}

// ---- find, match, gmatch, gsub -------------------------------------------------------------

void pushCapture(Lua& L, const CaptureValue& value) {
  if (value.isPosition)
    L.pushInteger(static_cast<int64_t>(value.position));
  else
    L.pushString(value.text);
}

// Pushes the captures of a match [start, end); `wholeIfNone` pushes the match itself when the
// pattern has no captures (match, gmatch, gsub callbacks), find pushes nothing then.
int pushCaptures(Lua& L, const PatternMatcher& matcher, size_t start, size_t end,
                 bool wholeIfNone) {
  const int n = wholeIfNone ? matcher.resultCount() : matcher.captureCount();
  L.checkStack(n, "too many captures");
  for (int i = 0; i < n; ++i) pushCapture(L, matcher.capture(i, start, end));
  return n;
}

// string.find (`find`) and string.match (!`find`).
int findOrMatch(Lua& L, bool find) {
  const std::string_view s = L.checkString(1);
  std::string_view pattern = L.checkString(2);
  const size_t init = startPosition(L.optInteger(3, 1), s.size()) - 1;
  if (init > s.size()) {  // starts after the end: nothing can match
    L.pushNil();
    return 1;
  }
  if (find && (L.toBoolean(4) || !patternHasSpecials(pattern))) {
    if (auto at = findPlain(s.substr(init), pattern)) {
      L.pushInteger(static_cast<int64_t>(init + *at + 1));
      L.pushInteger(static_cast<int64_t>(init + *at + pattern.size()));
      return 2;
    }
    L.pushNil();
    return 1;
  }
  const bool anchored = !pattern.empty() && pattern.front() == '^';
  if (anchored) pattern.remove_prefix(1);
  return guarded<PatternError>(L, [&] {
    PatternMatcher matcher(s, pattern);
    std::optional<size_t> start = anchored ? init : matcher.nextCandidate(init);
    while (start) {
      if (auto end = matcher.matchAt(*start)) {
        if (!find) return pushCaptures(L, matcher, *start, *end, true);
        L.pushInteger(static_cast<int64_t>(*start + 1));
        L.pushInteger(static_cast<int64_t>(*end));
        return pushCaptures(L, matcher, *start, *end, false) + 2;
      }
      if (anchored) break;
      start = matcher.nextCandidate(*start + 1);
    }
    L.pushNil();
    return 1;
  });
}

int stringFind(Lua& L) { return findOrMatch(L, true); }
int stringMatch(Lua& L) { return findOrMatch(L, false); }

// The iterator's progress, kept in a userdata upvalue next to the subject and the pattern.
struct GmatchProgress {
  size_t next;       // where the next search starts
  size_t lastEnd;    // end of the previous match: an empty match may not end there again
  bool hasLast;
};

int gmatchStep(Lua& L) {
  const std::string_view s = *L.toString(upvalueIndex(1));
  const std::string_view pattern = *L.toString(upvalueIndex(2));
  auto* progress = static_cast<GmatchProgress*>(L.toUserdata(upvalueIndex(3)));
  return guarded<PatternError>(L, [&] {
    PatternMatcher matcher(s, pattern);  // '^' is a literal here, as in the reference
    for (auto start = matcher.nextCandidate(progress->next); start;
         start = matcher.nextCandidate(*start + 1)) {
      auto end = matcher.matchAt(*start);
      if (end && !(progress->hasLast && *end == progress->lastEnd)) {
        progress->next = progress->lastEnd = *end;
        progress->hasLast = true;
        return pushCaptures(L, matcher, *start, *end, true);
      }
    }
    progress->next = s.size() + 1;  // exhausted; later calls find nothing either
    return 0;
  });
}

int stringGmatch(Lua& L) {
  const std::string_view s = L.checkString(1);
  L.checkString(2);
  size_t init = startPosition(L.optInteger(3, 1), s.size()) - 1;
  if (init > s.size()) init = s.size() + 1;
  L.setTop(2);
  auto* progress = static_cast<GmatchProgress*>(L.newUserdata(sizeof(GmatchProgress)));
  *progress = GmatchProgress{init, 0, false};
  L.pushNative(gmatchStep, 3);
  return 1;
}

enum class Replacement { Text, Function, Table };

// Appends the replacement for the match [start, end) and returns true, or returns false when
// a function or table gave false/nil (the caller then keeps the matched text).
bool appendReplacementValue(Lua& L, const PatternMatcher& matcher, Replacement kind,
                            std::string_view text, size_t start, size_t end, std::string& out) {
  if (kind == Replacement::Text) {
    matcher.appendReplacement(out, text, start, end);
    return true;
  }
  if (kind == Replacement::Function) {
    L.pushValue(3);
    const int n = pushCaptures(L, matcher, start, end, true);
    L.call(n, 1);
  } else {
    pushCapture(L, matcher.capture(0, start, end));
    L.getTable(3);
  }
  if (!L.toBoolean(-1)) {
    L.pop();
    return false;
  }
  if (!L.isString(-1))
    L.raise("invalid replacement value (a " + std::string(L.typeNameAt(-1)) + ")");
  out.append(*L.toString(-1));
  L.pop();
  return true;
}

int stringGsub(Lua& L) {
  const std::string_view s = L.checkString(1);
  std::string_view pattern = L.checkString(2);
  const Type replacementType = L.type(3);
  const int64_t maxReplacements = L.optInteger(4, static_cast<int64_t>(s.size()) + 1);
  Replacement kind = Replacement::Text;
  if (replacementType == Type::Function)
    kind = Replacement::Function;
  else if (replacementType == Type::Table)
    kind = Replacement::Table;
  else if (replacementType != Type::String && replacementType != Type::Number)
    L.typeError(3, "string/function/table");
  const std::string_view text = kind == Replacement::Text ? *L.toString(3) : std::string_view();
  const bool anchored = !pattern.empty() && pattern.front() == '^';
  if (anchored) pattern.remove_prefix(1);
  return guarded<PatternError>(L, [&] {
    PatternMatcher matcher(s, pattern);
    std::string out;
    size_t pos = 0;
    size_t copiedUpTo = 0;  // s[copiedUpTo, pos) is unchanged text not yet in `out`
    std::optional<size_t> lastEnd;
    int64_t count = 0;
    while (count < maxReplacements) {
      const std::optional<size_t> end = matcher.matchAt(pos);
      if (end && end != lastEnd) {  // an empty match right after a match does not count
        ++count;
        if (count == 1) out.reserve(s.size() + 16);
        const size_t mark = out.size();
        out.append(s.substr(copiedUpTo, pos - copiedUpTo));
        if (appendReplacementValue(L, matcher, kind, text, pos, *end, out))
          copiedUpTo = *end;
        else
          out.resize(mark);  // keep the original text: it stays in the pending run
        pos = *end;
        lastEnd = end;
      } else if (pos < s.size()) {
        // Skip bytes where no match can start; they stay in the pending unchanged run.
        pos = anchored ? pos + 1 : matcher.nextCandidate(pos + 1).value_or(s.size());
      } else {
        break;
      }
      if (anchored) break;
    }
    if (copiedUpTo == 0 && out.empty()) {
      L.pushValue(1);  // nothing replaced: the subject itself
    } else {
      out.append(s.substr(copiedUpTo));
      L.pushString(out);
    }
    L.pushInteger(count);
    return 2;
  });
}

// ---- format --------------------------------------------------------------------------------

// Arguments straight from the stack. A tostring() result is pushed to keep it alive while the
// formatter reads it, and popped when the next argument is requested.
class StackFormatArguments final : public FormatArguments {
 public:
  explicit StackFormatArguments(Lua& L) : L_(L), count_(L.top()) {}

  int count() const override { return count_; }
  int64_t integer(int arg) override {
    release();
    return L_.checkInteger(arg);
  }
  double number(int arg) override {
    release();
    return L_.checkNumber(arg);
  }
  std::string_view display(int arg) override {
    release();
    const std::string_view text = L_.toDisplayString(arg);
    pushed_ = true;
    return text;
  }
  LiteralValue literal(int arg) override {
    release();
    LiteralValue value;
    switch (L_.type(arg)) {
      case Type::String:
        value.kind = LiteralValue::Kind::String;
        value.text = *L_.toString(arg);
        break;
      case Type::Number:
        if (L_.isInteger(arg)) {
          value.kind = LiteralValue::Kind::Integer;
          value.integer = *L_.toInteger(arg);
        } else {
          value.kind = LiteralValue::Kind::Float;
          value.number = *L_.toNumber(arg);
        }
        break;
      case Type::Nil:
        value.kind = LiteralValue::Kind::Keyword;
        value.text = "nil";
        break;
      case Type::Boolean:
        value.kind = LiteralValue::Kind::Keyword;
        value.text = L_.toBoolean(arg) ? "true" : "false";
        break;
      default: break;  // Kind::None: "value has no literal form"
    }
    return value;
  }
  const void* pointer(int arg) override {
    release();
    return L_.toPointer(arg);
  }

 private:
  void release() {
    if (pushed_) L_.pop();
    pushed_ = false;
  }

  Lua& L_;
  int count_;
  bool pushed_ = false;
};

int stringFormat(Lua& L) {
  const std::string_view format = L.checkString(1);
  return guarded<FormatError>(L, [&] {
    StackFormatArguments args(L);
    std::string out;
    formatString(out, format, args);
    L.pushString(out);
    return 1;
  });
}

// ---- pack, unpack, packsize ----------------------------------------------------------------

class StackPackArguments final : public PackArguments {
 public:
  explicit StackPackArguments(Lua& L) : L_(L) {}
  int64_t integer(int arg) override { return L_.checkInteger(arg); }
  double number(int arg) override { return L_.checkNumber(arg); }
  std::string_view string(int arg) override { return L_.checkString(arg); }

 private:
  Lua& L_;
};

class StackUnpackSink final : public UnpackSink {
 public:
  explicit StackUnpackSink(Lua& L) : L_(L) {}
  void reserve() override { L_.checkStack(2, "too many results"); }
  void integer(int64_t value) override {
    L_.pushInteger(value);
    ++count_;
  }
  void number(double value) override {
    L_.pushNumber(value);
    ++count_;
  }
  void string(std::string_view value) override {
    L_.pushString(value);
    ++count_;
  }
  int count() const { return count_; }

 private:
  Lua& L_;
  int count_ = 0;
};

int stringPack(Lua& L) {
  const std::string_view format = L.checkString(1);
  // The reference pushes a nil above the arguments (a marker for its buffer), so a missing
  // value reads as "got nil", not "got no value"; do the same.
  L.pushNil();
  return guarded<PackError>(L, [&] {
    StackPackArguments args(L);
    L.pushString(packValues(format, args));
    return 1;
  });
}

int stringUnpack(Lua& L) {
  const std::string_view format = L.checkString(1);
  const std::string_view data = L.checkString(2);
  const int64_t init = L.optInteger(3, 1);
  return guarded<PackError>(L, [&] {
    StackUnpackSink sink(L);
    const int64_t next = unpackValues(format, data, init, sink);
    L.pushInteger(next);
    return sink.count() + 1;
  });
}

int stringPackSize(Lua& L) {
  const std::string_view format = L.checkString(1);
  return guarded<PackError>(L, [&] {
    L.pushInteger(packSize(format));
    return 1;
  });
}

// ---- the string metatable's arithmetic -----------------------------------------------------

// Pushes argument `arg` as a number if it is one, or a string that reads as one.
bool pushAsNumber(Lua& L, int arg) {
  const Type type = L.type(arg);
  if (type == Type::Number) {
    L.pushValue(arg);
    return true;
  }
  if (type != Type::String) return false;
  const std::optional<ParsedNumber> parsed = parseNumber(*L.toString(arg));
  if (!parsed) return false;
  if (parsed->isInteger)
    L.pushInteger(parsed->integer);
  else
    L.pushNumber(parsed->number);
  return true;
}

struct ArithEvent {
  ArithOp op;
  const char* event;  // "__add"
  const char* verb;   // "add", as the error message says it
};

constexpr std::array<ArithEvent, 8> kArithEvents{{
    {ArithOp::Add, "__add", "add"},
    {ArithOp::Sub, "__sub", "sub"},
    {ArithOp::Mul, "__mul", "mul"},
    {ArithOp::Mod, "__mod", "mod"},
    {ArithOp::Pow, "__pow", "pow"},
    {ArithOp::Div, "__div", "div"},
    {ArithOp::IDiv, "__idiv", "idiv"},
    {ArithOp::Unm, "__unm", "unm"},
}};

// The operands are not both numeric: the second operand's own metamethod may handle it.
int deferToOtherOperand(Lua& L, const ArithEvent& e) {
  L.setTop(2);
  if (L.type(2) == Type::String || static_cast<int>(L.getMetaField(2, e.event)) <= 0) {
    L.raise(std::string("attempt to ") + e.verb + " a '" + std::string(L.typeNameAt(-2)) +
            "' with a '" + std::string(L.typeNameAt(-1)) + "'");
  }
  L.insert(-3);  // the metamethod below both operands
  L.call(2, 1);
  return 1;
}

// For __unm the VM passes the operand twice; called directly with one argument, index 2 is
// whatever the first conversion pushed, exactly as in the reference.
template <size_t Index>
int stringArith(Lua& L) {
  const ArithEvent& e = kArithEvents[Index];
  if (pushAsNumber(L, 1) && pushAsNumber(L, 2)) {
    L.arith(e.op);
    return 1;
  }
  return deferToOtherOperand(L, e);
}

void setStringMetatable(Lua& L) {
  L.newTable(0, 9);
  L.setFunctions({
      {"__add", stringArith<0>},
      {"__sub", stringArith<1>},
      {"__mul", stringArith<2>},
      {"__mod", stringArith<3>},
      {"__pow", stringArith<4>},
      {"__div", stringArith<5>},
      {"__idiv", stringArith<6>},
      {"__unm", stringArith<7>},
  });
  L.pushValue(-2);  // the library table
  L.setField(-2, "__index");
  L.pushString("");  // any string: they all share one metatable
  L.pushValue(-2);
  L.setMetatable(-2);
  L.pop(2);  // the string and the metatable
}

}  // namespace

int openString(Lua& L) {
  L.newTable(0, 17);
  L.setFunctions({
      {"byte", stringByte},
      {"char", stringChar},
      {"dump", stringDump},
      {"find", stringFind},
      {"format", stringFormat},
      {"gmatch", stringGmatch},
      {"gsub", stringGsub},
      {"len", stringLen},
      {"lower", mapCase<'A', 'a'>},
      {"match", stringMatch},
      {"pack", stringPack},
      {"packsize", stringPackSize},
      {"rep", stringRep},
      {"reverse", stringReverse},
      {"sub", stringSub},
      {"unpack", stringUnpack},
      {"upper", mapCase<'a', 'A'>},
  });
  setStringMetatable(L);
  return 1;
}

}  // namespace lunette
