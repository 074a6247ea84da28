// Lunette bytecode: the instruction format and the one opcode table.
//
// Representation. Every instruction is a 32-bit word:
//
//     bits  0..6   op   (7 bits)
//     bits  7..14  A    (8 bits, a register)
//     bit   15     k    (1 bit, a flag whose meaning the opcode gives)
//     bits 16..23  B    (8 bits)
//     bits 24..31  C    (8 bits)
//
//   Bx  = bits 15..31 as unsigned (17 bits; overlaps k, B and C)
//   sBx = Bx - kOffsetBx                (signed, -65535..65536)
//   Ax  = bits 7..31 as unsigned (25 bits)
//   sJ  = Ax - kOffsetSJ                (signed jump, relative to the next instruction)
//   sB, sC = B - kOffsetSC, C - kOffsetSC (signed 8-bit immediates, -127..128)
//
// Registers R[0..maxstacksize-1] are relative to the frame base. Locals occupy the lowest
// registers in declaration order: the n-th local active at a pc lives in R[n-1]. The VM's error
// messages (`local 'x'`, `global 'y'`, ...) rely on that, and on `locvars` in function_data.h.
//
// K[i] is the i-th constant. RK(C) means K[C] when k is set, else R[C]. Upvalue 0 of a main
// chunk is _ENV. "top" is the first free slot after a multiple-result producer (CALL with C=0,
// VARARG with C=0): the next CALL/RETURN/SETLIST with B=0 consumes values up to it.
//
// Conditional tests (EQ, LT, LE, EQK, EQI, LTI, LEI, GTI, GEI, TEST, TESTSET) are always followed
// by a JMP. "cond ~= k -> skip" means: if the comparison's truth differs from flag k, skip that
// JMP (pc++); otherwise execute it.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace lunette {

using Instruction = uint32_t;

enum class OpFormat : uint8_t { ABC, ABx, AsBx, Ax, sJ };

enum class Op : uint8_t {
  Move, LoadI, LoadF, LoadK, LoadKX, LoadFalse, LFalseSkip, LoadTrue, LoadNil,
  GetUpval, SetUpval,
  GetTabUp, GetTable, GetI, GetField,
  SetTabUp, SetTable, SetI, SetField,
  NewTable, Self,
  AddK, SubK, MulK, ModK, PowK, DivK, IDivK, BAndK, BOrK, BXorK, ShlK, ShrK,
  Add, Sub, Mul, Mod, Pow, Div, IDiv, BAnd, BOr, BXor, Shl, Shr,
  Unm, BNot, Not, Len,
  Concat, Close, Tbc, Jmp,
  Eq, Lt, Le, EqK, EqI, LtI, LeI, GtI, GeI,
  Test, TestSet,
  Call, TailCall, Return, Return0, Return1,
  ForLoop, ForPrep, TForPrep, TForCall, TForLoop,
  SetList, Closure, Vararg, VarargPrep, ExtraArg,
  Count_
};

struct OpInfo {
  Op op;
  std::string_view name;
  OpFormat format;
  std::string_view effect;  // operands and effect, the reference for compiler and VM alike
};

// The table. Order must match `enum class Op` (checked below).
inline constexpr std::array<OpInfo, static_cast<size_t>(Op::Count_)> kOpTable{{
    {Op::Move, "MOVE", OpFormat::ABC, "R[A] := R[B]"},
    {Op::LoadI, "LOADI", OpFormat::AsBx, "R[A] := sBx (integer)"},
    {Op::LoadF, "LOADF", OpFormat::AsBx, "R[A] := (double)sBx"},
    {Op::LoadK, "LOADK", OpFormat::ABx, "R[A] := K[Bx]"},
    {Op::LoadKX, "LOADKX", OpFormat::ABC, "R[A] := K[Ax of the next instruction, an EXTRAARG]"},
    {Op::LoadFalse, "LOADFALSE", OpFormat::ABC, "R[A] := false"},
    {Op::LFalseSkip, "LFALSESKIP", OpFormat::ABC, "R[A] := false; pc++"},
    {Op::LoadTrue, "LOADTRUE", OpFormat::ABC, "R[A] := true"},
    {Op::LoadNil, "LOADNIL", OpFormat::ABC, "R[A], R[A+1], ..., R[A+B] := nil  (B+1 registers)"},
    {Op::GetUpval, "GETUPVAL", OpFormat::ABC, "R[A] := Up[B]"},
    {Op::SetUpval, "SETUPVAL", OpFormat::ABC, "Up[B] := R[A]"},
    {Op::GetTabUp, "GETTABUP", OpFormat::ABC, "R[A] := Up[B][K[C]]  (K[C] a string)"},
    {Op::GetTable, "GETTABLE", OpFormat::ABC, "R[A] := R[B][R[C]]"},
    {Op::GetI, "GETI", OpFormat::ABC, "R[A] := R[B][C]  (C an integer 0..255)"},
    {Op::GetField, "GETFIELD", OpFormat::ABC, "R[A] := R[B][K[C]]  (K[C] a string)"},
    {Op::SetTabUp, "SETTABUP", OpFormat::ABC, "Up[A][K[B]] := RK(C)  (K[B] a string)"},
    {Op::SetTable, "SETTABLE", OpFormat::ABC, "R[A][R[B]] := RK(C)"},
    {Op::SetI, "SETI", OpFormat::ABC, "R[A][B] := RK(C)  (B an integer 0..255)"},
    {Op::SetField, "SETFIELD", OpFormat::ABC, "R[A][K[B]] := RK(C)  (K[B] a string)"},
    {Op::NewTable, "NEWTABLE", OpFormat::ABC,
     "R[A] := {}  (B: hash size hint, C: array size hint, both capped at 255)"},
    {Op::Self, "SELF", OpFormat::ABC, "R[A+1] := R[B]; R[A] := R[B][RK(C)]"},
    {Op::AddK, "ADDK", OpFormat::ABC, "R[A] := R[B] + K[C]  (K[C] a number)"},
    {Op::SubK, "SUBK", OpFormat::ABC, "R[A] := R[B] - K[C]"},
    {Op::MulK, "MULK", OpFormat::ABC, "R[A] := R[B] * K[C]"},
    {Op::ModK, "MODK", OpFormat::ABC, "R[A] := R[B] % K[C]"},
    {Op::PowK, "POWK", OpFormat::ABC, "R[A] := R[B] ^ K[C]"},
    {Op::DivK, "DIVK", OpFormat::ABC, "R[A] := R[B] / K[C]"},
    {Op::IDivK, "IDIVK", OpFormat::ABC, "R[A] := R[B] // K[C]"},
    {Op::BAndK, "BANDK", OpFormat::ABC, "R[A] := R[B] & K[C]  (K[C] an integer)"},
    {Op::BOrK, "BORK", OpFormat::ABC, "R[A] := R[B] | K[C]"},
    {Op::BXorK, "BXORK", OpFormat::ABC, "R[A] := R[B] ~ K[C]"},
    {Op::ShlK, "SHLK", OpFormat::ABC, "R[A] := R[B] << K[C]"},
    {Op::ShrK, "SHRK", OpFormat::ABC, "R[A] := R[B] >> K[C]"},
    {Op::Add, "ADD", OpFormat::ABC, "R[A] := R[B] + R[C]"},
    {Op::Sub, "SUB", OpFormat::ABC, "R[A] := R[B] - R[C]"},
    {Op::Mul, "MUL", OpFormat::ABC, "R[A] := R[B] * R[C]"},
    {Op::Mod, "MOD", OpFormat::ABC, "R[A] := R[B] % R[C]"},
    {Op::Pow, "POW", OpFormat::ABC, "R[A] := R[B] ^ R[C]"},
    {Op::Div, "DIV", OpFormat::ABC, "R[A] := R[B] / R[C]"},
    {Op::IDiv, "IDIV", OpFormat::ABC, "R[A] := R[B] // R[C]"},
    {Op::BAnd, "BAND", OpFormat::ABC, "R[A] := R[B] & R[C]"},
    {Op::BOr, "BOR", OpFormat::ABC, "R[A] := R[B] | R[C]"},
    {Op::BXor, "BXOR", OpFormat::ABC, "R[A] := R[B] ~ R[C]"},
    {Op::Shl, "SHL", OpFormat::ABC, "R[A] := R[B] << R[C]"},
    {Op::Shr, "SHR", OpFormat::ABC, "R[A] := R[B] >> R[C]"},
    {Op::Unm, "UNM", OpFormat::ABC, "R[A] := -R[B]"},
    {Op::BNot, "BNOT", OpFormat::ABC, "R[A] := ~R[B]"},
    {Op::Not, "NOT", OpFormat::ABC, "R[A] := not R[B]"},
    {Op::Len, "LEN", OpFormat::ABC, "R[A] := #R[B]"},
    {Op::Concat, "CONCAT", OpFormat::ABC, "R[A] := R[A] .. ... .. R[A+B-1]  (B >= 2)"},
    {Op::Close, "CLOSE", OpFormat::ABC,
     "close upvalues and to-be-closed variables of registers >= R[A]"},
    {Op::Tbc, "TBC", OpFormat::ABC, "mark R[A] as a to-be-closed variable"},
    {Op::Jmp, "JMP", OpFormat::sJ, "pc += sJ"},
    {Op::Eq, "EQ", OpFormat::ABC, "if ((R[A] == R[B]) ~= k) then pc++"},
    {Op::Lt, "LT", OpFormat::ABC, "if ((R[A] <  R[B]) ~= k) then pc++"},
    {Op::Le, "LE", OpFormat::ABC, "if ((R[A] <= R[B]) ~= k) then pc++"},
    {Op::EqK, "EQK", OpFormat::ABC, "if ((R[A] == K[B]) ~= k) then pc++"},
    {Op::EqI, "EQI", OpFormat::ABC, "if ((R[A] == sB) ~= k) then pc++  (sB an integer)"},
    {Op::LtI, "LTI", OpFormat::ABC, "if ((R[A] < sB) ~= k) then pc++"},
    {Op::LeI, "LEI", OpFormat::ABC, "if ((R[A] <= sB) ~= k) then pc++"},
    {Op::GtI, "GTI", OpFormat::ABC, "if ((R[A] > sB) ~= k) then pc++"},
    {Op::GeI, "GEI", OpFormat::ABC, "if ((R[A] >= sB) ~= k) then pc++"},
    {Op::Test, "TEST", OpFormat::ABC, "if (truthy(R[A]) ~= k) then pc++"},
    {Op::TestSet, "TESTSET", OpFormat::ABC,
     "if (truthy(R[B]) ~= k) then pc++ else { R[A] := R[B] (then the JMP runs) }"},
    {Op::Call, "CALL", OpFormat::ABC,
     "R[A], ..., R[A+C-2] := R[A](R[A+1], ..., R[A+B-1])  (B=0: args up to top; C=0: all "
     "results, sets top)"},
    {Op::TailCall, "TAILCALL", OpFormat::ABC,
     "return R[A](R[A+1], ..., R[A+B-1])  (B=0: up to top); closes upvalues first"},
    {Op::Return, "RETURN", OpFormat::ABC,
     "return R[A], ..., R[A+B-2]  (B=0: up to top); closes upvalues and tbc variables"},
    {Op::Return0, "RETURN0", OpFormat::ABC,
     "return  (B=1, k clear: RETURN with nothing to return and nothing to close)"},
    {Op::Return1, "RETURN1", OpFormat::ABC,
     "return R[A]  (B=2, k clear: RETURN of one value with nothing to close)"},
    {Op::ForLoop, "FORLOOP", OpFormat::ABx,
     "numeric for step; if the loop goes on: update R[A], R[A+3]; pc -= Bx + 1"},
    {Op::ForPrep, "FORPREP", OpFormat::ABx,
     "check and prepare the numeric for in R[A..A+2]; R[A+3] := R[A]; if the loop runs zero "
     "times, pc += Bx + 1"},
    {Op::TForPrep, "TFORPREP", OpFormat::ABx,
     "mark R[A+3] as to-be-closed (if not nil); pc += Bx"},
    {Op::TForCall, "TFORCALL", OpFormat::ABC, "R[A+4], ..., R[A+3+C] := R[A](R[A+1], R[A+2])"},
    {Op::TForLoop, "TFORLOOP", OpFormat::ABx,
     "if R[A+4] ~= nil then { R[A+2] := R[A+4]; pc -= Bx }"},
    {Op::SetList, "SETLIST", OpFormat::ABC,
     "R[A][C+i] := R[A+i], 1 <= i <= B  (B=0: up to top; if k, the start index C comes from "
     "the next EXTRAARG's Ax instead)"},
    {Op::Closure, "CLOSURE", OpFormat::ABx, "R[A] := closure(child function number Bx)"},
    {Op::Vararg, "VARARG", OpFormat::ABC,
     "R[A], ..., R[A+C-2] := vararg  (C=0: all of them, sets top)"},
    {Op::VarargPrep, "VARARGPREP", OpFormat::ABC,
     "first instruction of a vararg function; A = number of fixed parameters"},
    {Op::ExtraArg, "EXTRAARG", OpFormat::Ax, "extra (larger) argument for the previous opcode"},
}};

consteval bool opTableMatchesEnum() {
  for (size_t i = 0; i < kOpTable.size(); ++i)
    if (static_cast<size_t>(kOpTable[i].op) != i) return false;
  return true;
}
static_assert(opTableMatchesEnum(), "kOpTable must list the opcodes in enum order");

// ---- encoding and decoding --------------------------------------------------------------------

inline constexpr int kMaxArgA = 255, kMaxArgB = 255, kMaxArgC = 255;
inline constexpr int kMaxArgBx = (1 << 17) - 1;
inline constexpr int kOffsetBx = kMaxArgBx >> 1;  // 65535
inline constexpr int kMaxArgAx = (1 << 25) - 1;
inline constexpr int kOffsetSJ = kMaxArgAx >> 1;
inline constexpr int kOffsetSC = 127;
inline constexpr int kMaxRegisters = 255;  // a function may use R[0..254]

constexpr Op opOf(Instruction i) { return static_cast<Op>(i & 0x7F); }
constexpr int argA(Instruction i) { return (i >> 7) & 0xFF; }
constexpr bool argK(Instruction i) { return (i >> 15) & 1; }
constexpr int argB(Instruction i) { return (i >> 16) & 0xFF; }
constexpr int argC(Instruction i) { return (i >> 24) & 0xFF; }
constexpr int argSB(Instruction i) { return argB(i) - kOffsetSC; }
constexpr int argSC(Instruction i) { return argC(i) - kOffsetSC; }
constexpr int argBx(Instruction i) { return static_cast<int>(i >> 15); }
constexpr int argSBx(Instruction i) { return argBx(i) - kOffsetBx; }
constexpr int argAx(Instruction i) { return static_cast<int>(i >> 7); }
constexpr int argSJ(Instruction i) { return argAx(i) - kOffsetSJ; }

constexpr Instruction encodeABC(Op op, int a, int b, int c, bool k = false) {
  return static_cast<Instruction>(op) | (static_cast<Instruction>(a) << 7) |
         (static_cast<Instruction>(k) << 15) | (static_cast<Instruction>(b) << 16) |
         (static_cast<Instruction>(c) << 24);
}
constexpr Instruction encodeABx(Op op, int a, int bx) {
  return static_cast<Instruction>(op) | (static_cast<Instruction>(a) << 7) |
         (static_cast<Instruction>(bx) << 15);
}
constexpr Instruction encodeAsBx(Op op, int a, int sbx) { return encodeABx(op, a, sbx + kOffsetBx); }
constexpr Instruction encodeAx(Op op, int ax) {
  return static_cast<Instruction>(op) | (static_cast<Instruction>(ax) << 7);
}
constexpr Instruction encodeSJ(Op op, int sj) { return encodeAx(op, sj + kOffsetSJ); }

constexpr const OpInfo& opInfo(Op op) { return kOpTable[static_cast<size_t>(op)]; }

}  // namespace lunette
