// The code generator: AST -> FunctionData (bytecode of opcodes.h), one pass over the tree.
//
// It resolves names (locals, upvalues, globals through _ENV, compile-time constants), keeps
// block scopes, labels and pending gotos, allocates registers through the emitter, and reports
// the limits that depend on code generation (registers, upvalues) with the reference's wording.
// Goto/label rules and const assignment are checked again here, with the same messages, but the
// parser reports them first (scopes.h), at the point of the source where the reference does.
//
// Line information follows the reference instruction by instruction: the parser recorded, on
// the nodes, the lines the reference's one-pass compiler had just read at each point where it
// emits code, and the generator sets the emitter's current line from them at those points.
//
// Invariants of the generated functions: those listed in function_data.h; in addition a
// function's registers below activeRegs are exactly its active non-constant locals, in
// declaration order.
#pragma once

#include <memory>
#include <string_view>

#include "bytecode/function_data.h"
#include "compiler/ast.h"

namespace lunette {

// `source` is the text the chunk was parsed from (error messages quote tokens from it).
std::unique_ptr<FunctionData> generateCode(const ast::Chunk& chunk, std::string_view source,
                                           std::string_view chunkname);

}  // namespace lunette
