// The bytecode checker (see bytecode_check.h for what it guarantees and what it does not).
#include "bytecode/bytecode_check.h"

#include <variant>

namespace lunette {

namespace {

// Thrown at the first broken invariant; caught in checkFunctionData. An exception keeps every
// check a one-liner and stops the walk before a later check indexes with a bad operand.
struct BrokenInvariant {
  const char* what;
};

class FunctionChecker {
 public:
  FunctionChecker(const FunctionData& function, const FunctionData* parent)
      : f_(function),
        parent_(parent),
        size_(static_cast<int>(function.code.size())),
        needsClose_(frameNeedsClose(function)) {}

  void run() {
    require(size_ > 0, "empty code");
    Op last = opOf(f_.code.back());
    require(last == Op::Return || last == Op::Return0 || last == Op::Return1,
            "code does not end in RETURN");
    require(f_.maxstacksize >= 2 && f_.maxstacksize <= kMaxRegisters, "bad maxstacksize");
    require(f_.numparams <= f_.maxstacksize, "more parameters than registers");
    require(f_.lineinfo.empty() || f_.lineinfo.size() == f_.code.size(), "bad line info size");
    if (f_.isVararg)
      require(opOf(f_.code.front()) == Op::VarargPrep, "vararg function without VARARGPREP");
    upvalueDescriptors();
    for (pc_ = 0; pc_ < size_; ++pc_) instruction(f_.code[static_cast<size_t>(pc_)]);
    for (const LocalVarInfo& var : f_.locvars)
      require(var.startpc >= 0 && var.startpc <= var.endpc && var.endpc <= size_,
              "local variable range outside the code");
    for (const auto& child : f_.children) FunctionChecker(*child, &f_).run();
  }

 private:
  static void require(bool ok, const char* what) {
    if (!ok) throw BrokenInvariant{what};
  }

  // A child captures its parent's registers or upvalues: both must exist. (A main function's
  // upvalues are made fresh by load, so its descriptors name nothing.)
  void upvalueDescriptors() const {
    require(f_.upvalues.size() <= kMaxArgA, "too many upvalues");
    if (!parent_) return;
    for (const UpvalueInfo& u : f_.upvalues) {
      if (u.instack)
        require(u.index < parent_->maxstacksize, "captured register out of range");
      else
        require(u.index < parent_->upvalues.size(), "captured upvalue out of range");
    }
  }

  void reg(int r) const { require(r >= 0 && r < f_.maxstacksize, "register out of range"); }
  void regs(int first, int count) const {
    if (count > 0) reg(first + count - 1);
  }
  void k(int index) const {
    require(index >= 0 && static_cast<size_t>(index) < f_.constants.size(),
            "constant out of range");
  }
  const Constant& constant(int index) const {
    k(index);
    return f_.constants[static_cast<size_t>(index)];
  }
  void kString(int index) const {
    require(std::holds_alternative<std::string>(constant(index)), "field name not a string");
  }
  void kNumber(int index) const {
    const Constant& c = constant(index);
    require(std::holds_alternative<int64_t>(c) || std::holds_alternative<double>(c),
            "arithmetic constant not a number");
  }
  void rk(Instruction i) const {
    if (argK(i))
      k(argC(i));
    else
      reg(argC(i));
  }
  void up(int index) const {
    require(index >= 0 && static_cast<size_t>(index) < f_.upvalues.size(), "upvalue out of range");
  }
  void target(int pc) const { require(pc >= 0 && pc < size_, "jump outside the code"); }
  void followedBy(Op op) const {
    require(pc_ + 1 < size_ && opOf(f_.code[static_cast<size_t>(pc_ + 1)]) == op,
            "instruction without its companion");
  }

  void instruction(Instruction i) {
    require((i & 0x7F) < static_cast<Instruction>(Op::Count_), "unknown opcode");
    Op op = opOf(i);
    int a = argA(i), b = argB(i), c = argC(i);
    // One line per opcode family: the switch reads as a table.
    // clang-format off
    switch (op) {
      case Op::Move: reg(a); reg(b); break;
      case Op::LoadI: case Op::LoadF: case Op::LoadFalse: case Op::LoadTrue: case Op::NewTable:
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
        reg(a); reg(b); kNumber(c);
        require(!argK(i) || op == Op::AddK || op == Op::MulK || op == Op::BAndK ||
                    op == Op::BOrK || op == Op::BXorK,
                "swapped operands for a non-commutative operator");
        break;
      case Op::Add: case Op::Sub: case Op::Mul: case Op::Mod: case Op::Pow: case Op::Div:
      case Op::IDiv: case Op::BAnd: case Op::BOr: case Op::BXor: case Op::Shl: case Op::Shr:
        reg(a); reg(b); reg(c);
        break;
      case Op::Unm: case Op::BNot: case Op::Not: case Op::Len: reg(a); reg(b); break;
      case Op::Concat: require(b >= 2, "CONCAT of fewer than two values"); regs(a, b); break;
      case Op::Close: require(a <= f_.maxstacksize, "register out of range"); break;
      case Op::Tbc: reg(a); break;
      case Op::Jmp: target(pc_ + 1 + argSJ(i)); break;
      case Op::Eq: case Op::Lt: case Op::Le: reg(a); reg(b); followedBy(Op::Jmp); break;
      case Op::EqK: reg(a); k(b); followedBy(Op::Jmp); break;
      case Op::EqI: case Op::LtI: case Op::LeI: case Op::GtI: case Op::GeI: case Op::Test:
        reg(a);
        followedBy(Op::Jmp);
        break;
      case Op::TestSet: reg(a); reg(b); followedBy(Op::Jmp); break;
      case Op::Call: case Op::TailCall:
        reg(a);
        regs(a, b);
        regs(a, c - 1);
        break;
      case Op::Return: regs(a, b - 1); break;
      // (Their path in the interpreter neither reads B nor closes anything.)
      case Op::Return0: case Op::Return1:
        require(b == (op == Op::Return0 ? 1 : 2) && !argK(i), "RETURN0/RETURN1 with bad operands");
        require(!needsClose_, "RETURN0/RETURN1 in a frame with something to close");
        regs(a, b - 1);
        break;
      case Op::ForPrep: regs(a, 4); target(pc_ + argBx(i) + 2); break;
      case Op::ForLoop: regs(a, 4); target(pc_ - argBx(i)); break;
      case Op::TForPrep: regs(a, 4); target(pc_ + 1 + argBx(i)); break;
      case Op::TForCall: regs(a, 4 + (c > 3 ? c : 3)); break;
      case Op::TForLoop: regs(a, 5); target(pc_ + 1 - argBx(i)); break;
      case Op::SetList:
        regs(a, b + 1);
        if (argK(i)) followedBy(Op::ExtraArg);
        break;
      case Op::Closure:
        reg(a);
        require(static_cast<size_t>(argBx(i)) < f_.children.size(), "child out of range");
        break;
      case Op::Vararg:
        reg(a); regs(a, c - 1); require(f_.isVararg, "VARARG outside vararg");
        break;
      case Op::VarargPrep:
        require(pc_ == 0 && f_.isVararg && a == f_.numparams, "misplaced VARARGPREP");
        break;
      case Op::ExtraArg: {
        require(pc_ > 0, "misplaced EXTRAARG");
        Instruction previous = f_.code[static_cast<size_t>(pc_ - 1)];
        require(opOf(previous) == Op::LoadKX || (opOf(previous) == Op::SetList && argK(previous)),
                "misplaced EXTRAARG");
        break;
      }
      case Op::Count_: require(false, "unknown opcode"); break;
    }
    // clang-format on
  }

  const FunctionData& f_;
  const FunctionData* parent_;
  int size_;
  bool needsClose_;  // frameNeedsClose(f_): RETURN0 and RETURN1 are not allowed then
  int pc_ = 0;
};

}  // namespace

std::string checkFunctionData(const FunctionData& function) {
  try {
    FunctionChecker(function, nullptr).run();
  } catch (const BrokenInvariant& broken) {
    return broken.what;
  }
  return {};
}

}  // namespace lunette
