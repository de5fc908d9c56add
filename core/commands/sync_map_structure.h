// A sync.Map's physical structure (`go map --buckets` of a sync.Map) in
// text and JSON, over the model the walker builds (maps/sync_map.h):
// read/dirty maps with their live, deleted and expunged entries, amended
// and misses; or the hash trie's nodes, depth, fan-out and overflow chains.
#pragma once

#include <string>
#include <vector>

#include "maps/map_walker.h"
#include "maps/sync_map.h"

namespace gomapdbg {

// The text lines, without warnings.
std::vector<std::string> sync_structure_lines(const SyncMapStructure& structure);
// `"physical": "sync", "structure": {...}` (no braces around them).
std::string sync_structure_json(const SyncMapStructure& structure);

// Where a key's entry is (--key): text lines, and `"location": {...}`.
std::vector<std::string> sync_key_lines(const SyncMapLayout& layout, const SyncKeyPlace& place);
std::string sync_key_json(const SyncMapLayout& layout, const SyncKeyPlace& place);

}  // namespace gomapdbg
