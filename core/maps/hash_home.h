// Where a map puts a key with a given hash: the classic bucket
// hash & (2^B − 1), or for a swiss map the table of directory entry
// hash >> globalShift and the first group of its probe sequence,
// (hash >> 7) & groups.lengthMask (the one group of a small map).
// Reference: ../shared/reference/go-runtime-layouts.md §1, §2.
#pragma once

#include <cstdint>
#include <optional>

#include "maps/map_layout.h"
#include "memory/memory.h"

namespace gomapdbg {

struct HashHome {
  uint64_t table = 0;  // swiss: the table's address (0 for a small map)
  uint64_t index = 0;  // the bucket, or the group in its table
};

// The seed the map hashes with: hash0 (classic, 32 bits) or seed (swiss).
uint64_t map_hash_seed(const Memory& memory, const MapLayout& layout, uint64_t map);

// nullopt when the header or directory is unreadable.
std::optional<HashHome> hash_home(const Memory& memory, const MapLayout& layout, uint64_t map,
                                  uint64_t hash);

}  // namespace gomapdbg
