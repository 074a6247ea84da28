// The bytecode checker: decides whether a FunctionData keeps the invariants the VM relies on
// (function_data.h, opcodes.h), so that bytecode from outside the compiler (a binary chunk)
// can be run without the VM ever reading or writing outside a function's registers,
// constants, upvalues, children or code.
//
// What it checks, for the function and recursively for its children:
//  - the code is not empty, ends in RETURN, and every opcode is a known one;
//  - numparams <= maxstacksize, and 2 <= maxstacksize <= kMaxRegisters;
//  - every register operand (and every register range an instruction reads or writes) lies
//    below maxstacksize; every constant index is in range and of the kind the opcode needs
//    (a string for field names, a number for arithmetic with a constant);
//  - every upvalue index is in range; every child index of CLOSURE is in range; a child's
//    upvalue descriptors name a register below the parent's maxstacksize (instack) or one of
//    the parent's upvalues;
//  - every jump lands inside the code; comparisons and tests are followed by JMP, LOADKX and
//    SETLIST with k by EXTRAARG, and EXTRAARG follows one of them;
//  - VARARGPREP is the first instruction of a vararg function and only there; VARARG only in
//    a vararg function;
//  - lineinfo is empty (stripped) or has one line per instruction; local variable ranges lie
//    inside the code.
// It does NOT prove the types of register values (a crafted FORLOOP can meet a table where the
// compiler would have put a number); the interpreter reads values through their tags.
#pragma once

#include <string>

#include "bytecode/function_data.h"

namespace lunette {

// Empty when `function` and all its children keep the invariants above; otherwise a short
// description of the first broken one ("register out of range", ...).
std::string checkFunctionData(const FunctionData& function);

}  // namespace lunette
