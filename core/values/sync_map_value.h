// sync.Map as a value: its layout in a binary (with the runtime's expunged
// sentinel read from memory), the sync.Map a value is or points to, and a
// sample of its entries for the value decoder (`go print` shows it as
// sync.Map{KEY: VALUE, ...}, keys and values being `any`).
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "maps/sync_map.h"
#include "memory/memory.h"
#include "types/go_type.h"
#include "values/value_access.h"

namespace gomapdbg {

class GoBinary;

// sync.Map's layout in `binary` (DWARF), sync.expunged's value from memory
// when the symbol table has it. Throws LayoutError when it cannot be laid out.
SyncMapLayout binary_sync_map_layout(GoBinary& binary, const Memory& memory,
                                     const GoType& sync_map);

// A sync.Map reached from a value: its own bytes and its address (0 when
// that of a copy is not known).
struct SyncMapBytes {
  const GoType* type = nullptr;  // sync.Map
  std::vector<uint8_t> bytes;
  uint64_t address = 0;
};
// The sync.Map `bytes` of `type` is (sync.Map, read at `address` when
// that is known) or points to (*sync.Map); nullopt for any other type.
// Throws MemoryError when the pointer's target is unreadable and Error
// for a nil pointer.
std::optional<SyncMapBytes> sync_map_of(const Memory& memory, const GoType& type,
                                        const uint8_t* bytes, uint64_t address = 0);

// The first `max_entries` live entries of a sync.Map (key and value types
// `any`) and its length; throws Error when it cannot be read.
MapSample sample_sync_map(const Memory& memory, GoBinary& binary, const GoType& type,
                          const uint8_t* bytes, size_t max_entries);

}  // namespace gomapdbg
