// The compiler's output: plain data describing one Lua function and, recursively, its children.
//
// The compiler knows nothing of the heap: it fills these structs and the VM turns them into
// collected Proto objects (vm/proto.cpp). That keeps the front end testable and fuzzable
// without a State, and keeps the runtime free of parser code.
//
// Invariants the VM relies on:
//  - code.size() == lineinfo.size(); lineinfo[pc] is the source line of code[pc] (a function
//    loaded from a stripped binary chunk has no lineinfo at all, and no locvars or upvalue names);
//  - every path ends in RETURN (the last instruction is a RETURN);
//  - maxstacksize >= every register used + 1 and >= 2; at most kMaxRegisters;
//  - locvars are in order of declaration; startpc is the first pc where the local is active,
//    endpc the first pc where it is not; registers follow declaration order (opcodes.h);
//  - upvalues[i].instack: captured from the enclosing function's register `index`, otherwise
//    from the enclosing function's upvalue `index`. A main chunk has exactly one upvalue, _ENV,
//    with instack = true, index = 0.
//  - RETURN and TAILCALL have k set whenever the frame may hold something to close when it
//    ends (frameNeedsClose below): the interpreter skips the search for open upvalues and
//    to-be-closed variables when k is clear. RETURN0 and RETURN1 (never k) appear only in a
//    frame with nothing to close. settleExits establishes both; the compiler and the chunk
//    loader both run it, so a loaded chunk cannot leave an upvalue open on a dead frame.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "bytecode/opcodes.h"

namespace lunette {

struct NilConstant {
  bool operator==(const NilConstant&) const = default;
};

// A constant: nil, boolean, integer, float or string. Floats and integers are distinct
// constants (1 and 1.0 are two entries), as are 0.0 and -0.0 and distinct NaNs are never
// emitted as constants.
using Constant = std::variant<NilConstant, bool, int64_t, double, std::string>;

enum class VarKind : uint8_t { Regular, Const, Close, CompileTimeConst };

struct LocalVarInfo {
  std::string name;
  int startpc = 0;
  int endpc = 0;
};

struct UpvalueInfo {
  std::string name;
  bool instack = false;
  uint8_t index = 0;
  VarKind kind = VarKind::Regular;
};

struct FunctionData {
  std::string source;  // the chunk name as given to load ("@file.lua", "=stdin", or the text)
  int linedefined = 0;       // 0 for a main chunk
  int lastlinedefined = 0;
  uint8_t numparams = 0;
  bool isVararg = false;
  uint8_t maxstacksize = 2;
  std::vector<Instruction> code;
  std::vector<int> lineinfo;
  std::vector<Constant> constants;
  std::vector<UpvalueInfo> upvalues;
  std::vector<std::unique_ptr<FunctionData>> children;  // CLOSURE A Bx refers to children[Bx]
  std::vector<LocalVarInfo> locvars;
};

// True when a frame of `f` may end with an open upvalue on one of its registers (a child
// function captures a register: CLOSURE) or a to-be-closed variable (TBC, or the closing value
// of a generic for: TFORPREP). (The reference compiler sets the same k bit from its scopes.)
inline bool frameNeedsClose(const FunctionData& f) {
  for (const auto& child : f.children)
    for (const UpvalueInfo& u : child->upvalues)
      if (u.instack) return true;
  for (Instruction i : f.code)
    if (opOf(i) == Op::Tbc || opOf(i) == Op::TForPrep) return true;
  return false;
}

// Settles how each exit of `f` ends its frame, from frameNeedsClose(f): every RETURN and
// TAILCALL carries k exactly when the frame may hold something to close, and a RETURN of no
// value or of one value from a frame with nothing to close becomes RETURN0 or RETURN1 (same
// operands), whose interpreter path skips the operand decoding and the close test. Whatever the
// opcodes said before (a loaded chunk's are not trusted), the result follows from B and
// frameNeedsClose alone.
inline void settleExits(FunctionData& f) {
  const Instruction kBit = Instruction{1} << 15;
  const Instruction kOpMask = 0x7F;
  bool needsClose = frameNeedsClose(f);
  for (Instruction& i : f.code) {
    Op op = opOf(i);
    if (op == Op::TailCall) {
      i = needsClose ? (i | kBit) : (i & ~kBit);
      continue;
    }
    if (op != Op::Return && op != Op::Return0 && op != Op::Return1) continue;
    Op exit = Op::Return;
    if (!needsClose && argB(i) == 1) exit = Op::Return0;
    if (!needsClose && argB(i) == 2) exit = Op::Return1;
    i = (i & ~kOpMask & ~kBit) | static_cast<Instruction>(exit) | (needsClose ? kBit : 0);
  }
}

}  // namespace lunette
