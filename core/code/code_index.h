// A static index of an executable's machine code, for naming the code that
// touches a map when no goroutine is inside map code any more: which
// functions refer to a global (PC-relative operands: x86-64's RIP-relative
// ones, AArch64's ADRP pairs and literal loads), whom each calls directly,
// and each call of a runtime map function with what its map arguments held
// (a backward scan over the instructions before the call).
//
// Built once per executable by a linear sweep of every function pclntab
// lists, restarting at each entry, with the decoder of the executable's
// architecture; a function ends where the next begins, less the padding the
// linker puts between functions (INT3 bytes, UDF #0 words).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "arch/architecture.h"
#include "arch/instruction.h"
#include "binary/pclntab.h"
#include "code/register_origin.h"
#include "maps/map_functions.h"

namespace gomapdbg {

class InlineTree;

struct DataReference {
  uint64_t pc = 0;      // of the instruction
  uint64_t target = 0;  // absolute address of its PC-relative operand
};

struct MapCallSite {
  uint64_t pc = 0;  // of the CALL (BL)
  uint64_t callee = 0;
  std::string callee_name;
  MapAccess access = MapAccess::Read;
  // Source position of the call from pclntab: the inlined function's when
  // the call sits in inlined code (`function` then names that function).
  std::string function, file;
  int64_t line = 0;
  // Whether the callee is a runtime.map* entry point whose (t, h) arrive in
  // the architecture's first two argument registers (RAX and RBX, X0 and
  // X1: arch/map_entry_arguments.h); `argument_form` says how it declares them.
  bool entry_point = false;
  std::string argument_form;
  ArgumentOrigin map_type;  // RAX, X0
  ArgumentOrigin map;       // RBX, X1
};

struct FunctionCode {
  uint64_t entry = 0;
  uint64_t end = 0;    // end of the decoded code (before the padding)
  uint64_t limit = 0;  // the next function's entry
  std::string name;
  // The first address that did not decode as an instruction (the rest of
  // the function is not indexed); nullopt when all of it decoded.
  std::optional<uint64_t> undecodable_at;
  uint64_t instructions = 0;
  std::vector<DataReference> data_references;  // in pc order
  std::vector<uint64_t> callees;               // entries called directly, sorted, unique
  std::vector<MapCallSite> map_calls;          // in pc order
};

// A map call site reached from a function through direct calls.
struct MapCallPath {
  const MapCallSite* site = nullptr;
  std::vector<uint64_t> chain;  // entries from the queried function to the caller of site
};

class CodeIndex {
 public:
  // `text` holds the code bytes from `text_address` on, machine code of
  // `arch`. `inline_tree` (optional) names the inlined function at a call.
  CodeIndex(const Architecture& arch, const Pclntab& table, std::vector<uint8_t> text,
            uint64_t text_address, const InlineTree* inline_tree = nullptr);
  // An index with no functions, saying why (no pclntab, no .text).
  explicit CodeIndex(std::string problem) : problem_(std::move(problem)) {}

  const std::string& problem() const { return problem_; }
  const std::vector<FunctionCode>& functions() const { return functions_; }
  const FunctionCode* function(uint64_t entry) const;
  const FunctionCode* function_containing(uint64_t pc) const;

  // Functions with a PC-relative operand inside [address, address+size),
  // in address order.
  std::vector<const FunctionCode*> functions_referring_to(uint64_t address, uint64_t size) const;
  // Map calls whose map argument was loaded from the global at `global_address`.
  std::vector<const MapCallSite*> map_calls_on_global(uint64_t global_address) const;
  // Map calls with type descriptor `type_descriptor` in the function at
  // `entry` or in functions it calls directly, up to `depth` calls deep;
  // each function is searched once, by its shortest chain.
  std::vector<MapCallPath> map_calls_of_type(uint64_t entry, uint64_t type_descriptor,
                                             int depth) const;

  // Where each instruction of the function at `entry` starts, decoded
  // again (the index keeps no instruction list).
  std::vector<uint64_t> instruction_starts(uint64_t entry) const;
  double build_seconds() const { return build_seconds_; }

 private:
  struct Reference {
    uint64_t target;
    uint32_t function;  // index in functions_
  };

  const InstructionSet* instructions_ = nullptr;
  std::vector<uint8_t> text_;
  uint64_t text_address_ = 0;
  std::vector<FunctionCode> functions_;  // in entry order
  std::vector<Reference> references_;    // by target
  std::string problem_;
  double build_seconds_ = 0;
};

}  // namespace gomapdbg
