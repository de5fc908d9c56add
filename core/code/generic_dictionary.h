// A generic function's dictionary: the words the compiler passes a shaped
// function (main.f[go.shape.int]) in its first integer register, whose
// entries point at the runtime type descriptors of the real types. DWARF
// names it ".dict" only in unoptimized builds (-N -l); an optimized build
// drops the synthetic variable, and the address is read at the call site
// instead, where the caller loads a static dictionary into the first
// integer argument register right before the call (amd64:
// LEA main..dict.f[int](SB), RAX; arm64: ADRP+ADD into R0).
#pragma once

#include <cstdint>
#include <optional>

#include "arch/architecture.h"
#include "binary/dwarf_location.h"
#include "binary/pclntab.h"
#include "memory/memory.h"

namespace gomapdbg {

// The dictionary the frame's function was called with, from the call
// instruction before its return address (where `arch` keeps it: CFA-8 on
// amd64; on arm64 the frame's 0(SP), or LR before the frame is allocated);
// nullopt when the caller's code does not show it plainly (a subdictionary
// loaded from the caller's own dictionary, a call through a register, a
// damaged stack).
std::optional<uint64_t> dictionary_from_call_site(const Architecture& arch, const Pclntab& table,
                                                  const Memory& memory, const FrameState& frame);

}  // namespace gomapdbg
