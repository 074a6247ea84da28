// Code generator tests: the bytecode contract with the VM (register layout, debug information,
// access forms the VM's error messages rely on, closures, loops, SETLIST, constants, folding),
// the reference's semantic errors and limits, line information, and the disassembler.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "bytecode/disasm.h"
#include "compiler/compile.h"

namespace lunette {
namespace {

std::unique_ptr<FunctionData> compileOk(std::string_view source) {
  return compile(source, "=test");
}

std::string error(std::string_view source) {
  try {
    compile(source, "=test");
  } catch (const SyntaxError& e) {
    return e.what();
  }
  return "no error";
}

std::vector<Op> opsOf(const FunctionData& f) {
  std::vector<Op> ops;
  for (Instruction i : f.code) ops.push_back(opOf(i));
  return ops;
}

int countOp(const FunctionData& f, Op op) {
  auto ops = opsOf(f);
  return static_cast<int>(std::count(ops.begin(), ops.end(), op));
}

// The first instruction with opcode `op` (fails the test if there is none).
Instruction first(const FunctionData& f, Op op) {
  for (Instruction i : f.code)
    if (opOf(i) == op) return i;
  ADD_FAILURE() << "no " << opInfo(op).name;
  return 0;
}

std::vector<Instruction> all(const FunctionData& f, Op op) {
  std::vector<Instruction> found;
  for (Instruction i : f.code)
    if (opOf(i) == op) found.push_back(i);
  return found;
}

const std::string& stringConstant(const FunctionData& f, int index) {
  return std::get<std::string>(f.constants.at(static_cast<size_t>(index)));
}

// ---- the function layout ------------------------------------------------------------------------

TEST(Codegen, StartsVarargFunctionsWithVarargPrep) {
  auto f = compileOk("local a = function(x, y, ...) end local b = function(x) end");
  EXPECT_TRUE(f->isVararg);
  EXPECT_EQ(f->upvalues.size(), 1u);
  EXPECT_EQ(f->upvalues[0].name, "_ENV");
  EXPECT_TRUE(f->upvalues[0].instack);
  EXPECT_EQ(f->code[0], encodeABC(Op::VarargPrep, 0, 0, 0));
  const FunctionData& vararg = *f->children[0];
  EXPECT_TRUE(vararg.isVararg);
  EXPECT_EQ(vararg.numparams, 2);
  EXPECT_EQ(vararg.code[0], encodeABC(Op::VarargPrep, 2, 0, 0));
  const FunctionData& fixed = *f->children[1];
  EXPECT_FALSE(fixed.isVararg);
  EXPECT_EQ(countOp(fixed, Op::VarargPrep), 0);
}

TEST(Codegen, EndsEveryFunctionWithReturn) {
  auto f = compileOk("if x then return 1 end");
  EXPECT_EQ(opOf(f->code.back()), Op::Return0);  // a RETURN of nothing, nothing to close
  EXPECT_EQ(f->code.size(), f->lineinfo.size());
}

TEST(Codegen, PutsLocalsInTheLowestRegistersInDeclarationOrder) {
  auto f = compileOk("local a, b = 1, 2\nlocal c = a + b");
  EXPECT_EQ(opsOf(*f), (std::vector<Op>{Op::VarargPrep, Op::LoadI, Op::LoadI, Op::Add,
                                        Op::Return0}));
  EXPECT_EQ(f->code[1], encodeAsBx(Op::LoadI, 0, 1));
  EXPECT_EQ(f->code[2], encodeAsBx(Op::LoadI, 1, 2));
  EXPECT_EQ(f->code[3], encodeABC(Op::Add, 2, 0, 1));
  ASSERT_EQ(f->locvars.size(), 3u);
  EXPECT_EQ(f->locvars[0].name, "a");
  EXPECT_EQ(f->locvars[0].startpc, 3);
  EXPECT_EQ(f->locvars[0].endpc, 5);
  EXPECT_EQ(f->locvars[2].name, "c");
  EXPECT_EQ(f->locvars[2].startpc, 4);
  EXPECT_EQ(f->maxstacksize, 3);
}

TEST(Codegen, GivesLocvarsExactScopes) {
  auto f = compileOk("do local x = 1 end\nlocal y = 2\nlocal z = y");
  ASSERT_EQ(f->locvars.size(), 3u);
  EXPECT_EQ(f->locvars[0].name, "x");
  EXPECT_EQ(f->locvars[0].startpc, 2);
  EXPECT_EQ(f->locvars[0].endpc, 2);
  EXPECT_EQ(f->locvars[1].name, "y");
  EXPECT_EQ(f->locvars[1].startpc, 3);
  EXPECT_EQ(f->locvars[2].startpc, 4);
  EXPECT_EQ(f->locvars[2].endpc, 5);
  EXPECT_EQ(f->code[3], encodeABC(Op::Move, 1, 0, 0));  // y reused x's register
}

TEST(Codegen, SeesTheOuterVariableInItsOwnInitialiser) {
  auto f = compileOk("local x = 1\nlocal x = x + 1");
  EXPECT_EQ(f->code[2], encodeABC(Op::AddK, 1, 0, 0));
}

TEST(Codegen, PutsAConstantLeftOfACommutativeOperatorInTheConstantFormFlagged) {
  // x is R[0]; `2.0 * x` is MULK with k set (operands swapped), `x * 2.0` without.
  auto f = compileOk("local x = ...\nlocal a = 2.0 * x\nlocal b = x * 2.0\nlocal c = 3 & x");
  auto mulks = all(*f, Op::MulK);
  ASSERT_EQ(mulks.size(), 2u);
  EXPECT_EQ(mulks[0], encodeABC(Op::MulK, 1, 0, 0, true));
  EXPECT_EQ(mulks[1], encodeABC(Op::MulK, 2, 0, 0, false));
  EXPECT_TRUE(argK(first(*f, Op::BAndK)));
  EXPECT_EQ(countOp(*f, Op::LoadF) + countOp(*f, Op::Mul) + countOp(*f, Op::BAnd), 0);
  // Not for a non-commutative operator: 2.0 - x keeps a register operand.
  auto g = compileOk("local x = ...\nlocal a = 2.0 - x");
  EXPECT_EQ(countOp(*g, Op::SubK), 0);
  EXPECT_EQ(countOp(*g, Op::Sub), 1);
}

TEST(Codegen, ComparesWithAnIntegralFloatConstantAsAnImmediateFlaggedFloat) {
  auto f = compileOk("local x = ...\nif x > 4.0 then end\nif x < 4 then end\nif 2.0 <= x then end");
  Instruction gt = first(*f, Op::GtI);
  EXPECT_EQ(argSB(gt), 4);
  EXPECT_EQ(argC(gt), 1);  // written as a float
  Instruction lt = first(*f, Op::LtI);
  EXPECT_EQ(argSB(lt), 4);
  EXPECT_EQ(argC(lt), 0);
  EXPECT_EQ(argC(first(*f, Op::GeI)), 1);
  EXPECT_EQ(countOp(*f, Op::LoadF) + countOp(*f, Op::Lt) + countOp(*f, Op::Le), 0);
  // A float that is not a small integer stays a register operand.
  auto g = compileOk("local x = ...\nif x > 4.5 then end");
  EXPECT_EQ(countOp(*g, Op::GtI) + countOp(*g, Op::LtI), 0);
}

TEST(Codegen, ActivatesALocalFunctionBeforeItsBodyForRecursion) {
  auto f = compileOk("local function fact(n) return fact(n - 1) end");
  const FunctionData& fact = *f->children[0];
  ASSERT_EQ(fact.upvalues.size(), 1u);
  EXPECT_EQ(fact.upvalues[0].name, "fact");
  EXPECT_TRUE(fact.upvalues[0].instack);
  // The debug information sees `fact` only after the closure is stored.
  EXPECT_EQ(f->locvars[0].startpc, 2);
}

TEST(Codegen, KeepsCompileTimeConstantsOutOfRegisters) {
  auto f = compileOk("local k <const> = 10\nlocal s <const> = 'str'\nlocal x = k + 1\nreturn s");
  ASSERT_EQ(f->locvars.size(), 1u);
  EXPECT_EQ(f->locvars[0].name, "x");
  EXPECT_EQ(f->code[1], encodeAsBx(Op::LoadI, 0, 11));  // folded through the constant
  Instruction load = first(*f, Op::LoadK);
  EXPECT_EQ(stringConstant(*f, argBx(load)), "str");
  // A <const> whose value is not a compile-time constant still takes a register.
  auto g = compileOk("local t <const> = {}\nlocal u = t");
  EXPECT_EQ(g->locvars.size(), 2u);
  // Only the last variable of a list can become a compile-time constant.
  auto h = compileOk("local a <const>, b <const> = 1, 2");
  ASSERT_EQ(h->locvars.size(), 1u);
  EXPECT_EQ(h->locvars[0].name, "a");
}

TEST(Codegen, ComputesMaxStackSize) {
  auto f = compileOk("local a, b, c\nf(a, b, c)");
  EXPECT_EQ(f->maxstacksize, 7);
  auto g = compileOk("");
  EXPECT_EQ(g->maxstacksize, 2);
}

TEST(Codegen, MergesAdjacentLoadNils) {
  auto f = compileOk("local a\nlocal b\nlocal c, d");
  EXPECT_EQ(opsOf(*f), (std::vector<Op>{Op::VarargPrep, Op::LoadNil, Op::Return0}));
  EXPECT_EQ(f->code[1], encodeABC(Op::LoadNil, 0, 3, 0));
}

// ---- access forms the VM names variables by -----------------------------------------------------

TEST(Codegen, AccessesGlobalsThroughTheEnvUpvalue) {
  auto f = compileOk("x = y");
  Instruction get = first(*f, Op::GetTabUp);
  EXPECT_EQ(argB(get), 0);
  EXPECT_EQ(stringConstant(*f, argC(get)), "y");
  Instruction set = first(*f, Op::SetTabUp);
  EXPECT_EQ(argA(set), 0);
  EXPECT_EQ(stringConstant(*f, argB(set)), "x");
  EXPECT_FALSE(argK(set));
  EXPECT_EQ(argC(set), argA(get));
}

TEST(Codegen, AccessesGlobalsThroughALocalEnvWithFieldOps) {
  auto f = compileOk("local _ENV = {}\nx = y");
  EXPECT_EQ(countOp(*f, Op::GetTabUp), 0);
  Instruction get = first(*f, Op::GetField);
  EXPECT_EQ(argB(get), 0);
  EXPECT_EQ(stringConstant(*f, argC(get)), "y");
  Instruction set = first(*f, Op::SetField);
  EXPECT_EQ(argA(set), 0);
  EXPECT_EQ(stringConstant(*f, argB(set)), "x");
}

TEST(Codegen, LoadsGlobalNamesWithLargeConstantIndicesIntoRegisters) {
  std::string source = "local t = {";
  for (int i = 0; i < 300; ++i) source += "'s" + std::to_string(i) + "',";
  source += "}\nreturn zzz";
  auto f = compileOk(source);
  EXPECT_EQ(countOp(*f, Op::GetTabUp), 0);
  Instruction up = first(*f, Op::GetUpval);
  EXPECT_EQ(argB(up), 0);  // _ENV
  Instruction get = first(*f, Op::GetTable);
  EXPECT_EQ(argB(get), argA(up));
}

TEST(Codegen, IndexesWithTheNarrowestForm) {
  auto f = compileOk("local t, k = {}, 1\nreturn t.x, t['y'], t[1], t[k], t[256], t[-1]");
  std::vector<Op> ops;
  for (Op op : opsOf(*f))
    if (op == Op::GetField || op == Op::GetI || op == Op::GetTable) ops.push_back(op);
  EXPECT_EQ(ops, (std::vector<Op>{Op::GetField, Op::GetField, Op::GetI, Op::GetTable,
                                  Op::GetTable, Op::GetTable}));
  EXPECT_EQ(argC(first(*f, Op::GetI)), 1);
}

TEST(Codegen, StoresWithConstantOperands) {
  auto f = compileOk("local t = {}\nt.x = 1\nt[2] = 'v'\nt[t] = t");
  Instruction field = first(*f, Op::SetField);
  EXPECT_TRUE(argK(field));
  EXPECT_EQ(std::get<int64_t>(f->constants.at(static_cast<size_t>(argC(field)))), 1);
  Instruction seti = first(*f, Op::SetI);
  EXPECT_EQ(argB(seti), 2);
  EXPECT_TRUE(argK(seti));
  Instruction settable = first(*f, Op::SetTable);
  EXPECT_FALSE(argK(settable));
  EXPECT_EQ(settable, encodeABC(Op::SetTable, 0, 0, 0));
}

TEST(Codegen, UsesSelfForMethodCalls) {
  auto f = compileOk("obj:method(1)");
  Instruction self = first(*f, Op::Self);
  EXPECT_TRUE(argK(self));
  EXPECT_EQ(stringConstant(*f, argC(self)), "method");
  Instruction call = first(*f, Op::Call);
  EXPECT_EQ(argA(call), argA(self));
  EXPECT_EQ(argB(call), 3);  // self and one argument
  EXPECT_EQ(argC(call), 1);  // a statement wants no result
}

TEST(Codegen, AddsSelfToMethodDefinitions) {
  auto f = compileOk("function a.b:c(x) return self end");
  const FunctionData& method = *f->children[0];
  EXPECT_EQ(method.numparams, 2);
  EXPECT_EQ(method.locvars[0].name, "self");
  EXPECT_EQ(method.locvars[1].name, "x");
  EXPECT_EQ(countOp(*f, Op::GetTabUp), 1);  // a
  EXPECT_EQ(countOp(*f, Op::GetField), 1);  // a.b
  EXPECT_EQ(countOp(*f, Op::SetField), 1);  // a.b.c = closure
}

// ---- closures -----------------------------------------------------------------------------------

TEST(Codegen, DescribesWhereClosuresFindTheirUpvalues) {
  auto f = compileOk(
      "local a, z\nlocal function f()\n local b\n return function() return a, b, z end\nend");
  const FunctionData& outer = *f->children[0];
  ASSERT_EQ(outer.upvalues.size(), 2u);
  EXPECT_EQ(outer.upvalues[0].name, "a");
  EXPECT_TRUE(outer.upvalues[0].instack);
  EXPECT_EQ(outer.upvalues[0].index, 0);
  EXPECT_EQ(outer.upvalues[1].name, "z");
  EXPECT_EQ(outer.upvalues[1].index, 1);
  const FunctionData& inner = *outer.children[0];
  ASSERT_EQ(inner.upvalues.size(), 3u);
  EXPECT_EQ(inner.upvalues[0].name, "a");
  EXPECT_FALSE(inner.upvalues[0].instack);  // from f's upvalue 0
  EXPECT_EQ(inner.upvalues[0].index, 0);
  EXPECT_EQ(inner.upvalues[1].name, "b");
  EXPECT_TRUE(inner.upvalues[1].instack);  // from f's register 0
  EXPECT_EQ(inner.upvalues[1].index, 0);
  EXPECT_FALSE(inner.upvalues[2].instack);
  EXPECT_EQ(inner.upvalues[2].index, 1);
  Instruction closure = first(outer, Op::Closure);
  EXPECT_EQ(argBx(closure), 0);
}

TEST(Codegen, RecordsTheKindOfCapturedConstantsAndCloseVariables) {
  auto f =
      compileOk("local c <const> = {}\nlocal d <close> = nil\nreturn function() return c, d end");
  const FunctionData& inner = *f->children[0];
  EXPECT_EQ(inner.upvalues[0].kind, VarKind::Const);
  EXPECT_EQ(inner.upvalues[1].kind, VarKind::Close);
}

TEST(Codegen, ClosesFreshLoopLocalsOnEveryIteration) {
  auto numeric = compileOk("for i = 1, 3 do local x = i\n g(function() return x end) end");
  auto ops = opsOf(*numeric);
  auto loop = std::find(ops.begin(), ops.end(), Op::ForLoop);
  ASSERT_NE(loop, ops.end());
  EXPECT_EQ(*(loop - 1), Op::Close);
  auto whileLoop = compileOk("while c do local x\n g(function() return x end) end");
  ops = opsOf(*whileLoop);
  auto back = std::find(ops.rbegin(), ops.rend(), Op::Jmp);
  EXPECT_EQ(*(back + 1), Op::Close);
  auto repeatLoop = compileOk("repeat local x\n g(function() return x end) until x");
  EXPECT_EQ(countOp(*repeatLoop, Op::Close), 2);  // on exit and before going around
  auto uncaptured = compileOk("for i = 1, 3 do local x = i end");
  EXPECT_EQ(countOp(*uncaptured, Op::Close), 0);
}

TEST(Codegen, ClosesCapturedLocalsOnBreakAndGotoOut) {
  auto f = compileOk(
      "while true do\n local x\n g(function() return x end)\n if y then break end\nend");
  // One CLOSE at the end of the body, one after the loop where the break lands.
  EXPECT_EQ(countOp(*f, Op::Close), 2);
  auto g = compileOk("do\n local x\n h(function() return x end)\n goto out\nend\n::out::");
  EXPECT_EQ(countOp(*g, Op::Close), 2);
}

// ---- loops --------------------------------------------------------------------------------------

TEST(Codegen, CompilesNumericForWithPrepAndLoopJumps) {
  auto f = compileOk("for i = 1, 10, 2 do g(i) end");
  auto ops = opsOf(*f);
  int prep = static_cast<int>(std::find(ops.begin(), ops.end(), Op::ForPrep) - ops.begin());
  int loop = static_cast<int>(std::find(ops.begin(), ops.end(), Op::ForLoop) - ops.begin());
  Instruction forprep = f->code[static_cast<size_t>(prep)];
  Instruction forloop = f->code[static_cast<size_t>(loop)];
  EXPECT_EQ(argA(forprep), 0);
  EXPECT_EQ(argA(forloop), 0);
  // FORPREP skips past FORLOOP: pc += Bx + 1 from the next instruction.
  EXPECT_EQ(prep + 1 + argBx(forprep) + 1, loop + 1);
  // FORLOOP goes back to the body: pc -= Bx + 1 from the next instruction.
  EXPECT_EQ(loop + 1 - (argBx(forloop) + 1), prep + 1);
  ASSERT_EQ(f->locvars.size(), 4u);
  EXPECT_EQ(f->locvars[3].name, "i");
}

TEST(Codegen, CompilesGenericForWithFourHiddenSlots) {
  auto f = compileOk("for k, v in pairs(t) do g(k, v) end");
  Instruction prep = first(*f, Op::TForPrep);
  Instruction call = first(*f, Op::TForCall);
  Instruction loop = first(*f, Op::TForLoop);
  EXPECT_EQ(argA(prep), 0);
  EXPECT_EQ(argA(call), 0);
  EXPECT_EQ(argC(call), 2);
  EXPECT_EQ(argA(loop), 0);
  std::vector<std::string> names;
  for (const auto& v : f->locvars) names.push_back(v.name);
  EXPECT_EQ(names, (std::vector<std::string>{"(for state)", "(for state)", "(for state)",
                                             "(for state)", "k", "v"}));
  auto ops = opsOf(*f);
  int p = static_cast<int>(std::find(ops.begin(), ops.end(), Op::TForPrep) - ops.begin());
  int c = static_cast<int>(std::find(ops.begin(), ops.end(), Op::TForCall) - ops.begin());
  int l = c + 1;
  EXPECT_EQ(p + 1 + argBx(prep), c);          // TFORPREP jumps to TFORCALL
  EXPECT_EQ(l + 1 - argBx(loop), p + 1);      // TFORLOOP goes back to the body
  EXPECT_EQ(opOf(f->code[static_cast<size_t>(l + 1)]), Op::Close);  // the closing value
  EXPECT_GE(f->maxstacksize, 4 + 3);          // room for TFORCALL's call
}

TEST(Codegen, CompilesIfBreakAsOneJump) {
  auto f = compileOk("while x do if y then break end end");
  auto ops = opsOf(*f);
  // TEST x, JMP exit, TEST y, JMP exit (taken when y is true), JMP back.
  EXPECT_EQ(countOp(*f, Op::Jmp), 3);
  EXPECT_EQ(countOp(*f, Op::Test), 2);
}

// ---- tables -------------------------------------------------------------------------------------

TEST(Codegen, StoresListItemsInBatchesOf50) {
  std::string source = "local t = {";
  for (int i = 1; i <= 120; ++i) source += std::to_string(i) + ",";
  source += "}";
  auto f = compileOk(source);
  auto lists = all(*f, Op::SetList);
  ASSERT_EQ(lists.size(), 3u);
  EXPECT_EQ(lists[0], encodeABC(Op::SetList, 0, 50, 0));
  EXPECT_EQ(lists[1], encodeABC(Op::SetList, 0, 50, 50));
  EXPECT_EQ(lists[2], encodeABC(Op::SetList, 0, 20, 100));
  EXPECT_EQ(first(*f, Op::NewTable), encodeABC(Op::NewTable, 0, 0, 120));
}

TEST(Codegen, StoresAnOpenLastItemUpToTop) {
  auto f = compileOk("local t = {1, 2, f()}\nlocal u = {...}");
  auto lists = all(*f, Op::SetList);
  ASSERT_EQ(lists.size(), 2u);
  EXPECT_EQ(argB(lists[0]), 0);
  EXPECT_EQ(argC(lists[0]), 0);
  EXPECT_EQ(argC(first(*f, Op::Call)), 0);  // all results
  EXPECT_EQ(argB(lists[1]), 0);
  EXPECT_EQ(argC(first(*f, Op::Vararg)), 0);
  // After other items the open one counts as one value in the hint; alone it does not.
  auto tables = all(*f, Op::NewTable);
  ASSERT_EQ(tables.size(), 2u);
  EXPECT_EQ(argC(tables[0]), 3);
  EXPECT_EQ(argC(tables[1]), 0);
}

TEST(Codegen, MovesLargeListOffsetsToExtraArg) {
  std::string source = "local t = {";
  for (int i = 1; i <= 400; ++i) source += "0,";
  source += "}";
  auto f = compileOk(source);
  auto ops = opsOf(*f);
  std::vector<Instruction> lists = all(*f, Op::SetList);
  ASSERT_EQ(lists.size(), 8u);
  EXPECT_EQ(lists[5], encodeABC(Op::SetList, 0, 50, 250));
  EXPECT_EQ(lists[6], encodeABC(Op::SetList, 0, 50, 0, true));
  auto it = std::find(f->code.begin(), f->code.end(), lists[6]);
  ASSERT_NE(it + 1, f->code.end());
  EXPECT_EQ(*(it + 1), encodeAx(Op::ExtraArg, 300));
  EXPECT_EQ(argC(first(*f, Op::NewTable)), 255);  // the hint is capped
}

TEST(Codegen, CountsHashFieldsForTheSizeHint) {
  auto f = compileOk("local t = {1, 2, x = 1, [3] = 4, y = 5}");
  EXPECT_EQ(first(*f, Op::NewTable), encodeABC(Op::NewTable, 0, 3, 2));
}

// ---- constants ----------------------------------------------------------------------------------

TEST(Codegen, DeduplicatesConstantsButKeepsIntegersAndFloatsApart) {
  auto f = compileOk("return 'a', 'a', 1000000, 1000000, 1000000.0, 'b', 'a'");
  EXPECT_EQ(f->constants.size(), 4u);
  EXPECT_EQ(std::get<std::string>(f->constants[0]), "a");
  EXPECT_EQ(std::get<int64_t>(f->constants[1]), 1000000);
  EXPECT_EQ(std::get<double>(f->constants[2]), 1000000.0);
}

TEST(Codegen, LoadsSmallNumbersAsImmediates) {
  auto f = compileOk("return 65536, 65537, -65535, 2.0, 0.5, -3.0");
  std::vector<Op> ops = opsOf(*f);
  EXPECT_EQ(ops, (std::vector<Op>{Op::VarargPrep, Op::LoadI, Op::LoadK, Op::LoadI, Op::LoadF,
                                  Op::LoadK, Op::LoadF, Op::Return, Op::Return0}));
  EXPECT_EQ(argSBx(f->code[3]), -65535);
  EXPECT_EQ(argSBx(f->code[6]), -3);
}

TEST(Codegen, UsesLoadKXBeyondSeventeenBitConstantIndices) {
  std::string source = "local t = {";
  source.reserve(2'000'000);
  for (int i = 0; i < (1 << 17) + 2; ++i) source += "'" + std::to_string(i) + "',";
  source += "}";
  auto f = compileOk(source);
  ASSERT_GE(countOp(*f, Op::LoadKX), 1);
  auto it = std::find_if(f->code.begin(), f->code.end(),
                         [](Instruction i) { return opOf(i) == Op::LoadKX; });
  EXPECT_EQ(*(it + 1), encodeAx(Op::ExtraArg, kMaxArgBx + 1));
}

// ---- folding and operators ----------------------------------------------------------------------

TEST(Codegen, FoldsNumericConstantsLikeTheVm) {
  auto folded = [](std::string_view e) {
    auto f = compileOk("return " + std::string(e));
    return disassembleInstruction(*f, 1);
  };
  EXPECT_EQ(folded("2 * 3 + 1"), "LOADI    \t0 7");
  EXPECT_EQ(folded("3 % -2"), "LOADI    \t0 -1");
  EXPECT_EQ(folded("7 // 2.0"), "LOADF    \t0 3");
  EXPECT_EQ(folded("2 ^ 10"), "LOADF    \t0 1024");
  EXPECT_EQ(folded("1 << 64"), "LOADI    \t0 0");
  EXPECT_EQ(folded("-1 >> 63"), "LOADI    \t0 1");
  EXPECT_EQ(folded("~0"), "LOADI    \t0 -1");
  EXPECT_EQ(folded("math.maxinteger"), "GETTABUP \t0 0 0\t; _ENV \"math\"");
  EXPECT_EQ(folded("9223372036854775807 + 1"), "LOADK    \t0 0\t; -9223372036854775808");
  EXPECT_EQ(folded("-7 % -2.0"), "LOADF    \t0 -1");
  EXPECT_EQ(folded("5.5 % -2"), "LOADK    \t0 0\t; -0.5");
}

TEST(Codegen, LeavesErrorsNanAndNegativeZeroToRunTime) {
  EXPECT_EQ(countOp(*compileOk("return 1 // 0"), Op::IDivK), 1);
  EXPECT_EQ(countOp(*compileOk("return 1 % 0"), Op::ModK), 1);
  EXPECT_EQ(countOp(*compileOk("return 0 / 0"), Op::DivK), 1);
  EXPECT_EQ(countOp(*compileOk("return -0.0"), Op::Unm), 1);
  EXPECT_EQ(countOp(*compileOk("return 0.0 * -1"), Op::MulK), 1);
  EXPECT_EQ(countOp(*compileOk("return 1.5 | 1"), Op::BOrK), 1);
  EXPECT_EQ(countOp(*compileOk("return '10' + 1"), Op::AddK), 1);  // strings are not folded
}

TEST(Codegen, TakesConstantOperandsOnTheRightOrSwappedForACommutativeOperator) {
  auto f = compileOk("local x\nreturn x + 1, 1 + x, x - 2.5, x & 3, x << 1, 2 ^ x, x .. 'a'");
  std::vector<Op> ops = opsOf(*f);
  EXPECT_EQ(ops, (std::vector<Op>{Op::VarargPrep, Op::LoadNil, Op::AddK, Op::AddK,
                                  Op::SubK, Op::BAndK, Op::ShlK, Op::LoadI, Op::Pow, Op::Move,
                                  Op::LoadK, Op::Concat, Op::Return, Op::Return0}));
  // 1 + x: x is the register operand, k says the constant was on the left.
  EXPECT_FALSE(argK(f->code[2]));
  EXPECT_EQ(f->code[3], encodeABC(Op::AddK, argA(f->code[3]), 0, argC(f->code[2]), true));
  // x & 3.0 would need a conversion: no constant form for bitwise with floats.
  EXPECT_EQ(countOp(*compileOk("local x\nreturn x & 3.0"), Op::BAnd), 1);
}

TEST(Codegen, ConcatenatesAChainWithOneInstruction) {
  auto f = compileOk("local a, b, c\nreturn a .. b .. c .. 'd'");
  auto concats = all(*f, Op::Concat);
  ASSERT_EQ(concats.size(), 1u);
  EXPECT_EQ(argB(concats[0]), 4);
}

TEST(Codegen, ComparesWithImmediatesAndConstants) {
  auto f = compileOk("local x\nreturn x == 1, x < 2, x > 3, 4 <= x, x == 'a', x ~= nil, x < 1.5");
  auto eqi = first(*f, Op::EqI);
  EXPECT_EQ(argSB(eqi), 1);
  EXPECT_TRUE(argK(eqi));
  EXPECT_EQ(argSB(first(*f, Op::LtI)), 2);
  EXPECT_EQ(argSB(first(*f, Op::GtI)), 3);
  EXPECT_EQ(argSB(first(*f, Op::GeI)), 4);  // 4 <= x is x >= 4
  auto eqk = all(*f, Op::EqK);
  ASSERT_EQ(eqk.size(), 2u);
  EXPECT_EQ(stringConstant(*f, argB(eqk[0])), "a");
  EXPECT_TRUE(std::holds_alternative<NilConstant>(f->constants[static_cast<size_t>(argB(eqk[1]))]));
  EXPECT_FALSE(argK(eqk[1]));  // ~=
  EXPECT_EQ(countOp(*f, Op::Lt), 1);  // no immediate for 1.5
}

TEST(Codegen, KeepsOperandOrderForGreaterThan) {
  auto f = compileOk("local a, b\nreturn a > b, a >= b");
  EXPECT_EQ(first(*f, Op::Lt), encodeABC(Op::Lt, 1, 0, 0, true));  // a > b is b < a
  EXPECT_EQ(first(*f, Op::Le), encodeABC(Op::Le, 1, 0, 0, true));
}

TEST(Codegen, ShortCircuitsAndOrWithTestSet) {
  auto f = compileOk("local a, b\nlocal c = a or b");
  Instruction testset = first(*f, Op::TestSet);
  EXPECT_EQ(argA(testset), 2);
  EXPECT_EQ(argB(testset), 0);
  EXPECT_TRUE(argK(testset));
  auto g = compileOk("local a, b\nif a and b then x() end");
  EXPECT_EQ(countOp(*g, Op::TestSet), 0);
  EXPECT_EQ(countOp(*g, Op::Test), 2);
}

TEST(Codegen, FoldsNotIntoTheTest) {
  auto f = compileOk("local a\nif not a then x() end");
  EXPECT_EQ(countOp(*f, Op::Not), 0);
  EXPECT_EQ(first(*f, Op::Test), encodeABC(Op::Test, 0, 0, 0, true));
}

TEST(Codegen, MaterialisesComparisonsAsBooleans) {
  auto f = compileOk("local a, b\nlocal c = a < b");
  auto ops = opsOf(*f);
  EXPECT_EQ(ops, (std::vector<Op>{Op::VarargPrep, Op::LoadNil, Op::Lt, Op::Jmp, Op::LFalseSkip,
                                  Op::LoadTrue, Op::Return0}));
}

TEST(Codegen, JumpsStraightToFinalTargets) {
  auto f = compileOk("while a do if b then x() else y() end end");
  for (size_t pc = 0; pc < f->code.size(); ++pc) {
    Instruction i = f->code[pc];
    if (opOf(i) != Op::Jmp) continue;
    size_t target = pc + 1 + static_cast<size_t>(argSJ(i));
    EXPECT_NE(opOf(f->code.at(target)), Op::Jmp) << "jump at " << pc;
  }
}

// ---- calls and returns --------------------------------------------------------------------------

TEST(Codegen, PassesMultipleResultsThrough) {
  auto f = compileOk("f(g())\nlocal a, b, c = h()\nreturn ...");
  auto calls = all(*f, Op::Call);
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(argC(calls[0]), 0);  // g(): all results
  EXPECT_EQ(argB(calls[1]), 0);  // f(...): up to top
  EXPECT_EQ(argC(calls[2]), 4);  // h(): three results
  Instruction vararg = first(*f, Op::Vararg);
  EXPECT_EQ(argC(vararg), 0);
  EXPECT_EQ(argB(f->code[f->code.size() - 2]), 0);  // RETURN up to top
}

TEST(Codegen, TruncatesParenthesisedCallsToOneValue) {
  auto f = compileOk("return (f())");
  EXPECT_EQ(argC(first(*f, Op::Call)), 2);
  EXPECT_EQ(countOp(*f, Op::TailCall), 0);
}

TEST(Codegen, EmitsTailCallsOutsideToBeClosedScopes) {
  EXPECT_EQ(countOp(*compileOk("return f(x)"), Op::TailCall), 1);
  EXPECT_EQ(countOp(*compileOk("return o:m(x)"), Op::TailCall), 1);
  EXPECT_EQ(countOp(*compileOk("return f(x), 1"), Op::TailCall), 0);
  EXPECT_EQ(countOp(*compileOk("local c <close> = nil\nreturn f(x)"), Op::TailCall), 0);
  EXPECT_EQ(countOp(*compileOk("for k in pairs(t) do return f(k) end"), Op::TailCall), 0);
  EXPECT_EQ(countOp(*compileOk("do local c <close> = nil end\nreturn f(x)"), Op::TailCall), 1);
}

TEST(Codegen, MarksToBeClosedVariables) {
  auto f = compileOk("local a, b <close> = 1, 2");
  EXPECT_EQ(first(*f, Op::Tbc), encodeABC(Op::Tbc, 1, 0, 0));
}

TEST(Codegen, CopiesAssignmentTargetsTheAssignmentChanges) {
  // Stores go right to left, so a[i] must use the old i: it is copied first.
  auto f = compileOk("local a, i = {}, 1\na[i], i = 3, 2");
  Instruction move = first(*f, Op::Move);
  EXPECT_EQ(argB(move), 1);
  Instruction set = first(*f, Op::SetTable);
  EXPECT_EQ(argB(set), argA(move));
}

TEST(Codegen, StoresMultipleAssignmentsRightToLeft) {
  auto f = compileOk("a, b = 1, 2");
  auto sets = all(*f, Op::SetTabUp);
  ASSERT_EQ(sets.size(), 2u);
  EXPECT_EQ(stringConstant(*f, argB(sets[0])), "b");
  EXPECT_TRUE(argK(sets[0]));  // the last value goes straight to its target
  EXPECT_EQ(stringConstant(*f, argB(sets[1])), "a");
}

// RETURN and TAILCALL carry k exactly when the frame may end with something to close: the
// interpreter skips its search for open upvalues and to-be-closed variables when k is clear.
bool everyExitFlagged(const FunctionData& f, bool flagged) {
  bool any = false;
  for (Instruction i : f.code) {
    Op op = opOf(i);
    if (op != Op::Return && op != Op::Return0 && op != Op::Return1 && op != Op::TailCall) continue;
    any = true;
    if (argK(i) != flagged) return false;
  }
  return any;
}

TEST(Codegen, FlagsEveryExitOfAFunctionWhoseLocalsAreCaptured) {
  // The early RETURN is emitted before the closure that captures `a` is seen.
  auto f = compileOk("local a = 1\nif x then return g(a) end\nlocal f = function() return a end\nreturn f");
  EXPECT_TRUE(everyExitFlagged(*f, true));
  EXPECT_GE(countOp(*f, Op::TailCall), 1);
  EXPECT_TRUE(everyExitFlagged(*f->children[0], false));  // it captures nothing of its own
}

TEST(Codegen, FlagsEveryExitOfAFunctionWithToBeClosedVariables) {
  EXPECT_TRUE(everyExitFlagged(*compileOk("local c <close> = nil\nreturn 1"), true));
  EXPECT_TRUE(everyExitFlagged(*compileOk("for k in pairs(t) do end\nreturn 1"), true));
}

TEST(Codegen, LeavesTheExitsOfAPlainFunctionUnflagged) {
  auto f = compileOk("local function fib(n) if n < 2 then return n end return fib(n-1) + fib(n-2) end\n"
                     "for i = 1, 3 do print(i) end\nreturn fib(3)");
  // main captures `fib` (its own body refers to it); fib's frame captures nothing.
  EXPECT_TRUE(everyExitFlagged(*f, true));
  EXPECT_TRUE(everyExitFlagged(*f->children[0], false));
}

// ---- goto and labels ----------------------------------------------------------------------------

// Messages checked against lua5.4's load(source, "=test").
TEST(Codegen, ReportsGotoAndLabelErrorsLikeTheReference) {
  EXPECT_EQ(error("goto foo"), "test:1: no visible label 'foo' for <goto> at line 1");
  EXPECT_EQ(error("do ::l:: end goto l"), "test:1: no visible label 'l' for <goto> at line 1");
  EXPECT_EQ(error("goto l; local a; ::l:: print(a)"),
            "test:1: <goto l> at line 1 jumps into the scope of local 'a'");
  EXPECT_EQ(error("::a:: ::a::"), "test:1: label 'a' already defined on line 1");
  EXPECT_EQ(error("::a:: do ::a:: end"), "test:1: label 'a' already defined on line 1");
  EXPECT_EQ(error("function f()\n break\nend\n\nx=1"), "test:5: break outside loop at line 2");
  EXPECT_EQ(error("for i = 1, 2 do end break"), "test:1: break outside loop at line 1");
  EXPECT_EQ(error("repeat goto l; local a; ::l:: until a"),
            "test:1: <goto l> at line 1 jumps into the scope of local 'a'");
}

TEST(Codegen, AcceptsGotosTheManualAllows) {
  EXPECT_EQ(error("do goto l; local a; ::l:: ; ; end"), "no error");  // label at block end
  EXPECT_EQ(error("goto continue; local a; ::continue::"), "no error");
  EXPECT_EQ(error("do ::a:: end ::a::"), "no error");
  EXPECT_EQ(error("::top:: do goto top end"), "no error");
  EXPECT_EQ(error("while x do if y then goto next end ::next:: end"), "no error");
}

TEST(Codegen, ClosesScopesOnBackwardGotos) {
  auto f = compileOk("::top::\ndo local x = 1\n goto top end");
  EXPECT_EQ(countOp(*f, Op::Close), 1);
  Instruction jump = f->code[f->code.size() - 2];
  EXPECT_EQ(opOf(jump), Op::Jmp);
  EXPECT_EQ(static_cast<int>(f->code.size()) - 2 + 1 + argSJ(jump), 1);
}

// ---- semantic errors and limits -----------------------------------------------------------------

TEST(Codegen, RejectsAssignmentsToConstants) {
  EXPECT_EQ(error("local x <const> = 1; x = 2"), "test:1: attempt to assign to const variable 'x'");
  EXPECT_EQ(error("local x <const> = {}; x = 2"),
            "test:1: attempt to assign to const variable 'x'");
  EXPECT_EQ(error("local x <close> = nil; x = 1"),
            "test:1: attempt to assign to const variable 'x'");
  EXPECT_EQ(error("local x <const> = 1; function f() x = 2 end"),
            "test:1: attempt to assign to const variable 'x'");
  EXPECT_EQ(error("local t <const> = {}; function g() t = 1 end"),
            "test:1: attempt to assign to const variable 't'");
  EXPECT_EQ(error("local f <const> = 1\nfunction f()\nend\nx = 1"),
            "test:4: attempt to assign to const variable 'f'");
  EXPECT_EQ(error("local t <const> = {}; t.x = 1"), "no error");
}

TEST(Codegen, LimitsRegistersTo255) {
  std::string args = "f(";
  for (int i = 0; i < 300; ++i) args += "1, ";
  args += "1)";
  EXPECT_EQ(error(args), "test:1: function or expression needs too many registers near '1'");
}

TEST(Codegen, LimitsUpvaluesTo255) {
  std::string source;
  for (int block = 0; block < 2; ++block) {
    source += "local ";
    for (int i = 0; i < 150; ++i) source += (i ? ", v" : "v") + std::to_string(block * 150 + i);
    source += "\n";
    if (block == 0) source += "function f()\n";
  }
  source += "return function()\nlocal x\n";
  for (int i = 0; i < 300; ++i) source += "x = v" + std::to_string(i) + "\n";
  source += "end\nend";
  EXPECT_EQ(error(source),
            "test:262: too many upvalues (limit is 255) in function at line 4 near 'x'");
}

// ---- line information ---------------------------------------------------------------------------

std::vector<int> linesOf(const FunctionData& f, Op op) {
  std::vector<int> lines;
  for (size_t pc = 0; pc < f.code.size(); ++pc)
    if (opOf(f.code[pc]) == op) lines.push_back(f.lineinfo[pc]);
  return lines;
}

// The expected lines are those `luac5.4 -l -l` shows for the same source.
TEST(Codegen, GivesInstructionsTheReferenceLines) {
  auto f = compileOk(
      "local a = g\n"          // 1
      "  + h\n"                // 2
      "f(\n"                   // 3
      " a,\n"                  // 4
      " b\n"                   // 5
      ")\n"                    // 6
      "local s = a ..\n"       // 7
      "  b ..\n"               // 8
      "  c\n"                  // 9
      "local v = -\n"          // 10
      "  a\n"                  // 11
      "while a do\n"           // 12
      "  f()\n"                // 13
      "end\n");                // 14
  // b, the last argument, is loaded once the ')' has been read.
  EXPECT_EQ(linesOf(*f, Op::GetTabUp), (std::vector<int>{2, 2, 3, 6, 8, 9, 13}));
  EXPECT_EQ(linesOf(*f, Op::Add), (std::vector<int>{2}));
  EXPECT_EQ(linesOf(*f, Op::Call), (std::vector<int>{3, 13}));
  EXPECT_EQ(linesOf(*f, Op::Concat), (std::vector<int>{8}));
  EXPECT_EQ(linesOf(*f, Op::Unm), (std::vector<int>{10}));
  EXPECT_EQ(linesOf(*f, Op::Test), (std::vector<int>{12}));
  EXPECT_EQ(linesOf(*f, Op::Return0), (std::vector<int>{14}));
  EXPECT_EQ(f->lineinfo[f->code.size() - 2], 13);  // the loop's back jump
}

TEST(Codegen, GivesFunctionDefinitionsTheLineOfTheirKeyword) {
  auto f = compileOk("function t.f()\nend\nlocal g = function()\n\nend");
  EXPECT_EQ(linesOf(*f, Op::SetField), (std::vector<int>{1}));
  EXPECT_EQ(linesOf(*f, Op::Closure), (std::vector<int>{2, 5}));
  EXPECT_EQ(f->children[0]->linedefined, 1);
  EXPECT_EQ(f->children[0]->lastlinedefined, 2);
  EXPECT_EQ(f->children[1]->linedefined, 3);
  EXPECT_EQ(f->children[1]->lastlinedefined, 5);
}

// ---- disassembler -------------------------------------------------------------------------------

TEST(Disasm, ListsFunctionsInstructionsAndTables) {
  auto f = compile("local t = {}\nt.x = print\nreturn function(a) return a + t.x end", "@demo.lua");
  std::string text = disassemble(*f);
  EXPECT_NE(text.find("main <demo.lua:0,0> (7 instructions)"), std::string::npos) << text;
  EXPECT_NE(text.find("0+ params, 2 slots, 1 upvalue, 1 local, 2 constants, 1 function"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\t3\t[2]\tGETTABUP \t1 0 1\t; _ENV \"print\"\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("SETFIELD \t0 0 1\t; \"x\" R1"), std::string::npos) << text;
  EXPECT_NE(text.find("function 1 <demo.lua:3,3> (4 instructions)"), std::string::npos) << text;
  EXPECT_NE(text.find("GETTABUP \t1 0 0\t; t \"x\""), std::string::npos) << text;
  EXPECT_NE(text.find("locals (1):\n\t0\tt\t3\t8\n"), std::string::npos) << text;
  EXPECT_NE(text.find("upvalues (1):\n\t0\tt\t1\t0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("constants (2):\n\t0\tS\t\"x\"\n\t1\tS\t\"print\"\n"), std::string::npos)
      << text;
}

TEST(Disasm, ResolvesJumpTargets) {
  auto f = compileOk("for i = 1, 2 do end");
  std::string text = disassemble(*f);
  EXPECT_NE(text.find("FORPREP  \t0 0\t; exit to 7"), std::string::npos) << text;
  EXPECT_NE(text.find("FORLOOP  \t0 0\t; to 6"), std::string::npos) << text;
}

}  // namespace
}  // namespace lunette
