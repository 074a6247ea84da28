// The disassembler; see disasm.h. Operands are printed per opcode from the effect lines of
// opcodes.h; comments after ';' resolve them (constants, upvalue names, jump targets).
#include "bytecode/disasm.h"

#include <cstdio>
#include <string_view>

#include "common/numconv.h"

namespace lunette {

namespace {

std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\a': out += "\\a"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\v': out += "\\v"; break;
      default:
        if (c >= 32 && c < 127) {
          out += static_cast<char>(c);
        } else {
          char buffer[8];
          std::snprintf(buffer, sizeof buffer, "\\%03d", c);
          out += buffer;
        }
    }
  }
  return out + "\"";
}

std::string constantText(const Constant& k) {
  struct Visitor {
    std::string operator()(NilConstant) const { return "nil"; }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(int64_t i) const { return integerToString(i); }
    std::string operator()(double d) const { return floatToString(d); }
    std::string operator()(const std::string& s) const { return quoted(s); }
  };
  return std::visit(Visitor{}, k);
}

char constantTag(const Constant& k) {
  switch (k.index()) {
    case 0: return 'N';
    case 1: return 'B';
    case 2: return 'I';
    case 3: return 'F';
    default: return 'S';
  }
}

class Printer {
 public:
  Printer(const FunctionData& f, int pc) : f_(f), pc_(pc), i_(f.code[static_cast<size_t>(pc)]) {}

  std::string run();

 private:
  std::string k(int index) const {
    if (index < 0 || static_cast<size_t>(index) >= f_.constants.size()) return "?";
    return constantText(f_.constants[static_cast<size_t>(index)]);
  }
  std::string up(int index) const {
    if (index < 0 || static_cast<size_t>(index) >= f_.upvalues.size()) return "?";
    return f_.upvalues[static_cast<size_t>(index)].name;
  }
  std::string rk() const { return argK(i_) ? k(argC(i_)) : "R" + std::to_string(argC(i_)); }
  std::string target(int pc) const { return "to " + std::to_string(pc + 1); }
  static std::string count(int n, std::string_view what) {
    return n == 0 ? "all " + std::string(what) : std::to_string(n - 1) + " " + std::string(what);
  }
  void operands(std::initializer_list<int> values) {
    bool first = true;
    for (int v : values) {
      if (!first) text_ += ' ';
      text_ += std::to_string(v);
      first = false;
    }
  }
  void flagK() {
    if (argK(i_)) text_ += 'k';
  }
  void comment(const std::string& c) { comment_ = c; }

  const FunctionData& f_;
  int pc_;
  Instruction i_;
  std::string text_;
  std::string comment_;
};

std::string Printer::run() {
  Op op = opOf(i_);
  if (static_cast<size_t>(op) >= kOpTable.size()) return "<invalid opcode>";
  int a = argA(i_), b = argB(i_), c = argC(i_);
  switch (op) {
    case Op::Move: case Op::Unm: case Op::BNot: case Op::Not: case Op::Len: case Op::Concat:
      operands({a, b});
      break;
    case Op::LoadI: case Op::LoadF:
      operands({a, argSBx(i_)});
      break;
    case Op::LoadK:
      operands({a, argBx(i_)});
      comment(k(argBx(i_)));
      break;
    case Op::LoadKX: case Op::LoadFalse: case Op::LFalseSkip: case Op::LoadTrue: case Op::Close:
    case Op::Tbc:
      operands({a});
      break;
    case Op::LoadNil:
      operands({a, b});
      comment(std::to_string(b + 1) + " out");
      break;
    case Op::GetUpval: case Op::SetUpval:
      operands({a, b});
      comment(up(b));
      break;
    case Op::GetTabUp:
      operands({a, b, c});
      comment(up(b) + " " + k(c));
      break;
    case Op::GetField:
      operands({a, b, c});
      comment(k(c));
      break;
    case Op::GetTable: case Op::GetI: case Op::NewTable:
    case Op::Add: case Op::Sub: case Op::Mul: case Op::Mod: case Op::Pow: case Op::Div:
    case Op::IDiv: case Op::BAnd: case Op::BOr: case Op::BXor: case Op::Shl: case Op::Shr:
      operands({a, b, c});
      break;
    case Op::AddK: case Op::SubK: case Op::MulK: case Op::ModK: case Op::PowK: case Op::DivK:
    case Op::IDivK: case Op::BAndK: case Op::BOrK: case Op::BXorK: case Op::ShlK: case Op::ShrK:
      operands({a, b, c});
      flagK();  // k: the constant was the left operand
      comment(k(c));
      break;
    case Op::SetTabUp:
      operands({a, b, c});
      flagK();
      comment(up(a) + " " + k(b) + " " + rk());
      break;
    case Op::SetField:
      operands({a, b, c});
      flagK();
      comment(k(b) + " " + rk());
      break;
    case Op::SetTable: case Op::SetI:
      operands({a, b, c});
      flagK();
      if (argK(i_)) comment(k(c));
      break;
    case Op::Self:
      operands({a, b, c});
      flagK();
      if (argK(i_)) comment(k(c));
      break;
    case Op::Jmp:
      text_ += std::to_string(argSJ(i_));
      comment(target(pc_ + 1 + argSJ(i_)));
      break;
    case Op::Eq: case Op::Lt: case Op::Le:
      operands({a, b, argK(i_)});
      break;
    case Op::EqK:
      operands({a, b, argK(i_)});
      comment(k(b));
      break;
    case Op::EqI: case Op::LtI: case Op::LeI: case Op::GtI: case Op::GeI:
      operands({a, argSB(i_), argK(i_)});
      if (opOf(i_) != Op::EqI && c) comment("float");
      break;
    case Op::Test:
      operands({a, argK(i_)});
      break;
    case Op::TestSet:
      operands({a, b, argK(i_)});
      break;
    case Op::Call:
      operands({a, b, c});
      comment(count(b, "in") + " " + count(c, "out"));
      break;
    case Op::TailCall:
      operands({a, b});
      comment(count(b, "in"));
      break;
    case Op::Return: case Op::Return0: case Op::Return1:
      operands({a, b});
      comment(count(b, "out"));
      break;
    case Op::ForLoop:
      operands({a, argBx(i_)});
      comment(target(pc_ - argBx(i_)));
      break;
    case Op::ForPrep:
      operands({a, argBx(i_)});
      comment("exit " + target(pc_ + argBx(i_) + 2));
      break;
    case Op::TForPrep:
      operands({a, argBx(i_)});
      comment(target(pc_ + 1 + argBx(i_)));
      break;
    case Op::TForCall:
      operands({a, c});
      break;
    case Op::TForLoop:
      operands({a, argBx(i_)});
      comment(target(pc_ + 1 - argBx(i_)));
      break;
    case Op::SetList:
      operands({a, b, c});
      flagK();
      break;
    case Op::Closure:
      operands({a, argBx(i_)});
      comment("function " + std::to_string(argBx(i_) + 1));
      break;
    case Op::Vararg:
      operands({a, c});
      comment(c == 0 ? "all out" : std::to_string(c - 1) + " out");
      break;
    case Op::VarargPrep:
      operands({a});
      break;
    case Op::ExtraArg:
      text_ += std::to_string(argAx(i_));
      break;
    case Op::Count_:
      break;
  }
  std::string line(opInfo(op).name);
  line.resize(line.size() < 9 ? 9 : line.size(), ' ');
  line += "\t" + text_;
  if (!comment_.empty()) line += "\t; " + comment_;
  return line;
}

std::string plural(size_t n, std::string_view singular, std::string_view pluralForm) {
  return std::to_string(n) + " " + std::string(n == 1 ? singular : pluralForm);
}

void disassembleInto(const FunctionData& f, const std::string& name, std::string& out) {
  out += name + " <" + chunkId(f.source) + ":" + std::to_string(f.linedefined) + "," +
         std::to_string(f.lastlinedefined) + "> (" + plural(f.code.size(), "instruction",
                                                              "instructions") + ")\n";
  out += std::to_string(f.numparams) + (f.isVararg ? "+" : "") + " params, " +
         plural(f.maxstacksize, "slot", "slots") + ", " +
         plural(f.upvalues.size(), "upvalue", "upvalues") + ", " +
         plural(f.locvars.size(), "local", "locals") + ", " +
         plural(f.constants.size(), "constant", "constants") + ", " +
         plural(f.children.size(), "function", "functions") + "\n";
  for (size_t pc = 0; pc < f.code.size(); ++pc) {
    int line = pc < f.lineinfo.size() ? f.lineinfo[pc] : 0;
    out += "\t" + std::to_string(pc + 1) + "\t[" + std::to_string(line) + "]\t" +
           disassembleInstruction(f, static_cast<int>(pc)) + "\n";
  }
  out += "constants (" + std::to_string(f.constants.size()) + "):\n";
  for (size_t i = 0; i < f.constants.size(); ++i)
    out += "\t" + std::to_string(i) + "\t" + constantTag(f.constants[i]) + "\t" +
           constantText(f.constants[i]) + "\n";
  out += "locals (" + std::to_string(f.locvars.size()) + "):\n";
  for (size_t i = 0; i < f.locvars.size(); ++i) {
    const LocalVarInfo& var = f.locvars[i];
    // pcs shown 1-based like the instruction list: active from startpc+1 to endpc.
    out += "\t" + std::to_string(i) + "\t" + var.name + "\t" + std::to_string(var.startpc + 1) +
           "\t" + std::to_string(var.endpc + 1) + "\n";
  }
  out += "upvalues (" + std::to_string(f.upvalues.size()) + "):\n";
  for (size_t i = 0; i < f.upvalues.size(); ++i) {
    const UpvalueInfo& up = f.upvalues[i];
    out += "\t" + std::to_string(i) + "\t" + up.name + "\t" + (up.instack ? "1" : "0") + "\t" +
           std::to_string(up.index) + "\n";
  }
  for (size_t i = 0; i < f.children.size(); ++i) {
    std::string childName = (name == "main" ? "function " : name + ".") + std::to_string(i + 1);
    out += "\n";
    disassembleInto(*f.children[i], childName, out);
  }
}

}  // namespace

std::string disassembleInstruction(const FunctionData& function, int pc) {
  return Printer(function, pc).run();
}

std::string disassemble(const FunctionData& function) {
  std::string out;
  disassembleInto(function, "main", out);
  return out;
}

}  // namespace lunette
