// sync.Map from raw memory, in its two implementations:
//   - read/dirty (go1.19–1.23, and 1.24/1.25 built with
//     GOEXPERIMENT=nosynchashtriemap): a read-only map[any]*entry behind an
//     atomic pointer (go1.19: an atomic.Value holding a readOnly), a dirty
//     map[any]*entry holding every live key while read.amended, and entries
//     whose pointer is nil (deleted) or the sentinel sync.expunged (deleted,
//     and left out of the dirty map);
//   - internal/sync.HashTrieMap[any, any] (go1.24+): a trie of indirect
//     nodes with 16 children each, 4 hash bits per level from the top, whose
//     leaves are entries with overflow chains for full-hash collisions.
// Keys and values are `any` (16-byte interfaces): the walker hands out their
// bytes and leaves their dynamic types to values/. Every walk is bounded:
// cycles, absurd depths and unreadable nodes end it with a warning and what
// was found.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "maps/map_layout.h"
#include "maps/map_walker.h"
#include "memory/memory.h"
#include "types/go_type.h"

namespace gomapdbg {

enum class SyncMapImpl { ReadDirty, HashTrie };

// What `go map` calls the layout: "sync-readdirty" or "sync-trie".
const char* sync_map_layout_name(SyncMapImpl impl);

struct SyncMapLayout {
  SyncMapImpl impl = SyncMapImpl::HashTrie;
  const GoType* any = nullptr;  // interface {}: the keys' and values' type
  uint64_t size = 0;            // of sync.Map

  // read/dirty: offsets in sync.Map of the word holding the *readOnly (go1.20+
  // atomic.Pointer's v; go1.19 the atomic.Value interface's data word), of
  // the dirty map pointer and of misses; in readOnly and entry.
  uint64_t read_pointer = 0, dirty = 0, misses = 0;
  uint64_t read_m = 0, read_amended = 8, read_size = 16;
  uint64_t entry_p = 0;
  MapLayout entries;  // map[any]*entry (read.m and dirty)
  // The value of sync.expunged (entries' deleted-and-expunged mark), when known.
  std::optional<uint64_t> expunged;

  // hash trie: offsets in sync.Map of the root *indirect and of inited; in
  // the nodes.
  uint64_t root = 0, inited = 0;
  uint64_t node_is_entry = 0;
  uint64_t indirect_dead = 1, indirect_children = 0, indirect_size = 0;
  uint64_t entry_overflow = 8, entry_key = 16, entry_value = 32, entry_size = 48;
};

// The trie entry's DWARF names: go1.27 keeps only its shape instance.
inline constexpr const char* kTrieEntryNames[] = {
    "internal/sync.entry[interface {},interface {}]",
    "internal/sync.entry[go.shape.interface {},go.shape.interface {}]"};

// Whether `type` is sync.Map itself (the struct).
bool is_sync_map_type(const GoType& type);

// The layout, from the DWARF type of sync.Map and the types `named` finds by
// name (null when absent; the node and readOnly layouts then follow from
// their Go declarations). Throws LayoutError when sync.Map has neither shape.
using TypeByName = std::function<const GoType*(const std::string&)>;
SyncMapLayout sync_map_layout(const GoType& sync_map, const TypeByName& named);

// How the entries of one of the read/dirty maps stand.
struct SyncEntryCounts {
  uint64_t slots = 0;     // keys in the Go map
  uint64_t live = 0;      // entry.p points to a value
  uint64_t deleted = 0;   // entry.p == nil
  uint64_t expunged = 0;  // entry.p == sync.expunged
  uint64_t unreadable = 0;
};

// The physical structure `go map --buckets` shows.
struct SyncMapStructure {
  SyncMapImpl impl = SyncMapImpl::HashTrie;
  uint64_t live = 0;  // entries the map holds
  // read/dirty
  uint64_t read = 0, read_map = 0, dirty_map = 0;  // *readOnly, read.m, dirty
  bool amended = false;
  int64_t misses = 0;
  SyncEntryCounts read_counts, dirty_counts;
  // hash trie
  uint64_t root = 0, indirects = 0, dead_indirects = 0;
  int depth = 0;  // levels of indirect nodes (the root alone: 1)
  // Indirect nodes by how many of their 16 children are set.
  std::array<uint64_t, 17> fanout{};
  // Entries (with their overflow chains) by the level of the node holding them.
  std::vector<uint64_t> entries_by_level;
  // Chains (an entry and its overflow entries) by length: chains[n] of length n.
  std::vector<uint64_t> chains;
};

// Where one key is (`go map --key` of a sync.Map).
enum class SyncEntryState { Absent, Live, Deleted, Expunged, Unreadable };
const char* sync_entry_state_name(SyncEntryState state);

struct SyncKeyPlace {
  SyncEntryState state = SyncEntryState::Absent;  // of the entry that counts
  uint8_t key[16] = {}, value[16] = {};           // value: when live
  // read/dirty: the key's entry in each map (0: not there) and its state.
  uint64_t read_entry = 0, dirty_entry = 0;
  SyncEntryState read_state = SyncEntryState::Absent, dirty_state = SyncEntryState::Absent;
  // hash trie: the entry, the level of its node, the child index at each
  // level from the root, its position in the overflow chain (0: the head).
  uint64_t entry = 0;
  int level = 0;
  std::vector<int> path;
  uint64_t chain_position = 0;
};

class SyncMap : public MapWalker {
 public:
  static constexpr int kMaxLevels = 16;  // 64 hash bits, 4 per level
  static constexpr uint64_t kMaxNodes = uint64_t{1} << 26;
  static constexpr uint64_t kMaxChain = uint64_t{1} << 16;

  // `bytes`: the sync.Map's own bytes (layout.size of them), found at
  // `address` (0 when it has none of its own: a copy). Reads the read-only
  // map pointer or the trie root and counts the entries; the counting walk's
  // warnings come with every later walk.
  SyncMap(const Memory& memory, const SyncMapLayout& layout, const uint8_t* bytes,
          uint64_t address);
  const MapHeader& header() const override { return header_; }
  bool slot(const BucketView&, int, const uint8_t**, const uint8_t**) override { return false; }
  // Walks every node and entry (also deleted and expunged ones).
  SyncMapStructure structure(WalkStats& stats);
  const SyncMapLayout& layout() const { return layout_; }
  // The entry whose key bytes `matches` accepts (the first, in walk order).
  using KeyMatcher = std::function<bool(const uint8_t* key)>;
  SyncKeyPlace find_key(const KeyMatcher& matches, WalkStats& stats);

 private:
  using EntryState = SyncEntryState;
  // A trie entry: its address, its node's level and child path (4 bits a
  // level from the top), its chain position, key and value bytes.
  struct TrieEntry {
    uint64_t address;
    int level;
    uint64_t path;
    uint64_t position;
    const uint8_t* key;
    const uint8_t* value;
  };
  using TrieVisitor = std::function<bool(const TrieEntry&)>;
  WalkStats run(const EntryVisitor& visit) override;
  void read_header(const uint8_t* bytes);
  // read/dirty: the entries of one Go map; `visit` sees the live ones (key
  // bytes and the 16-byte value); `counts` counts every state.
  bool walk_read_dirty_map(uint64_t map, const EntryVisitor* visit, SyncEntryCounts& counts,
                           WalkStats& stats);
  // Every slot of one of them: key bytes, entry address and state.
  using SlotVisitor = std::function<bool(const uint8_t* key, uint64_t entry, EntryState state,
                                         const uint8_t* value)>;
  bool walk_read_dirty_slots(uint64_t map, const SlotVisitor& visit, WalkStats& stats);
  EntryState entry_state(uint64_t entry, uint8_t value[16], WalkStats& stats) const;
  // hash trie: depth-first from the root.
  bool walk_trie(const TrieVisitor* visit, SyncMapStructure* structure, WalkStats& stats);
  bool walk_chain(uint64_t entry, int level, uint64_t path, const TrieVisitor* visit,
                  SyncMapStructure* structure, std::unordered_set<uint64_t>& seen,
                  WalkStats& stats);

  const Memory& memory_;
  const SyncMapLayout& layout_;
  MapHeader header_;
  uint64_t read_ = 0, read_map_ = 0, dirty_ = 0, root_ = 0;
  bool amended_ = false;
  int64_t misses_ = 0;
  std::vector<std::string> count_warnings_;
};

}  // namespace gomapdbg
