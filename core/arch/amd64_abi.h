// Go's register calling convention on amd64 (ABIInternal, go1.17+; the
// same in every release of the matrix, go1.19–go1.27): which registers carry
// a call's arguments, and so where the map functions find their map.
// Reference: the Go source, src/cmd/compile/abi-internal.md ("amd64 architecture").
#pragma once

#include <array>
#include <optional>
#include <string>

#include "arch/x86_decoder.h"

namespace gomapdbg::amd64 {

// Integer arguments and results, in order (abi-internal.md, go1.17+).
inline constexpr std::array<Gpr, 9> kIntegerArgumentRegisters = {
    Gpr::Rax, Gpr::Rbx, Gpr::Rcx, Gpr::Rdi, Gpr::Rsi, Gpr::R8, Gpr::R9, Gpr::R10, Gpr::R11};
// The current goroutine (g), fixed in ABIInternal code, go1.17+.
inline constexpr Gpr kGRegister = Gpr::R14;
// A closure's context pointer.
inline constexpr Gpr kClosureContextRegister = Gpr::Rdx;

// Where a runtime map entry point receives its map and the map's type.
struct MapArgumentRegisters {
  Gpr type;  // the *maptype (or an interface's type word)
  Gpr map;   // the map header pointer (or an interface's data word)
  // How the arguments are declared, for the report: "t, h" (swiss code
  // names h `m`) or "m any" (mapclone: an empty interface in two words).
  const char* form;
};

// The runtime.map* functions the compiler calls with (t, h, ...) as their
// first two integer arguments: mapaccess*, mapassign*, mapdelete*, mapclear,
// mapiterinit, mapIterStart (go1.24+); and mapclone(m any) (named maps.clone
// in pclntab), whose interface arrives as (type word, data word) in the
// same two registers. Iterator
// steps (mapiternext) and the methods of internal/runtime/maps (receiver
// *Map in RAX) are not entry points: nullopt.
std::optional<MapArgumentRegisters> map_entry_arguments(const std::string& function);

}  // namespace gomapdbg::amd64
