// checkScript(): compile for errors, then outline the names (see outline.h).
#include "compiler/outline.h"

#include <algorithm>
#include <exception>
#include <new>
#include <unordered_set>

#include "compiler/codegen.h"
#include "compiler/compile.h"
#include "compiler/parser.h"

namespace lunette {

std::string_view outlineKindName(OutlineKind kind) {
  switch (kind) {
    case OutlineKind::Local:
      return "local";
    case OutlineKind::Parameter:
      return "parameter";
    case OutlineKind::LocalFunction:
      return "localfunction";
    case OutlineKind::LoopVariable:
      return "loopvariable";
    case OutlineKind::Global:
      return "global";
    case OutlineKind::GlobalFunction:
      return "globalfunction";
  }
  return "local";
}

namespace {

using namespace ast;

std::string attribDetail(Attrib attrib) {
  if (attrib == Attrib::Const) return "<const>";
  if (attrib == Attrib::Close) return "<close>";
  return {};
}

// "(a, b, ...)": how a completion or hover shows a function the script defines.
std::string parameterList(const FunctionBody& body) {
  std::string out = "(";
  for (size_t i = 0; i < body.params.size(); ++i) {
    if (i) out += ", ";
    out += body.params[i].name;
  }
  if (body.isVararg) out += body.params.empty() ? "..." : ", ...";
  return out + ")";
}

// Walks the tree in source order, keeping the names of the locals in scope (to tell a global
// assignment from a local one).
class OutlineWalker {
 public:
  std::vector<OutlineName> walk(const Chunk& chunk) {
    function(*chunk.main, /*toLine=*/0);
    return std::move(names_);
  }

 private:
  std::vector<OutlineName> names_;
  std::vector<std::string> visible_;  // locals in scope at the walk's point, innermost last
  std::unordered_set<std::string> globals_;

  void declare(const LocalName& local, OutlineKind kind, int fromLine, int toLine,
               std::string detail) {
    names_.push_back(
        {local.name, kind, local.pos.line, local.pos.column, fromLine, toLine, std::move(detail)});
    visible_.push_back(local.name);
  }

  bool isLocal(const std::string& name) const {
    for (auto it = visible_.rbegin(); it != visible_.rend(); ++it) {
      if (*it == name) return true;
    }
    return false;
  }

  void assignedName(const Expr& target, OutlineKind kind, std::string detail) {
    if (target.kind != ExprKind::Name) return;
    const std::string& name = target.as<NameExpr>().name;
    if (isLocal(name) || !globals_.insert(name).second) return;
    names_.push_back(
        {name, kind, target.pos.line, target.pos.column, target.pos.line, 0, std::move(detail)});
  }

  // A function's parameters are visible in its body, which ends with its `end` (toLine 0: the
  // main chunk, which ends with the script).
  void function(const FunctionBody& body, int toLine) {
    size_t mark = visible_.size();
    int from = body.lineDefined > 0 ? body.lineDefined : 1;
    if (body.isMethod) {
      declare(LocalName{"self", Attrib::None, body.pos}, OutlineKind::Parameter, from, toLine, "");
    }
    for (const LocalName& param : body.params) {
      declare(param, OutlineKind::Parameter, from, toLine, "");
    }
    block(*body.body, toLine);
    visible_.resize(mark);
  }

  void block(const Block& b, int toLine) {
    size_t mark = visible_.size();
    statements(b, toLine);
    visible_.resize(mark);
  }

  void statements(const Block& b, int toLine) {
    for (const Stat* stat : b.stats) statement(*stat, toLine);
  }

  void statement(const Stat& stat, int blockTo) {
    switch (stat.kind) {
      case StatKind::Local: {
        const auto& s = stat.as<LocalStat>();
        expressions(s.values);
        for (const LocalName& name : s.names) {
          declare(name, OutlineKind::Local, s.endLine + 1, blockTo, attribDetail(name.attrib));
        }
        break;
      }
      case StatKind::Assign: {
        const auto& s = stat.as<AssignStat>();
        expressions(s.values);
        for (const Expr* target : s.targets) {
          expression(target);
          assignedName(*target, OutlineKind::Global, "");
        }
        break;
      }
      case StatKind::Call:
        expression(stat.as<CallStat>().call);
        break;
      case StatKind::Do:
        block(*stat.as<DoStat>().body, stat.endLine);
        break;
      case StatKind::While: {
        const auto& s = stat.as<WhileStat>();
        expression(s.condition);
        block(*s.body, stat.endLine);
        break;
      }
      case StatKind::Repeat: {  // the condition sees the body's locals
        const auto& s = stat.as<RepeatStat>();
        size_t mark = visible_.size();
        statements(*s.body, stat.endLine);
        expression(s.condition);
        visible_.resize(mark);
        break;
      }
      case StatKind::If:
        ifStatement(stat.as<IfStat>());
        break;
      case StatKind::NumericFor: {
        const auto& s = stat.as<NumericForStat>();
        expression(s.start);
        expression(s.limit);
        if (s.step) expression(s.step);
        size_t mark = visible_.size();
        declare(s.var, OutlineKind::LoopVariable, stat.pos.line, stat.endLine, "");
        block(*s.body, stat.endLine);
        visible_.resize(mark);
        break;
      }
      case StatKind::GenericFor: {
        const auto& s = stat.as<GenericForStat>();
        expressions(s.values);
        size_t mark = visible_.size();
        for (const LocalName& name : s.names) {
          declare(name, OutlineKind::LoopVariable, stat.pos.line, stat.endLine, "");
        }
        block(*s.body, stat.endLine);
        visible_.resize(mark);
        break;
      }
      case StatKind::Function: {
        const auto& s = stat.as<FunctionStat>();
        expression(s.target);
        assignedName(*s.target, OutlineKind::GlobalFunction, parameterList(*s.body));
        function(*s.body, s.body->lastLineDefined);
        break;
      }
      case StatKind::LocalFunction: {  // visible in its own body, for recursion
        const auto& s = stat.as<LocalFunctionStat>();
        declare(s.name, OutlineKind::LocalFunction, stat.pos.line, blockTo, parameterList(*s.body));
        function(*s.body, s.body->lastLineDefined);
        break;
      }
      case StatKind::Return:
        expressions(stat.as<ReturnStat>().values);
        break;
      case StatKind::Break:
      case StatKind::Goto:
      case StatKind::Label:
        break;
    }
  }

  // A clause's locals end where the next clause (or the statement) begins.
  void ifStatement(const IfStat& s) {
    for (size_t i = 0; i < s.clauses.size(); ++i) {
      const IfClause& clause = s.clauses[i];
      expression(clause.condition);
      int to = s.endLine;
      if (i + 1 < s.clauses.size())
        to = s.clauses[i + 1].condition->pos.line;
      else if (s.elseBody)
        to = std::max(clause.body->endLine, clause.body->pos.line);
      block(*clause.body, to);
    }
    if (s.elseBody) block(*s.elseBody, s.endLine);
  }

  void expressions(const ExprList& list) {
    for (const Expr* e : list.items) expression(e);
  }

  // Expressions declare nothing themselves, so their order does not matter: an explicit stack
  // visits them; only a function body inside one recurses (nesting the parser has bounded).
  void expression(const Expr* root) {
    std::vector<const Expr*> pending{root};
    auto push = [&pending](const Expr* e) {
      if (e) pending.push_back(e);
    };
    auto pushList = [&push](const ExprList& list) {
      for (const Expr* e : list.items) push(e);
    };
    while (!pending.empty()) {
      const Expr* e = pending.back();
      pending.pop_back();
      switch (e->kind) {
        case ExprKind::Function: {
          const FunctionBody& body = *e->as<FunctionExpr>().body;
          function(body, body.lastLineDefined);
          break;
        }
        case ExprKind::Table:
          for (const TableField& field : e->as<TableExpr>().fields) {
            push(field.key);
            push(field.value);
          }
          break;
        case ExprKind::Binary:
          push(e->as<BinaryExpr>().lhs);
          push(e->as<BinaryExpr>().rhs);
          break;
        case ExprKind::Unary:
          push(e->as<UnaryExpr>().operand);
          break;
        case ExprKind::Index:
          push(e->as<IndexExpr>().object);
          push(e->as<IndexExpr>().key);
          break;
        case ExprKind::Call:
          push(e->as<CallExpr>().function);
          pushList(e->as<CallExpr>().args);
          break;
        case ExprKind::MethodCall:
          push(e->as<MethodCallExpr>().object);
          pushList(e->as<MethodCallExpr>().args);
          break;
        case ExprKind::Paren:
          push(e->as<ParenExpr>().inner);
          break;
        default:
          break;
      }
    }
  }
};

}  // namespace

ScriptCheck checkScript(std::string_view source, std::string_view chunkname) {
  ScriptCheck result;
  try {
    std::string_view text = loadableText(source, chunkname);
    std::unique_ptr<ast::Chunk> chunk = parse(text, chunkname);
    generateCode(*chunk, text, chunkname);  // for the errors only it can find
    result.names = OutlineWalker().walk(*chunk);
    result.ok = true;
  } catch (const SyntaxError& e) {
    result.message = e.what();
    result.line = e.line();
    result.column = e.column();
    result.names.clear();
  } catch (const std::bad_alloc&) {
    result.message = "not enough memory";
  } catch (const std::exception& e) {
    result.message = e.what();
  }
  return result;
}

}  // namespace lunette
