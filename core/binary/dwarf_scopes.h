// The DWARF scopes of a PC as the Go compiler leaves them: the function
// (DW_TAG_subprogram), the calls inlined into it that contain the PC
// (DW_TAG_inlined_subroutine, their names and types behind
// DW_AT_abstract_origin, their locations their own), and the lexical blocks
// whose ranges hold the PC. A variable is in scope where its block holds the
// PC and its declaration line (DW_AT_decl_line) is not after the PC's line,
// as Delve decides it too.
#pragma once

#include <elfutils/libdw.h>

#include <optional>
#include <vector>

namespace gomapdbg {

// Bounds on what the (untrusted) DWARF can make a walk do.
inline constexpr size_t kMaxInlineDepth = 64;
inline constexpr size_t kMaxScopeVariables = 4096;

// One function scope of a PC: the function itself or one inlined call.
struct FunctionScope {
  Dwarf_Die die;
  // The source line the PC stands at in this function: `pc_line` (pclntab's
  // line, the innermost inlined function's) for the innermost scope, the
  // call's line (DW_AT_call_line) of the next inlined call for the others;
  // nullopt when unknown (no line filter).
  std::optional<int64_t> line;
};

// `function` and the inlined calls that contain `pc`, outermost first (the
// function itself first), at most kMaxInlineDepth.
std::vector<FunctionScope> function_scopes(Dwarf_Die function, uint64_t pc,
                                           std::optional<int64_t> pc_line);

// The scope of a frame `inline_depth` calls inside its physical function
// (0: the function itself; beyond the deepest call: the deepest).
FunctionScope function_scope(Dwarf_Die function, uint64_t pc, std::optional<int64_t> pc_line,
                             size_t inline_depth);

// The parameters and variables of `scope` in scope at `pc`, outer blocks
// first, not those of calls inlined into it.
std::vector<Dwarf_Die> scope_variables(const FunctionScope& scope, uint64_t pc);

// Whether a variable declared at `decl_line` is in scope at `line`.
inline bool declared_by(std::optional<uint64_t> decl_line, std::optional<int64_t> line) {
  return !decl_line || !line || static_cast<int64_t>(*decl_line) <= *line;
}

}  // namespace gomapdbg
