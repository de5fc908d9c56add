// Where the Go runtime's map entry points receive their map and its type:
// the compiler calls runtime.map* functions with (t, h, ...) as their first
// two integer arguments of Go's register ABI (abi-internal.md, go1.17+; the
// same in every release of the matrix, go1.19–go1.27). Which functions those
// are is one list for every architecture; each architecture only names its
// two registers (Architecture::map_type_argument, map_argument).
#pragma once

#include <optional>
#include <string>

#include "arch/architecture.h"
#include "arch/instruction.h"

namespace gomapdbg {

struct MapEntryArguments {
  RegisterNumber type;  // the *maptype (or an interface's type word)
  RegisterNumber map;   // the map header pointer (or an interface's data word)
  // How the arguments are declared, for the report: "t, h" (swiss code
  // names h `m`) or "m any" (mapclone: an empty interface in two words).
  const char* form;
};

// The runtime.map* functions the compiler calls with (t, h, ...):
// mapaccess*, mapassign*, mapdelete*, mapclear, mapiterinit, mapIterStart
// (go1.24+); and mapclone(m any) (named maps.clone in pclntab), whose
// interface arrives as (type word, data word) in the same two registers.
// Iterator steps (mapiternext) and the methods of internal/runtime/maps
// (receiver *Map first) are not entry points: nullopt.
std::optional<const char*> map_entry_form(const std::string& function);

// The same with the registers of `arch`'s instruction set.
std::optional<MapEntryArguments> map_entry_arguments(const Architecture& arch,
                                                     const std::string& function);

}  // namespace gomapdbg
