#include "binary/dwarf_scopes.h"

#include <dwarf.h>

#include <algorithm>

#include "binary/dwarf_index.h"

namespace gomapdbg {

namespace {

constexpr int kMaxBlockNesting = 64;

// The inlined call directly inside `scope` (through lexical blocks) that
// contains `pc`.
std::optional<Dwarf_Die> inlined_call_at(Dwarf_Die scope, uint64_t pc, int nesting = 0) {
  Dwarf_Die child;
  if (nesting > kMaxBlockNesting || dwarf_child(&scope, &child) != 0) return std::nullopt;
  do {
    int tag = dwarf_tag(&child);
    if (tag != DW_TAG_inlined_subroutine && tag != DW_TAG_lexical_block) continue;
    if (dwarf_haspc(&child, pc) != 1) continue;
    if (tag == DW_TAG_inlined_subroutine) return child;
    if (auto inner = inlined_call_at(child, pc, nesting + 1)) return inner;
  } while (dwarf_siblingof(&child, &child) == 0);
  return std::nullopt;
}

void collect(Dwarf_Die scope, uint64_t pc, std::optional<int64_t> line, int nesting,
             std::vector<Dwarf_Die>& out) {
  Dwarf_Die child;
  if (nesting > kMaxBlockNesting || dwarf_child(&scope, &child) != 0) return;
  std::vector<Dwarf_Die> blocks;
  do {
    int tag = dwarf_tag(&child);
    if ((tag == DW_TAG_formal_parameter || tag == DW_TAG_variable) &&
        out.size() < kMaxScopeVariables && declared_by(die_udata(&child, DW_AT_decl_line), line))
      out.push_back(child);
    if (tag == DW_TAG_lexical_block && dwarf_haspc(&child, pc) == 1) blocks.push_back(child);
  } while (dwarf_siblingof(&child, &child) == 0);
  for (Dwarf_Die& block : blocks) collect(block, pc, line, nesting + 1, out);
}

}  // namespace

std::vector<FunctionScope> function_scopes(Dwarf_Die function, uint64_t pc,
                                           std::optional<int64_t> pc_line) {
  std::vector<FunctionScope> scopes{{function, std::nullopt}};
  while (scopes.size() < kMaxInlineDepth) {
    auto call = inlined_call_at(scopes.back().die, pc);
    if (!call) break;
    auto call_line = die_udata(&*call, DW_AT_call_line);
    if (call_line) scopes.back().line = static_cast<int64_t>(*call_line);
    scopes.push_back({*call, std::nullopt});
  }
  scopes.back().line = pc_line;
  return scopes;
}

FunctionScope function_scope(Dwarf_Die function, uint64_t pc, std::optional<int64_t> pc_line,
                             size_t inline_depth) {
  std::vector<FunctionScope> scopes = function_scopes(function, pc, pc_line);
  return scopes[std::min(inline_depth, scopes.size() - 1)];
}

std::vector<Dwarf_Die> scope_variables(const FunctionScope& scope, uint64_t pc) {
  std::vector<Dwarf_Die> out;
  collect(scope.die, pc, scope.line, 0, out);
  return out;
}

}  // namespace gomapdbg
