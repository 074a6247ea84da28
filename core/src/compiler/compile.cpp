// compile(): the front end's entry point (see compile.h). Parses to an AST, then generates code.
//
// Files get the reference loader's treatment before parsing: a UTF-8 byte-order mark is
// dropped and a first line starting with '#' (a Unix "#!" line) is skipped, its line break kept
// so that line numbers do not move. A chunk loaded from a string is compiled as it is, as
// load() does in the reference; files are recognised by their chunk name ("@name", or "=stdin"
// for standard input, which is what the reference calls it).
#include "compiler/compile.h"

#include "compiler/codegen.h"
#include "compiler/parser.h"

namespace lunette {

namespace {

bool isFileChunk(std::string_view chunkname) {
  return (!chunkname.empty() && chunkname.front() == '@') || chunkname == "=stdin";
}

std::string_view skipFilePrefix(std::string_view source) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (source.substr(0, kBom.size()) == kBom) source.remove_prefix(kBom.size());
  if (!source.empty() && source.front() == '#') {
    size_t newline = source.find('\n');
    source.remove_prefix(newline == std::string_view::npos ? source.size() : newline);
  }
  return source;
}

}  // namespace

std::string_view loadableText(std::string_view source, std::string_view chunkname) {
  return isFileChunk(chunkname) ? skipFilePrefix(source) : source;
}

std::unique_ptr<FunctionData> compile(std::string_view source, std::string_view chunkname) {
  source = loadableText(source, chunkname);
  std::unique_ptr<ast::Chunk> chunk = parse(source, chunkname);
  return generateCode(*chunk, source, chunkname);
}

}  // namespace lunette
