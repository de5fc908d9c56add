// Variables by name from DWARF: locals and arguments of the selected frame
// (their locations evaluated at its PC against its CFA) and globals. A
// variable the compiler moved to the heap (DWARF name "&x", a pointer) is
// found and listed as x with the value it points to.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "target/target.h"
#include "types/go_type.h"

namespace gomapdbg {

// A typed value: its bytes, and where it lives when it is in memory.
struct GoValue {
  const GoType* type = nullptr;
  std::vector<uint8_t> bytes;
  std::string origin;    // how it was reached: "main.m", "arg", "x.f[3]", "0x... as T"
  std::string where;     // "global", "argument" or "local" for a variable itself
  uint64_t address = 0;  // where its bytes were read; 0 when from registers or made up

  std::string describe() const { return where.empty() ? origin : origin + " (" + where + ")"; }
};

std::optional<GoValue> find_local(Target& target, const std::string& name);
// The same for any frame (e.g. one of an unwound goroutine's frames).
std::optional<GoValue> find_in_frame(Target& target, const FrameState& frame,
                                     const std::string& name);
std::optional<GoValue> find_global(Target& target, const std::string& name);
// The same for searches that try variables which may not be there: a
// variable that is not live at the PC or has no location (NotFoundError)
// or whose memory is unreadable (MemoryError) is none, as when it does not
// exist. Anything else (a type DWARF lacks, an unreadable DIE) still throws.
std::optional<GoValue> find_live_in_frame(Target& target, const FrameState& frame,
                                          const std::string& name);
std::optional<GoValue> find_live_global(Target& target, const std::string& name);

// A global variable's home: where DWARF places it and how big it is.
struct GlobalVariable {
  uint64_t address = 0;
  uint64_t size = 0;
  std::string name;
};
// Every global DWARF locates at a fixed address, sorted by address (empty
// without DWARF).
std::vector<GlobalVariable> global_variables(Target& target);
// The variable names an expression can start with that begin with `prefix`,
// sorted: the selected frame's parameters and locals visible at its PC (a
// heap copy "&x" as x), the globals (main.m) and main's globals without
// their package (m), as expressions accept them.
std::vector<std::string> variable_names(Target& target, const std::string& prefix);
// All parameters and locals visible at the selected frame's PC; those that
// cannot be read are named in `unavailable` with the reason.
std::vector<GoValue> frame_variables(Target& target, std::vector<std::string>& unavailable);
// The same for any frame (e.g. one of an unwound goroutine's frames).
std::vector<GoValue> frame_variables(Target& target, const FrameState& frame,
                                     std::vector<std::string>& unavailable);

}  // namespace gomapdbg
