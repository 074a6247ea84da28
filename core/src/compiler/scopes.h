// The parser's view of scopes: which locals are declared and active (with their attributes),
// the blocks, the visible labels and the pending gotos of every function being parsed.
//
// Why the parser keeps it. The reference compiles in one pass, so it reports a goto, label or
// const-assignment error as soon as it reads the offending construct, before any later syntax
// error. Tracking just enough of the scopes here lets the parser report the same error at the
// same moment. The code generator keeps full scopes of its own (with registers and pcs) and
// re-derives the same errors; it never sees a tree with one.
//
// The rules are the manual's (section 3.3.4 and 3.5): a goto jumps to any visible label as long
// as it does not enter the scope of a local; a label is visible in its block and nested blocks
// (so it may not be repeated there); a label followed only by void statements up to the end of
// its block counts as being outside the block's locals; `break` is a goto to the end of the
// innermost loop. Counting follows the reference too: hidden for-loop variables and
// compile-time constants are locals.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "compiler/ast.h"

namespace lunette {

// Where the tracker reports errors; the parser formats them with its current line and token.
class ScopeErrors {
 public:
  virtual ~ScopeErrors() = default;
  [[noreturn]] virtual void syntaxError(std::string_view message) = 0;    // "... near <token>"
  [[noreturn]] virtual void semanticError(std::string_view message) = 0;  // no token
};

class ScopeTracker {
 public:
  static constexpr int kMaxLocals = 200;  // per function, like the reference's MAXVARS

  explicit ScopeTracker(ScopeErrors& errors) : errors_(errors) {}

  void openFunction(int lineDefined);
  void closeFunction();  // reports gotos left without a label
  void enterBlock(bool isLoop);
  void leaveBlock();

  void declareLocal(std::string_view name);     // checks the 200-locals limit
  void setLastAttribute(ast::Attrib attrib);    // of the local declared last
  void activateLocals(int count);  // the next `count` declared locals come into scope

  void checkAssignable(std::string_view name);
  void gotoStatement(std::string_view label, int line);
  void breakStatement(int line) { addGoto(kBreak, line); }
  // `last`: only void statements follow the label before its block ends.
  void labelStatement(std::string_view name, int line, bool last);

 private:
  static constexpr std::string_view kBreak = "break";  // a reserved word: no user label

  struct Local {
    std::string name;
    bool readonly = false;
  };
  struct Label {
    std::string name;
    int line = 0;
    int activeLocals = 0;
  };
  struct Block {
    int activeLocals = 0;
    size_t firstLabel = 0;
    size_t firstGoto = 0;
    bool isLoop = false;
  };
  struct Function {
    size_t firstLocal = 0;
    size_t firstLabel = 0;
    int lineDefined = 0;
    int activeLocals = 0;
    std::vector<Block> blocks;
  };

  Function& function() { return functions_.back(); }
  void addGoto(std::string_view name, int line);
  void resolveGotos(const Label& label);
  const Label* findLabel(std::string_view name) const;

  ScopeErrors& errors_;
  std::vector<Function> functions_;
  std::vector<Local> locals_;  // declared locals of all open functions, innermost last
  std::vector<Label> labels_;  // visible labels of all open functions
  std::vector<Label> gotos_;   // pending gotos (line: the goto's; activeLocals: at the goto)
};

}  // namespace lunette
