// The disassembler: a FunctionData, and recursively its children, as text in the spirit of
// `luac -l -l`: a header per function, then one line per instruction (1-based pc, [line],
// opcode name from kOpTable, decoded operands, and a comment naming constants, upvalues, jump
// targets and call arities), then the constants, locals and upvalues.
//
// The output is deterministic (no addresses): functions are named by their path of child
// indices ("main", "function 1", "function 1.2"), so tests can compare it.
#pragma once

#include <string>

#include "bytecode/function_data.h"

namespace lunette {

std::string disassemble(const FunctionData& function);

// One instruction at `pc` (0-based) of `function`, without the pc and line columns.
std::string disassembleInstruction(const FunctionData& function, int pc);

}  // namespace lunette
