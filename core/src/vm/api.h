// The native-function API: how C++ code (the standard library, embedders) talks to a running VM.
//
// A native function has the signature `int fn(Lua& L)`. It sees its arguments as stack slots
// 1..L.top(); it pushes its results and returns how many it pushed (the topmost ones are the
// results). This is the shape of the reference's C API, in C++: indexes are 1-based from the
// frame's base, negative indexes count from the top (-1 is the top), and two pseudo-indexes
// reach the registry and the running native closure's upvalues.
//
// Lifetimes. Collected objects never move, so a std::string_view from toString()/checkString()
// stays valid while the value it came from is still reachable (on the stack, say). Nothing
// else returned by reference survives a push (the stack may be reallocated).
//
// Errors. Every failing operation raises a Lua error by throwing a C++ exception that the VM
// catches at the nearest protected call (pcall, coroutine boundary, State::run). Natives must
// therefore be exception-safe (RAII only; no raw resources across a call that can fail).
//
// Calling back into Lua (call/pcall) from a native function is a C-call boundary: a coroutine
// cannot yield across it ("attempt to yield across a C-call boundary"), exactly as in the
// reference.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "common/arith.h"

namespace lunette {

class State;
struct Thread;
class Lua;

using NativeFunction = int (*)(Lua& L);

enum class Type : int8_t {
  None = -1,  // an index beyond the top
  Nil,
  Boolean,
  LightUserdata,
  Number,
  String,
  Table,
  Function,
  Userdata,
  Thread,
};

// "no value", "nil", "boolean", "userdata", "number", "string", "table", "function",
// "userdata", "thread".
std::string_view typeName(Type type);

enum class CompareOp { Eq, Lt, Le };

inline constexpr int kMultRet = -1;
inline constexpr int kRegistryIndex = -1001000;
constexpr int upvalueIndex(int i) { return kRegistryIndex - i; }  // i in 1..255

struct LibraryFunction {
  const char* name;
  NativeFunction function;
};

class Lua {
 public:
  Lua(State& state, Thread& thread) : state_(&state), thread_(&thread) {}

  State& state() const { return *state_; }
  Thread& thread() const { return *thread_; }

  // ---- stack ----------------------------------------------------------------------------
  int top() const;                 // index of the top element == number of elements
  void setTop(int index);          // pops, or pushes nils to reach `index` (may be negative)
  int absIndex(int index) const;   // negative -> positive; pseudo-indexes unchanged
  void checkStack(int extra, const char* what = nullptr);  // "stack overflow (what)"
  void pushValue(int index);
  void pop(int n = 1) { setTop(-n - 1); }
  void insert(int index);          // moves the top element into `index`, shifting up
  void remove(int index);          // removes `index`, shifting down
  void replace(int index);         // pops the top into `index`
  void copy(int from, int to);
  void rotate(int index, int n);   // like the reference's lua_rotate

  // ---- pushing --------------------------------------------------------------------------
  void pushNil();
  void pushBoolean(bool b);
  void pushInteger(int64_t n);
  void pushNumber(double n);
  void pushString(std::string_view s);
  void pushNative(NativeFunction fn, int nupvalues = 0);  // pops `nupvalues` values into it
  void pushLightUserdata(void* p);
  bool pushThread();               // pushes the running thread; true if it is the main one
  void pushGlobalTable();

  // ---- queries --------------------------------------------------------------------------
  Type type(int index) const;
  std::string_view typeNameAt(int index) const { return typeName(type(index)); }
  bool isNone(int index) const { return type(index) == Type::None; }
  bool isNil(int index) const { return type(index) == Type::Nil; }
  bool isNoneOrNil(int index) const { return static_cast<int>(type(index)) <= 0; }
  bool isNumber(int index) const;    // a number, or a string convertible to one
  bool isString(int index) const;    // a string or a number
  bool isInteger(int index) const;   // a number of integer subtype
  bool isNative(int index) const;    // a native function
  bool isTable(int index) const { return type(index) == Type::Table; }
  bool isFunction(int index) const { return type(index) == Type::Function; }

  bool toBoolean(int index) const;
  std::optional<int64_t> toInteger(int index) const;  // integral floats and numeric strings too
  std::optional<double> toNumber(int index) const;    // numeric strings too
  // A string, or a number which is converted IN PLACE to a string (like lua_tolstring).
  std::optional<std::string_view> toString(int index);
  void* toUserdata(int index) const;                  // full or light userdata, else nullptr
  const void* toPointer(int index) const;             // identity for %p and tostring
  Thread* toThread(int index) const;
  uint64_t rawLen(int index) const;                   // strings, tables (border), userdata size
  bool rawEqual(int a, int b) const;

  // ---- operations with metamethods ------------------------------------------------------
  bool compare(int a, int b, CompareOp op);
  void arith(ArithOp op);    // pops 2 operands (1 for Unm/BNot), pushes the result
  void concat(int n);        // pops n values, pushes their concatenation ("" when n == 0)
  void len(int index);       // pushes #value
  int64_t lenAsInteger(int index);  // #value, "object length is not an integer" otherwise

  // ---- tables ---------------------------------------------------------------------------
  void newTable(int narray = 0, int nhash = 0);
  Type getTable(int index);                     // pops k, pushes t[k]
  Type getField(int index, std::string_view key);
  Type getI(int index, int64_t i);
  Type rawGet(int index);                       // pops k, pushes rawget(t, k)
  Type rawGetI(int index, int64_t i);
  void setTable(int index);                     // t[k] = v; pops v then k
  void setField(int index, std::string_view key);  // pops v
  void setI(int index, int64_t i);              // pops v
  void rawSet(int index);                       // pops v then k
  void rawSetI(int index, int64_t i);           // pops v
  bool next(int index);       // pops a key, pushes the next key and value; false at the end
  bool getMetatable(int index);                 // pushes the metatable if there is one
  void setMetatable(int index);                 // pops a table or nil
  Type getGlobal(std::string_view name);
  void setGlobal(std::string_view name);        // pops v
  void setFunctions(std::initializer_list<LibraryFunction> functions);  // into the table at -1

  // ---- userdata -------------------------------------------------------------------------
  void* newUserdata(size_t size);               // pushes a new full userdata
  bool newMetatable(std::string_view tname);    // registry[tname] = {__name = tname}; pushes it
  Type getMetatableByName(std::string_view tname);
  void setMetatableByName(std::string_view tname);  // sets the object at -1's metatable
  void* testUserdata(int index, std::string_view tname);
  void* checkUserdata(int index, std::string_view tname);

  // ---- calls ----------------------------------------------------------------------------
  // Function at -(nargs+1), arguments above it; replaced by `nresults` results (kMultRet: all).
  void call(int nargs, int nresults);
  // Like call, but errors are caught: returns true on success; on failure the error object
  // (after the handler at `handler`, if non-zero, transformed it) is left on the top.
  bool pcall(int nargs, int nresults, int handler = 0);
  // Ends a native function (`return L.tailCall(nargs);`) by calling the function at
  // -(nargs+1) with the arguments above it as a tail call: the callee runs as a frame of the
  // native's caller, so it may yield, and its results are the native's.
  int tailCall(int nargs);

  // ---- errors ---------------------------------------------------------------------------
  [[noreturn]] void error();                    // raises the value on the top
  // Raises the value on the top, a message whose "chunk:line: " is the Lua frame `level` up
  // (as error(msg, level) writes it): the position is recorded with the error (typed errors).
  [[noreturn]] void errorAt(int level);
  [[noreturn]] void raise(std::string_view message);  // where(1) + message, like luaL_error
  std::string where(int level);                 // "chunk:line: " of that Lua frame, or ""
  [[noreturn]] void argError(int arg, std::string_view extra);  // "bad argument #arg to 'f' (extra)"
  [[noreturn]] void typeError(int arg, std::string_view expected);  // "... (X expected, got Y)"
  int64_t checkInteger(int arg);     // "number has no integer representation" for 1.5
  double checkNumber(int arg);
  std::string_view checkString(int arg);        // numbers are converted in place
  void checkType(int arg, Type type);
  void checkAny(int arg);                       // "value expected"
  int64_t optInteger(int arg, int64_t fallback);
  double optNumber(int arg, double fallback);
  std::string_view optString(int arg, std::string_view fallback);
  // Index of the argument's string in `options`; `fallback` used when the arg is absent/nil.
  int checkOption(int arg, std::optional<std::string_view> fallback,
                  std::initializer_list<std::string_view> options);
  void argCheck(bool condition, int arg, std::string_view extra) {
    if (!condition) argError(arg, extra);
  }

  // ---- conversions for display ----------------------------------------------------------
  // Pushes the value at `index` converted as tostring() would (__tostring, __name) and returns it.
  std::string_view toDisplayString(int index);
  Type getMetaField(int index, std::string_view event);  // pushes it if present (else nothing)
  bool callMeta(int index, std::string_view event);      // calls it with the object, pushes 1 result

  // ---- the state's sinks ----------------------------------------------------------------
  void writeOutput(std::string_view text);      // print and io.write (stdout or the Session)
  void writeError(std::string_view text);       // stderr
  void warn(std::string_view message, bool toBeContinued);

 private:
  State* state_;
  Thread* thread_;
};

}  // namespace lunette
