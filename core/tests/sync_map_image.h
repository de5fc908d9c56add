// sync.Maps built by hand in synthetic memory, for the walker's tests and
// its fuzz target: the hash trie of go1.24+ (node offsets from the Go
// declarations of internal/sync: indirect{node; dead atomic.Bool; mu Mutex;
// parent *indirect; children [16]atomic.Pointer[node]} and entry{node;
// overflow atomic.Pointer[entry]; key, value any}) and the read/dirty
// sync.Map of go1.20–1.23 (read atomic.Pointer[readOnly] @8, dirty @16,
// misses @24; readOnly{m; amended}; entry{p}), whose maps are classic
// map[any]*entry with one bucket and overflow chains.
#pragma once

#include <cstdint>
#include <vector>

#include "maps/sync_map.h"
#include "tests/synthetic_memory.h"

namespace gomapdbg::test {

class SyncMapImage {
 public:
  static constexpr uint64_t kIndirectSize = 24 + 16 * 8;  // children @24
  static constexpr uint64_t kEntrySize = 48;

  explicit SyncMapImage(SyncMapImpl impl) {
    any = types.basic(GoKind::Interface, 16, "interface {}");
    layout.impl = impl;
    layout.any = any;
    layout.size = impl == SyncMapImpl::HashTrie ? 48 : 32;
    if (impl == SyncMapImpl::HashTrie) {
      layout.root = 8;  // after inited and initMu
      layout.inited = 0;
      layout.indirect_dead = 1;
      layout.indirect_children = 24;
      layout.indirect_size = kIndirectSize;
    } else {
      layout.read_pointer = 8;
      layout.dirty = 16;
      layout.misses = 24;
      layout.entry_p = 0;
      layout.entries = classic_layout(any, types.pointer(types.structure("sync.entry", {})));
      expunged = mem.alloc(16, 8);
      layout.expunged = expunged;
    }
    bytes.assign(layout.size, 0);
  }

  // hash trie
  uint64_t new_indirect(uint64_t parent = 0) {
    uint64_t node = mem.alloc(kIndirectSize, 8);
    mem.put_u64(node + 16, parent);
    return node;
  }
  void set_child(uint64_t indirect, int index, uint64_t child) {
    mem.put_u64(indirect + 24 + 8 * index, child);
  }
  // An entry whose key and value are ints 'boxed' as any (type word `type`,
  // data word the number itself: enough for the walker, which hands bytes).
  uint64_t new_entry(int64_t key, int64_t value, uint64_t overflow = 0) {
    uint64_t e = mem.alloc(kEntrySize, 8);
    mem.put_u8(e, 1);
    mem.put_u64(e + 8, overflow);
    mem.put_u64(e + 16, kTypeWord);
    mem.put_i64(e + 24, key);
    mem.put_u64(e + 32, kTypeWord);
    mem.put_i64(e + 40, value);
    return e;
  }
  void set_root(uint64_t root) {
    put_word(layout.root, root);
    bytes[layout.inited] = 1;
  }

  // read/dirty: a map[any]*entry of `entries` (key, entry pointer).
  uint64_t new_map(const std::vector<std::pair<int64_t, uint64_t>>& entries) {
    const ClassicLayout& c = layout.entries.classic;
    uint64_t hmap = mem.alloc(48, 8);
    uint64_t bucket = mem.alloc(c.bucket_size, 8);
    mem.put_i64(hmap, static_cast<int64_t>(entries.size()));
    mem.put_u64(hmap + 16, bucket);
    for (size_t i = 0; i < entries.size(); ++i) {
      if (i && i % 8 == 0) {
        uint64_t next = mem.alloc(c.bucket_size, 8);
        mem.put_u64(bucket + c.overflow, next);
        bucket = next;
      }
      int slot = static_cast<int>(i % 8);
      mem.put_u8(bucket + c.tophash + slot, 0xa5);
      mem.put_u64(bucket + c.keys + slot * 16, kTypeWord);
      mem.put_i64(bucket + c.keys + slot * 16 + 8, entries[i].first);
      mem.put_u64(bucket + c.values + slot * 8, entries[i].second);
    }
    return hmap;
  }
  // An entry holding `value` (an int any), or deleted (nil) or expunged.
  uint64_t new_sync_entry(int64_t value) {
    uint64_t boxed = mem.alloc(16, 8);
    mem.put_u64(boxed, kTypeWord);
    mem.put_i64(boxed + 8, value);
    uint64_t e = mem.alloc(8, 8);
    mem.put_u64(e, boxed);
    return e;
  }
  uint64_t new_deleted_entry() { return mem.alloc(8, 8); }
  uint64_t new_expunged_entry() {
    uint64_t e = mem.alloc(8, 8);
    mem.put_u64(e, expunged);
    return e;
  }
  void set_read(uint64_t map, bool amended) {
    uint64_t read_only = mem.alloc(16, 8);
    mem.put_u64(read_only, map);
    mem.put_u8(read_only + 8, amended ? 1 : 0);
    put_word(layout.read_pointer, read_only);
  }
  void set_dirty(uint64_t map) { put_word(layout.dirty, map); }
  void set_misses(int64_t misses) { put_word(layout.misses, static_cast<uint64_t>(misses)); }

  SyncMap walker() { return SyncMap(memory, layout, bytes.data(), 0); }
  // The keys of the entries a walk lists (data words of the key interfaces).
  std::vector<int64_t> keys(WalkStats* stats = nullptr) {
    SyncMap w = walker();
    std::vector<int64_t> out;
    WalkStats s = w.walk([&](const uint8_t* key, const uint8_t*) {
      out.push_back(load<int64_t>(key + 8));
      return true;
    });
    if (stats) *stats = s;
    return out;
  }

  static constexpr uint64_t kTypeWord = 0x4000a0;
  SyntheticMemory mem;
  Memory memory{mem};
  TypeArena types;
  const GoType* any = nullptr;
  SyncMapLayout layout;
  std::vector<uint8_t> bytes;
  uint64_t expunged = 0;

 private:
  void put_word(uint64_t offset, uint64_t word) { std::memcpy(bytes.data() + offset, &word, 8); }
};

}  // namespace gomapdbg::test
