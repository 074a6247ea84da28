// Debug information derived from prototypes and frames: current lines, the names of values in
// error messages ("local 'x'", "global 'y'", ...), the names of called functions, tracebacks.
//
// Names come from symbolic execution of the bytecode, as in the reference: to name register r
// at pc, look for an active local in r; otherwise find the last instruction before pc that set
// r and describe what it loaded (a global through _ENV, a field, an upvalue, a method, a
// constant).
#pragma once

#include <string>

#include "vm/state.h"

namespace lunette {

int currentLine(const CallInfo& ci, const Proto* p);
int currentPc(const CallInfo& ci, const Proto* p);

// " (local 'x')" or "" for the value at `v` if it is a register or upvalue of the running Lua
// frame of L.
std::string describeValue(State& S, Thread& L, const Value* v);

// The name under which frame `index` of L was called: {"global"/"local"/"method"/"field"/
// "upvalue"/"for iterator"/"metamethod", name}; empty kind when unknown.
struct FunctionName {
  std::string kind;
  std::string name;
};
FunctionName calledName(State& S, Thread& L, int frameIndex);

// The name under which package.loaded holds a function ("print", "string.format"), or "".
std::string globalFunctionName(State& S, const Value& fn);

// Name of a local variable active at pc (1-based n-th local), nullptr if none.
const char* localName(const Proto* p, int n, int pc);

std::string buildTraceback(State& S, Thread& L, int level);

// Where frame `level` (0: the running function, 1: its caller) is: short chunk name and line,
// and the variable name of the `argument`-th argument of the call it is making, when known.
// False when that frame is not a Lua function.
bool callSite(State& S, Thread& L, int level, int argument, std::string& chunk, int& line,
              std::string& argumentName);

// "attempt to call a <type> value (<how the call named it>)"
[[noreturn]] void callError(State& S, Thread& L, const Value* v);

// "attempt to <op> a <type> value<desc>"
[[noreturn]] void typeError(State& S, Thread& L, const Value* v, const char* operation);

}  // namespace lunette
