// The front end's single entry point: Lua source text in, FunctionData out.
//
// compile() never touches a heap or a State; it may be called from any thread. On a lexical
// or syntax error it throws SyntaxError whose message is already formatted as the reference
// formats it: "<chunkid>:<line>: <message> near '<token>'" (or "near <eof>").
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "bytecode/function_data.h"

namespace lunette {

class SyntaxError : public std::runtime_error {
 public:
  SyntaxError(std::string message, int line, int column)
      : std::runtime_error(std::move(message)), line_(line), column_(column) {}
  int line() const { return line_; }
  int column() const { return column_; }  // 1-based column of the offending token, 0 if unknown

 private:
  int line_;
  int column_;
};

// `chunkname` follows the reference: "@file.lua", "=stdin", or the source text itself.
// The result is the main function: vararg, numparams 0, one upvalue _ENV.
std::unique_ptr<FunctionData> compile(std::string_view source, std::string_view chunkname);

// The part of `source` the parser reads: for a file chunk, without a byte-order mark and with
// a first '#' line blanked (its line break kept); any other chunk as it is.
std::string_view loadableText(std::string_view source, std::string_view chunkname);

}  // namespace lunette
