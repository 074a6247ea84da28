// The script outline: what the editor needs to know about a script without running it.
//
// checkScript() compiles the text exactly as load() does (parser and code generator, so every
// syntax, goto/label, <const> and register/upvalue error is found, worded as the reference
// words it) and, when it compiles, lists the names the script declares with where each can be
// used: the locals of every block with their scope, function parameters, for-loop variables,
// and the globals the script assigns.
//
// Scopes are lines, which is what an editor's completion needs: a name is visible on the lines
// fromLine..toLine (toLine 0: to the end of the script). The rules are the manual's (3.5): a
// local declared by `local` comes into scope after its statement (so its visibility starts on
// the next line), a `local function` inside its own body, parameters and loop variables in
// their body; each ends with the block that declares it. The main chunk's block ends with the
// script, so its locals stay visible on lines typed after the last statement.
//
// Invariants: checkScript never throws (a failure is a result with ok false); the walk over
// expressions uses an explicit stack, so the 100000-term chains the parser accepts cannot
// overflow the C++ stack (statements and function bodies nest at most kMaxSyntaxLevels deep).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lunette {

enum class OutlineKind { Local, Parameter, LocalFunction, LoopVariable, Global, GlobalFunction };

// "local", "parameter", "localfunction", "loopvariable", "global", "globalfunction".
std::string_view outlineKindName(OutlineKind kind);

struct OutlineName {
  std::string name;
  OutlineKind kind = OutlineKind::Local;
  int line = 0;        // where it is declared (first assigned, for a global)
  int column = 0;      // 1-based, 0 when unknown
  int fromLine = 0;    // visible from this line...
  int toLine = 0;      // ...through this one (0: the end of the script)
  std::string detail;  // "<const>", "<close>", or a function's parameter list "(a, b, ...)"
};

struct ScriptCheck {
  bool ok = false;
  std::string message;  // the error as load() reports it (chunk:line: ... near ...)
  int line = 0;
  int column = 0;                  // 1-based column of the offending token, 0 if unknown
  std::vector<OutlineName> names;  // when ok
};

ScriptCheck checkScript(std::string_view source, std::string_view chunkname);

}  // namespace lunette
