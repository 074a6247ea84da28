// libFuzzer target for the front end: compiles arbitrary bytes. compile() must either return
// well-formed bytecode or throw SyntaxError; anything else (a crash, a sanitizer report, another
// exception, or bytecode breaking the invariants the VM relies on) is a bug.
//
// Build and run (seed it with the Lua test corpus):
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -Icore/src \
//     tests/fuzz/compile_fuzz.cpp core/src/compiler/*.cpp core/src/bytecode/disasm.cpp \
//     core/src/common/numconv.cpp -o /tmp/compile_fuzz
//   /tmp/compile_fuzz -max_total_time=60 -max_len=4096 /tmp/corpus tests/lua
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "bytecode/disasm.h"
#include "compiler/compile.h"

namespace {

using namespace lunette;

// Aborts (so that the fuzzer reports the input) when bytecode breaks a VM invariant.
class Validator {
 public:
  explicit Validator(const FunctionData& f) : f_(f), size_(static_cast<int>(f.code.size())) {}

  void run() {
    check(size_ > 0 && f_.code.size() == f_.lineinfo.size());
    check(opOf(f_.code.back()) == Op::Return);
    check(f_.maxstacksize >= 2 && f_.maxstacksize <= kMaxRegisters);
    for (pc_ = 0; pc_ < size_; ++pc_) instruction(f_.code[static_cast<size_t>(pc_)]);
    for (const LocalVarInfo& var : f_.locvars)
      check(var.startpc >= 0 && var.startpc <= var.endpc && var.endpc <= size_);
    for (const auto& child : f_.children) Validator(*child).run();
  }

 private:
  static void check(bool ok) {
    if (!ok) std::abort();
  }
  void reg(int r) const { check(r >= 0 && r < f_.maxstacksize); }
  void regs(int first, int count) const {
    if (count > 0) reg(first + count - 1);
  }
  void k(int index) const { check(index >= 0 && static_cast<size_t>(index) < f_.constants.size()); }
  void kString(int index) const {
    k(index);
    check(std::holds_alternative<std::string>(f_.constants[static_cast<size_t>(index)]));
  }
  void rk(Instruction i) const {
    if (argK(i))
      k(argC(i));
    else
      reg(argC(i));
  }
  void up(int index) const { check(index >= 0 && static_cast<size_t>(index) < f_.upvalues.size()); }
  void target(int pc) const { check(pc >= 0 && pc < size_); }
  void followedBy(Op op) const {
    check(pc_ + 1 < size_ && opOf(f_.code[static_cast<size_t>(pc_ + 1)]) == op);
  }

  void instruction(Instruction i) {
    Op op = opOf(i);
    check(static_cast<size_t>(op) < kOpTable.size());
    int a = argA(i), b = argB(i), c = argC(i);
    switch (op) {
      case Op::Move: reg(a); reg(b); break;
      case Op::LoadI: case Op::LoadF: case Op::LoadFalse: case Op::LoadTrue: case Op::NewTable:
      case Op::TailCall:
        reg(a);
        break;
      case Op::LoadK: reg(a); k(argBx(i)); break;
      case Op::LoadKX:
        reg(a);
        followedBy(Op::ExtraArg);
        k(argAx(f_.code[static_cast<size_t>(pc_ + 1)]));
        break;
      case Op::LFalseSkip: reg(a); target(pc_ + 2); break;
      case Op::LoadNil: regs(a, b + 1); break;
      case Op::GetUpval: case Op::SetUpval: reg(a); up(b); break;
      case Op::GetTabUp: reg(a); up(b); kString(c); break;
      case Op::GetTable: reg(a); reg(b); reg(c); break;
      case Op::GetI: reg(a); reg(b); break;
      case Op::GetField: reg(a); reg(b); kString(c); break;
      case Op::SetTabUp: up(a); kString(b); rk(i); break;
      case Op::SetTable: reg(a); reg(b); rk(i); break;
      case Op::SetI: reg(a); rk(i); break;
      case Op::SetField: reg(a); kString(b); rk(i); break;
      case Op::Self: regs(a, 2); reg(b); rk(i); break;
      case Op::AddK: case Op::SubK: case Op::MulK: case Op::ModK: case Op::PowK: case Op::DivK:
      case Op::IDivK: case Op::BAndK: case Op::BOrK: case Op::BXorK: case Op::ShlK: case Op::ShrK:
        reg(a); reg(b); k(c);
        check(!std::holds_alternative<std::string>(f_.constants[static_cast<size_t>(c)]));
        break;
      case Op::Add: case Op::Sub: case Op::Mul: case Op::Mod: case Op::Pow: case Op::Div:
      case Op::IDiv: case Op::BAnd: case Op::BOr: case Op::BXor: case Op::Shl: case Op::Shr:
        reg(a); reg(b); reg(c);
        break;
      case Op::Unm: case Op::BNot: case Op::Not: case Op::Len: reg(a); reg(b); break;
      case Op::Concat: check(b >= 2); regs(a, b); break;
      case Op::Close: case Op::Tbc: check(a <= f_.maxstacksize); break;
      case Op::Jmp: target(pc_ + 1 + argSJ(i)); break;
      case Op::Eq: case Op::Lt: case Op::Le: reg(a); reg(b); followedBy(Op::Jmp); break;
      case Op::EqK: reg(a); k(b); followedBy(Op::Jmp); break;
      case Op::EqI: case Op::LtI: case Op::LeI: case Op::GtI: case Op::GeI: case Op::Test:
        reg(a);
        followedBy(Op::Jmp);
        break;
      case Op::TestSet: reg(a); reg(b); followedBy(Op::Jmp); break;
      case Op::Call:
        reg(a);
        regs(a, b);
        regs(a, c - 1);
        break;
      case Op::Return: regs(a, b - 1); break;
      case Op::ForPrep: regs(a, 4); target(pc_ + argBx(i) + 2); break;
      case Op::ForLoop: regs(a, 4); target(pc_ - argBx(i)); break;
      case Op::TForPrep: regs(a, 4); target(pc_ + 1 + argBx(i)); break;
      case Op::TForCall: regs(a, 4 + (c > 3 ? c : 3)); break;
      case Op::TForLoop: regs(a, 5); target(pc_ + 1 - argBx(i)); break;
      case Op::SetList:
        regs(a, b + 1);
        if (argK(i)) followedBy(Op::ExtraArg);
        break;
      case Op::Closure: reg(a); check(static_cast<size_t>(argBx(i)) < f_.children.size()); break;
      case Op::Vararg: reg(a); regs(a, c - 1); check(f_.isVararg); break;
      case Op::VarargPrep: check(pc_ == 0 && f_.isVararg && a == f_.numparams); break;
      case Op::ExtraArg: {
        check(pc_ > 0);
        Instruction previous = f_.code[static_cast<size_t>(pc_ - 1)];
        check(opOf(previous) == Op::LoadKX || (opOf(previous) == Op::SetList && argK(previous)));
        break;
      }
      case Op::Count_: check(false); break;
    }
  }

  const FunctionData& f_;
  int size_;
  int pc_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view source(reinterpret_cast<const char*>(data), size);
  try {
    auto function = compile(source, "=fuzz");
    Validator(*function).run();
    if (disassemble(*function).empty()) std::abort();
  } catch (const SyntaxError&) {
    // the only acceptable failure
  }
  return 0;
}
