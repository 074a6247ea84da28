// Binary chunks (bytecode/chunk_dump.h): round trips keep every part of a function, and every
// damaged chunk (each truncation point, random byte flips, forged counts and operands) is a
// ChunkFormatError or a function the bytecode checker accepts, never a crash or an
// out-of-bounds read (run under the ASan build to see the latter).
#include "bytecode/chunk_dump.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <random>
#include <string>

#include "bytecode/bytecode_check.h"
#include "compiler/compile.h"
#include "lib/libs.h"
#include "run_lua.h"
#include "vm/state.h"

namespace lunette {
namespace {

// Same constant, bit for bit (NaN equals itself, -0.0 differs from 0.0).
bool sameConstant(const Constant& a, const Constant& b) {
  if (a.index() != b.index()) return false;
  if (auto* x = std::get_if<double>(&a))
    return std::bit_cast<uint64_t>(*x) == std::bit_cast<uint64_t>(std::get<double>(b));
  return a == b;
}

void expectSameFunction(const FunctionData& a, const FunctionData& b, bool stripped) {
  EXPECT_EQ(stripped ? "=?" : a.source, b.source);
  EXPECT_EQ(a.linedefined, b.linedefined);
  EXPECT_EQ(a.lastlinedefined, b.lastlinedefined);
  EXPECT_EQ(a.numparams, b.numparams);
  EXPECT_EQ(a.isVararg, b.isVararg);
  EXPECT_EQ(a.maxstacksize, b.maxstacksize);
  EXPECT_EQ(a.code, b.code);
  ASSERT_EQ(a.constants.size(), b.constants.size());
  for (size_t i = 0; i < a.constants.size(); ++i)
    EXPECT_TRUE(sameConstant(a.constants[i], b.constants[i])) << "constant " << i;
  ASSERT_EQ(a.upvalues.size(), b.upvalues.size());
  for (size_t i = 0; i < a.upvalues.size(); ++i) {
    EXPECT_EQ(stripped ? "" : a.upvalues[i].name, b.upvalues[i].name);
    EXPECT_EQ(a.upvalues[i].instack, b.upvalues[i].instack);
    EXPECT_EQ(a.upvalues[i].index, b.upvalues[i].index);
    EXPECT_EQ(a.upvalues[i].kind, b.upvalues[i].kind);
  }
  if (stripped) {
    EXPECT_TRUE(b.lineinfo.empty());
    EXPECT_TRUE(b.locvars.empty());
  } else {
    EXPECT_EQ(a.lineinfo, b.lineinfo);
    ASSERT_EQ(a.locvars.size(), b.locvars.size());
    for (size_t i = 0; i < a.locvars.size(); ++i) {
      EXPECT_EQ(a.locvars[i].name, b.locvars[i].name);
      EXPECT_EQ(a.locvars[i].startpc, b.locvars[i].startpc);
      EXPECT_EQ(a.locvars[i].endpc, b.locvars[i].endpc);
    }
  }
  ASSERT_EQ(a.children.size(), b.children.size());
  for (size_t i = 0; i < a.children.size(); ++i)
    expectSameFunction(*a.children[i], *b.children[i], stripped);
}

// A function that returns nothing and carries the given constants (unused by its code). Its
// RETURN0 is what the loader makes of any plain return of nothing (settleExits).
std::unique_ptr<FunctionData> functionWithConstants(std::vector<Constant> constants) {
  auto f = std::make_unique<FunctionData>();
  f->source = "=constants";
  f->code = {encodeABC(Op::Return0, 0, 1, 0)};
  f->lineinfo = {1};
  f->constants = std::move(constants);
  return f;
}

const char* const kNestedSource = R"(
local up = 10
local function outer(a, b, ...)
  local t = {a, b, ...}
  local function inner(x) up = up + x; return up, #t end
  for i = 1, 3 do t[i] = (t[i] or 0) + i * 1.5 end
  return inner, "long string with \0 a zero byte " .. string.rep("x", 60)
end
return outer(1, 2, 3)
)";

std::string nestedChunk(bool strip = false) {
  return dumpChunk(*compile(kNestedSource, "@nested.lua"), strip);
}

std::string undumpError(std::string_view bytes) {
  try {
    undumpChunk(bytes);
  } catch (const ChunkFormatError& e) {
    return e.what();
  }
  return "";
}

TEST(ChunkDump, RoundTripKeepsEveryConstantKind) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  std::string withZeros("a\0b\0", 4);
  std::string longWithZeros(5000, '\0');
  longWithZeros[100] = 'x';
  auto f = functionWithConstants({NilConstant{}, false, true, int64_t{0}, int64_t{-1},
                                  std::numeric_limits<int64_t>::min(),
                                  std::numeric_limits<int64_t>::max(), 0.0, -0.0, inf, -inf, nan,
                                  0.1, 1e308, std::string(), withZeros, longWithZeros});
  auto back = undumpChunk(dumpChunk(*f, false));
  expectSameFunction(*f, *back, false);
  EXPECT_TRUE(std::signbit(std::get<double>(back->constants[8])));
  EXPECT_TRUE(std::isnan(std::get<double>(back->constants[11])));
}

TEST(ChunkDump, RoundTripKeepsNestedFunctionsAndDebugInfo) {
  auto f = compile(kNestedSource, "@nested.lua");
  ASSERT_EQ(f->children.size(), 1u);
  ASSERT_EQ(f->children[0]->children.size(), 1u);
  auto back = undumpChunk(dumpChunk(*f, false));
  expectSameFunction(*f, *back, false);
}

TEST(ChunkDump, StripDropsLinesNamesAndSource) {
  auto f = compile(kNestedSource, "@nested.lua");
  std::string full = dumpChunk(*f, false), stripped = dumpChunk(*f, true);
  EXPECT_LT(stripped.size(), full.size());
  auto back = undumpChunk(stripped);
  expectSameFunction(*f, *back, true);
  EXPECT_EQ(back->children[0]->source, "=?");
}

TEST(ChunkDump, HeaderStartsWithTheLuaSignature) {
  std::string chunk = nestedChunk();
  EXPECT_EQ(chunk.substr(0, 4), "\x1bLua");
  EXPECT_TRUE(isBinaryChunk(chunk));
  EXPECT_FALSE(isBinaryChunk("return 1"));
}

TEST(ChunkDump, EveryTruncationIsATruncatedChunkError) {
  for (bool strip : {false, true}) {
    std::string chunk = nestedChunk(strip);
    for (size_t n = 0; n < chunk.size(); ++n)
      ASSERT_EQ(undumpError(std::string_view(chunk).substr(0, n)), "truncated chunk")
          << "prefix of " << n << " of " << chunk.size() << " bytes";
  }
}

TEST(ChunkDump, ForeignOrMismatchedHeadersAreRefused) {
  std::string chunk = nestedChunk();
  EXPECT_EQ(undumpError("\x1bXYZ" + chunk.substr(4)), "not a binary chunk");
  std::string puc = chunk;
  puc[4] = 'T';  // where PUC Lua puts its version byte
  EXPECT_EQ(undumpError(puc), "not a Lunette chunk");
  std::string version = chunk;
  version[11] = static_cast<char>(kChunkFormatVersion + 1);
  EXPECT_EQ(undumpError(version), "format version mismatch");
  std::string integer = chunk;
  integer[15] ^= 1;
  EXPECT_EQ(undumpError(integer), "integer format mismatch");
  std::string number = chunk;
  number[23] ^= 1;
  EXPECT_EQ(undumpError(number), "float format mismatch");
  EXPECT_EQ(undumpError(chunk + "x"), "extra bytes after the chunk");
}

TEST(ChunkDump, OperandsBreakingTheVmInvariantsAreRefused) {
  auto f = functionWithConstants({std::string("field")});
  f->code.insert(f->code.begin(), encodeABC(Op::Move, 0, 200, 0));  // R[200] of 2 registers
  f->lineinfo.push_back(1);
  EXPECT_EQ(undumpError(dumpChunk(*f, false)), "corrupted chunk: register out of range");
  f->code[0] = encodeABx(Op::LoadK, 0, 1);  // K[1] of 1 constant
  EXPECT_EQ(undumpError(dumpChunk(*f, false)), "corrupted chunk: constant out of range");
  f->code[0] = encodeABx(Op::Closure, 0, 0);  // no children
  EXPECT_EQ(undumpError(dumpChunk(*f, false)), "corrupted chunk: child out of range");
  f->code[0] = static_cast<Instruction>(Op::Count_);
  EXPECT_EQ(undumpError(dumpChunk(*f, false)), "corrupted chunk: unknown opcode");
  f->code[0] = encodeABC(Op::GetTabUp, 0, 0, 0);  // no upvalues
  EXPECT_EQ(undumpError(dumpChunk(*f, false)), "corrupted chunk: upvalue out of range");
}

TEST(ChunkDump, ChildCapturingAMissingRegisterIsRefused) {
  auto f = compile("local a; return function() return a end", "=c");
  f->children[0]->upvalues[0].index = 250;
  EXPECT_EQ(undumpError(dumpChunk(*f, false)), "corrupted chunk: captured register out of range");
}

// A chunk whose RETURN lost its k bit would let the interpreter skip closing an upvalue on a
// frame it pops (a dangling pointer into the stack): the loader sets the bits itself.
TEST(ChunkDump, LoaderFlagsTheExitsOfAFrameThatCapturesWhateverTheChunkSays) {
  auto f = compile("local a = 1; local g = function() return a end; return g", "=c");
  const Instruction kBit = Instruction{1} << 15;
  int exits = 0;
  for (Instruction& i : f->code)
    if (opOf(i) == Op::Return) {
      ASSERT_TRUE(argK(i));
      i &= ~kBit;
      ++exits;
    }
  ASSERT_GT(exits, 0);
  auto back = undumpChunk(dumpChunk(*f, false));
  for (Instruction i : back->code)
    if (opOf(i) == Op::Return) EXPECT_TRUE(argK(i));
  // And the reverse: a forged k on a frame that captures nothing is cleared.
  for (Instruction& i : f->children[0]->code)
    if (opOf(i) == Op::Return) i |= kBit;
  back = undumpChunk(dumpChunk(*f, false));
  for (Instruction i : back->children[0]->code)
    if (opOf(i) == Op::Return) EXPECT_FALSE(argK(i));
}

// RETURN0 and RETURN1 skip the close test and read neither B nor k: the checker refuses them
// with other operands, or in a frame that may have something to close.
TEST(BytecodeCheck, RefusesReturn0AndReturn1WithOtherOperandsOrSomethingToClose) {
  auto f = functionWithConstants({});
  EXPECT_EQ(checkFunctionData(*f), "");
  f->code[0] = encodeABC(Op::Return0, 0, 2, 0);
  EXPECT_EQ(checkFunctionData(*f), "RETURN0/RETURN1 with bad operands");
  f->code[0] = encodeABC(Op::Return0, 0, 1, 0, true);
  EXPECT_EQ(checkFunctionData(*f), "RETURN0/RETURN1 with bad operands");
  f->code[0] = encodeABC(Op::Return1, 0, 0, 0);
  EXPECT_EQ(checkFunctionData(*f), "RETURN0/RETURN1 with bad operands");
  f->code[0] = encodeABC(Op::Return1, 5, 2, 0);  // R[5] of 2 registers
  EXPECT_EQ(checkFunctionData(*f), "register out of range");
  f->code[0] = encodeABC(Op::Return1, 1, 2, 0);
  EXPECT_EQ(checkFunctionData(*f), "");
  auto captures = compile("local a = 1; local g = function() return a end; return g", "=c");
  for (Instruction& i : captures->code)
    if (opOf(i) == Op::Return && argB(i) == 2) i = encodeABC(Op::Return1, argA(i), 2, 0);
  EXPECT_EQ(checkFunctionData(*captures), "RETURN0/RETURN1 in a frame with something to close");
}

// The loader picks the exit opcodes itself, as the compiler does: a RETURN0 or RETURN1 forged
// into a frame that captures becomes a flagged RETURN, and a plain RETURN of one value in a
// frame with nothing to close becomes RETURN1.
TEST(ChunkDump, LoaderPicksTheReturnOpcodesWhateverTheChunkSays) {
  auto f = compile("local a = 1; local g = function() return a end; return g", "=c");
  for (Instruction& i : f->code)
    if (opOf(i) == Op::Return && argB(i) == 2) i = encodeABC(Op::Return1, argA(i), 2, 0);
  for (Instruction& i : f->children[0]->code)
    if (opOf(i) == Op::Return1) i = encodeABC(Op::Return, argA(i), 2, 0, true);
  auto back = undumpChunk(dumpChunk(*f, false));
  for (Instruction i : back->code) {
    EXPECT_NE(opOf(i), Op::Return0);
    EXPECT_NE(opOf(i), Op::Return1);
  }
  int ones = 0;
  for (Instruction i : back->children[0]->code) {
    EXPECT_NE(opOf(i), Op::Return);
    if (opOf(i) == Op::Return1) ++ones;
  }
  EXPECT_EQ(ones, 1);
}

TEST(ChunkDump, HugeCountsFailWithoutAllocating) {
  std::string chunk = dumpChunk(*functionWithConstants({}), false);
  // The code count follows the header (31 bytes), the source (flag, length, text), the two
  // line numbers and the three parameter bytes: forge it to 2^62.
  size_t codeCount = 31 + 2 + std::string("=constants").size() + 2 + 3;
  ASSERT_EQ(chunk[codeCount], 1);
  std::string forged = chunk.substr(0, codeCount) + "\xff\xff\xff\xff\xff\xff\xff\xff\x3f" +
                       chunk.substr(codeCount + 1);
  EXPECT_EQ(undumpError(forged), "truncated chunk");
}

TEST(ChunkDump, DeepNestingIsRefused) {
  auto root = functionWithConstants({});
  FunctionData* leaf = root.get();
  for (int depth = 0; depth < kMaxChunkDepth + 5; ++depth) {
    leaf->children.push_back(functionWithConstants({}));
    leaf = leaf->children.back().get();
  }
  EXPECT_EQ(undumpError(dumpChunk(*root, false)), "corrupted chunk: functions nested too deeply");
}

// Random damage: each flipped chunk is refused, or is a function the checker accepts that the
// VM then runs (under a budget) to an end, an error or a pause, never a crash.
TEST(ChunkDump, RandomByteFlipsAreRefusedOrRunSafely) {
  std::string chunk = nestedChunk();
  std::mt19937 random(12);
  int refused = 0, loaded = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    std::string damaged = chunk;
    int flips = 1 + static_cast<int>(random() % 3);
    for (int i = 0; i < flips; ++i)
      damaged[random() % damaged.size()] ^= static_cast<char>(1 + random() % 255);
    try {
      auto f = undumpChunk(damaged);
      EXPECT_EQ(checkFunctionData(*f), "");
      ++loaded;
    } catch (const ChunkFormatError&) {
      ++refused;
      continue;
    }
    State S;
    auto result = S.load(damaged, "=flipped");
    ASSERT_TRUE(result.ok) << result.message;
    S.start(0);
    S.run(100000);
  }
  EXPECT_GT(refused, 0);
  EXPECT_GT(loaded, 0);
}

TEST(ChunkDump, LoadedChunkRunsInTheVm) {
  State S;
  openStandardLibraries(S);
  EXPECT_EQ(test::run(S,
                      "local inner = load(string.dump(function(x) return x * 3 end, true))\n"
                      "print(inner(14))"),
            "42\n");
}

TEST(ChunkDump, LoadNamesTheChunkInFormatErrors) {
  State S;
  std::string chunk = nestedChunk();
  auto result = S.load(std::string_view(chunk).substr(0, 30), "@file.luac");
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.message, "file.luac: bad binary format (truncated chunk)");
}

}  // namespace
}  // namespace lunette

namespace lunette {
namespace {

// Bytecode the checker accepts but the compiler never makes: the VM must refuse the register
// types it assumed, not write through them.
std::string craftedChunk(std::vector<Instruction> code, uint8_t maxstacksize) {
  FunctionData f;
  f.source = "=crafted";
  f.code = std::move(code);
  f.maxstacksize = maxstacksize;
  return dumpChunk(f, false);
}

TEST(ChunkDump, ForLoopWithoutNumericStateIsAnError) {
  std::string chunk = craftedChunk(
      {encodeABC(Op::NewTable, 0, 0, 0), encodeAsBx(Op::LoadI, 1, 1), encodeAsBx(Op::LoadI, 2, 1),
       encodeABx(Op::ForLoop, 0, 0), encodeABC(Op::Return, 0, 1, 0)},
      5);
  State S;
  EXPECT_EQ(test::run(S, chunk),
            "error: crafted:-1: corrupted bytecode: 'for' loop state is not numeric");
}

TEST(ChunkDump, SetListOnANonTableIsAnError) {
  std::string chunk =
      craftedChunk({encodeAsBx(Op::LoadI, 0, 1), encodeAsBx(Op::LoadI, 1, 2),
                    encodeABC(Op::SetList, 0, 1, 0), encodeABC(Op::Return, 0, 1, 0)},
                   2);
  State S;
  EXPECT_EQ(test::run(S, chunk),
            "error: crafted:-1: corrupted bytecode: SETLIST target is not a table");
}

}  // namespace
}  // namespace lunette
