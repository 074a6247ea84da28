// The parser's scope tracker; see scopes.h for what it checks and why it exists.
#include "compiler/scopes.h"

#include <cassert>

namespace lunette {

void ScopeTracker::openFunction(int lineDefined) {
  Function fn;
  fn.firstLocal = locals_.size();
  fn.firstLabel = labels_.size();
  fn.lineDefined = lineDefined;
  functions_.push_back(std::move(fn));
  enterBlock(false);
}

// Leaving the function's outer block: any goto still pending has no visible label.
void ScopeTracker::closeFunction() {
  Function& fn = function();
  assert(fn.blocks.size() == 1);
  size_t firstGoto = fn.blocks.back().firstGoto;
  if (firstGoto < gotos_.size()) {
    const Label& gt = gotos_[firstGoto];
    if (gt.name == kBreak)
      errors_.semanticError("break outside loop at line " + std::to_string(gt.line));
    errors_.semanticError("no visible label '" + gt.name + "' for <goto> at line " +
                          std::to_string(gt.line));
  }
  locals_.resize(fn.firstLocal);
  labels_.resize(fn.firstLabel);
  functions_.pop_back();
}

void ScopeTracker::enterBlock(bool isLoop) {
  Function& fn = function();
  fn.blocks.push_back({fn.activeLocals, labels_.size(), gotos_.size(), isLoop});
}

void ScopeTracker::leaveBlock() {
  Function& fn = function();
  Block block = fn.blocks.back();
  fn.activeLocals = block.activeLocals;
  locals_.resize(fn.firstLocal + static_cast<size_t>(block.activeLocals));
  if (block.isLoop) resolveGotos({std::string(kBreak), 0, fn.activeLocals});
  labels_.resize(block.firstLabel);
  fn.blocks.pop_back();
  // The block's pending gotos now leave from the enclosing block.
  for (size_t i = block.firstGoto; i < gotos_.size(); ++i)
    gotos_[i].activeLocals = block.activeLocals;
}

void ScopeTracker::declareLocal(std::string_view name) {
  Function& fn = function();
  if (locals_.size() - fn.firstLocal + 1 > static_cast<size_t>(kMaxLocals)) {
    std::string where = fn.lineDefined == 0
                            ? std::string("main function")
                            : "function at line " + std::to_string(fn.lineDefined);
    errors_.syntaxError("too many local variables (limit is " + std::to_string(kMaxLocals) +
                        ") in " + where);
  }
  locals_.push_back({std::string(name), false});
}

void ScopeTracker::setLastAttribute(ast::Attrib attrib) {
  locals_.back().readonly = attrib != ast::Attrib::None;
}

void ScopeTracker::activateLocals(int count) { function().activeLocals += count; }

// A name resolves to the innermost active local of the same name, in this function or an
// enclosing one (an upvalue); <const> and <close> locals cannot be assigned.
void ScopeTracker::checkAssignable(std::string_view name) {
  for (auto fn = functions_.rbegin(); fn != functions_.rend(); ++fn) {
    for (int i = fn->activeLocals - 1; i >= 0; --i) {
      const Local& local = locals_[fn->firstLocal + static_cast<size_t>(i)];
      if (local.name != name) continue;
      if (local.readonly)
        errors_.semanticError("attempt to assign to const variable '" + local.name + "'");
      return;
    }
  }
}

const ScopeTracker::Label* ScopeTracker::findLabel(std::string_view name) const {
  for (size_t i = functions_.back().firstLabel; i < labels_.size(); ++i)
    if (labels_[i].name == name) return &labels_[i];
  return nullptr;
}

void ScopeTracker::addGoto(std::string_view name, int line) {
  gotos_.push_back({std::string(name), line, function().activeLocals});
}

void ScopeTracker::gotoStatement(std::string_view label, int line) {
  if (findLabel(label) == nullptr) addGoto(label, line);  // a backward goto is always fine
}

void ScopeTracker::labelStatement(std::string_view name, int line, bool last) {
  if (const Label* existing = findLabel(name)) {
    errors_.semanticError("label '" + std::string(name) + "' already defined on line " +
                          std::to_string(existing->line));
  }
  Function& fn = function();
  Label label{std::string(name), line, last ? fn.blocks.back().activeLocals : fn.activeLocals};
  labels_.push_back(label);
  resolveGotos(label);
}

// Resolves the current block's pending gotos to `label`; none may enter a local's scope.
void ScopeTracker::resolveGotos(const Label& label) {
  Function& fn = function();
  size_t i = fn.blocks.back().firstGoto;
  while (i < gotos_.size()) {
    const Label& gt = gotos_[i];
    if (gt.name != label.name) {
      ++i;
      continue;
    }
    if (gt.activeLocals < label.activeLocals) {
      const Local& local = locals_[fn.firstLocal + static_cast<size_t>(gt.activeLocals)];
      errors_.semanticError("<goto " + gt.name + "> at line " + std::to_string(gt.line) +
                            " jumps into the scope of local '" + local.name + "'");
    }
    gotos_.erase(gotos_.begin() + static_cast<std::ptrdiff_t>(i));
  }
}

}  // namespace lunette
