// Test fixtures for the core: a hand-made address space (SyntheticMemory),
// hand-made Go types (TypeArena) and hand-made map layouts with the offsets
// of the Go runtime (classic hmap of go1.19–1.23, swiss Map of go1.24+; see
// /work/shared/reference/go-runtime-layouts.md §1 and §2). No Go binary and
// no debugger are involved: each test writes the bytes a Go program would
// have left in memory and checks what the core makes of them.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <deque>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <map>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "maps/map_layout.h"
#include "maps/map_walker.h"
#include "memory/memory.h"
#include "types/go_type.h"

namespace gomapdbg::test {

// An address space made of mapped regions. Reads return the readable prefix:
// they stop at the first unmapped byte (adjacent regions read as one).
class SyntheticMemory : public MemoryReader {
 public:
  // Where alloc() starts handing out regions: far from 0 so that small
  // integers mistaken for pointers are unmapped.
  static constexpr uint64_t kHeapBase = 0x7f0000000000;
  // Unmapped gap alloc() leaves after every region, so that reading past the
  // end of an allocation fails.
  static constexpr uint64_t kGuardGap = 0x1000;

  // Maps `size` zero bytes at `address`; the range must not overlap a region.
  void map(uint64_t address, size_t size) {
    if (size == 0) throw std::logic_error("SyntheticMemory::map: empty region");
    if (address + size < address) throw std::logic_error("SyntheticMemory::map: wraps");
    auto next = regions_.lower_bound(address);
    if (next != regions_.end() && next->first < address + size)
      throw std::logic_error("SyntheticMemory::map: overlaps the region at " + hex(next->first));
    if (next != regions_.begin()) {
      auto prev = std::prev(next);
      if (prev->first + prev->second.size() > address)
        throw std::logic_error("SyntheticMemory::map: overlaps the region at " + hex(prev->first));
    }
    regions_.emplace(address, std::vector<uint8_t>(size, 0));
  }

  // Maps a fresh zeroed region of `size` bytes (aligned to `align`), followed
  // by an unmapped guard gap; returns its address.
  uint64_t alloc(size_t size, uint64_t align = 16) {
    uint64_t address = (next_alloc_ + align - 1) / align * align;
    map(address, std::max<size_t>(size, 1));
    next_alloc_ = address + std::max<size_t>(size, 1) + kGuardGap;
    return address;
  }

  // Writes bytes into mapped memory; throws std::out_of_range if any byte of
  // the range is unmapped (a mistake in the test, not in the code under test).
  void put_bytes(uint64_t address, const void* data, size_t size) {
    const auto* src = static_cast<const uint8_t*>(data);
    size_t done = 0;
    while (done < size) {
      auto [region, offset] = locate(address + done);
      if (!region)
        throw std::out_of_range("SyntheticMemory::put_bytes: " + hex(address + done) +
                                " is unmapped");
      size_t n = std::min(size - done, region->size() - offset);
      std::memcpy(region->data() + offset, src + done, n);
      done += n;
    }
  }
  void put_bytes(uint64_t address, std::initializer_list<uint8_t> bytes) {
    std::vector<uint8_t> v(bytes);
    put_bytes(address, v.data(), v.size());
  }
  void put_string(uint64_t address, std::string_view text) {
    put_bytes(address, text.data(), text.size());
  }
  void put_u8(uint64_t address, uint8_t value) { put(address, value); }
  void put_u16(uint64_t address, uint16_t value) { put(address, value); }
  void put_u32(uint64_t address, uint32_t value) { put(address, value); }
  void put_u64(uint64_t address, uint64_t value) { put(address, value); }
  void put_i64(uint64_t address, int64_t value) { put(address, value); }
  template <typename T>
  void put(uint64_t address, T value) {
    put_bytes(address, &value, sizeof value);
  }

  size_t read(uint64_t address, void* out, size_t size) override {
    ++read_calls_;
    auto* dst = static_cast<uint8_t*>(out);
    size_t done = 0;
    while (done < size) {
      if (address + done < address) break;  // wrapped around the address space
      auto [region, offset] = locate(address + done);
      if (!region) break;
      size_t n = std::min(size - done, region->size() - offset);
      std::memcpy(dst + done, region->data() + offset, n);
      done += n;
    }
    return done;
  }

  bool is_mapped(uint64_t address) const { return locate(address).first != nullptr; }
  size_t read_calls() const { return read_calls_; }

 private:
  std::pair<const std::vector<uint8_t>*, size_t> locate(uint64_t address) const {
    auto it = regions_.upper_bound(address);
    if (it == regions_.begin()) return {nullptr, 0};
    --it;
    uint64_t offset = address - it->first;
    if (offset >= it->second.size()) return {nullptr, 0};
    return {&it->second, offset};
  }
  std::pair<std::vector<uint8_t>*, size_t> locate(uint64_t address) {
    auto [region, offset] = std::as_const(*this).locate(address);
    return {const_cast<std::vector<uint8_t>*>(region), offset};
  }

  std::map<uint64_t, std::vector<uint8_t>> regions_;
  uint64_t next_alloc_ = kHeapBase;
  size_t read_calls_ = 0;
};

// Alignment of a Go type on 64-bit targets (gc layout rules).
inline uint64_t go_align(const GoType& type) {
  switch (type.kind) {
    case GoKind::Struct: {
      uint64_t align = 1;
      for (const auto& f : type.fields)
        if (f.type) align = std::max(align, go_align(*f.type));
      return align;
    }
    case GoKind::Array:
      return type.elem ? go_align(*type.elem) : 1;
    case GoKind::Complex64:
      return 4;
    case GoKind::Complex128:
      return 8;
    default:
      return type.size == 0 ? 1 : std::min<uint64_t>(type.size, 8);
  }
}

inline uint64_t align_up(uint64_t value, uint64_t align) {
  return (value + align - 1) / align * align;
}

// Owns hand-built GoType objects (stable addresses, as GoType links by
// pointer). Shapes follow what DWARF gives for Go's types on 64-bit targets.
class TypeArena {
 public:
  const GoType* basic(GoKind kind, uint64_t size, std::string name) {
    GoType& t = types_.emplace_back();
    t.name = std::move(name);
    t.kind = kind;
    t.size = size;
    return &t;
  }
  const GoType* int8() { return basic(GoKind::Int8, 1, "int8"); }
  const GoType* int16() { return basic(GoKind::Int16, 2, "int16"); }
  const GoType* int32() { return basic(GoKind::Int32, 4, "int32"); }
  const GoType* int64() { return basic(GoKind::Int64, 8, "int64"); }
  const GoType* int_() { return basic(GoKind::Int, 8, "int"); }
  const GoType* uint8() { return basic(GoKind::Uint8, 1, "uint8"); }
  const GoType* uint16() { return basic(GoKind::Uint16, 2, "uint16"); }
  const GoType* uint32() { return basic(GoKind::Uint32, 4, "uint32"); }
  const GoType* uint64() { return basic(GoKind::Uint64, 8, "uint64"); }
  const GoType* uintptr() { return basic(GoKind::Uintptr, 8, "uintptr"); }
  const GoType* bool_() { return basic(GoKind::Bool, 1, "bool"); }
  const GoType* float32() { return basic(GoKind::Float32, 4, "float32"); }
  const GoType* float64() { return basic(GoKind::Float64, 8, "float64"); }
  const GoType* complex64() { return basic(GoKind::Complex64, 8, "complex64"); }
  const GoType* complex128() { return basic(GoKind::Complex128, 16, "complex128"); }

  const GoType* pointer(const GoType* elem) { return pointer(elem, "*" + elem->name); }
  const GoType* pointer(const GoType* elem, std::string name) {
    GoType& t = types_.emplace_back();
    t.name = std::move(name);
    t.kind = GoKind::Pointer;
    t.size = 8;
    t.elem = elem;
    return &t;
  }

  // string = {str *uint8 @0; len int @8}, size 16.
  const GoType* string() {
    const GoType* byte_ptr = pointer(uint8());
    const GoType* len = int_();
    GoType& t = types_.emplace_back();
    t.name = "string";
    t.kind = GoKind::String;
    t.size = 16;
    t.fields = {{"str", 0, byte_ptr, false}, {"len", 8, len, false}};
    return &t;
  }

  // []T = {array *T @0; len int @8; cap int @16}, size 24.
  const GoType* slice(const GoType* elem) {
    const GoType* data = pointer(elem);
    const GoType* len = int_();
    GoType& t = types_.emplace_back();
    t.name = "[]" + elem->name;
    t.kind = GoKind::Slice;
    t.size = 24;
    t.elem = elem;
    t.fields = {{"array", 0, data, false}, {"len", 8, len, false}, {"cap", 16, len, false}};
    return &t;
  }

  const GoType* array(const GoType* elem, uint64_t length) {
    GoType& t = types_.emplace_back();
    t.name = "[" + std::to_string(length) + "]" + elem->name;
    t.kind = GoKind::Array;
    t.size = elem->size * length;
    t.elem = elem;
    t.length = length;
    return &t;
  }

  // A struct with fields laid out in order at their natural alignment.
  const GoType* structure(std::string name,
                          std::vector<std::pair<std::string, const GoType*>> fields) {
    GoType& t = types_.emplace_back();
    t.name = std::move(name);
    t.kind = GoKind::Struct;
    uint64_t offset = 0, align = 1;
    for (auto& [field_name, type] : fields) {
      uint64_t a = go_align(*type);
      offset = align_up(offset, a);
      t.fields.push_back({field_name, offset, type, false});
      offset += type->size;
      align = std::max(align, a);
    }
    t.size = align_up(offset, align);
    return &t;
  }

 private:
  std::deque<GoType> types_;
};

// Classic map layout of go1.19–1.23 (hmap size 48; no clearSeq), with the
// bucket laid out as the compiler does: tophash [8]uint8 @0, keys [8]K' @8,
// values [8]V', overflow pointer last. K' is *K when `indirect_key` (and V'
// likewise). For map[int64]int64: keys@8 values@72 overflow@136 size 144.
inline MapLayout classic_layout(const GoType* key, const GoType* value, bool indirect_key = false,
                                bool indirect_value = false) {
  MapLayout layout;
  layout.family = MapFamily::Classic;
  layout.key = key;
  layout.value = value;
  layout.indirect_key = indirect_key;
  layout.indirect_value = indirect_value;
  ClassicLayout& c = layout.classic;
  c.header_size = 48;
  c.count = 0;
  c.flags = 8;
  c.log2_buckets = 9;
  c.noverflow = 10;
  c.hash0 = 12;
  c.buckets = 16;
  c.oldbuckets = 24;
  c.nevacuate = 32;
  c.extra = 40;
  c.key_slot = indirect_key ? 8 : key->size;
  c.value_slot = indirect_value ? 8 : value->size;
  uint64_t key_align = indirect_key ? 8 : go_align(*key);
  uint64_t value_align = indirect_value ? 8 : go_align(*value);
  c.tophash = 0;
  c.keys = align_up(8, key_align);
  c.values = align_up(c.keys + 8 * c.key_slot, value_align);
  c.overflow = align_up(c.values + 8 * c.value_slot, 8);
  c.bucket_size = c.overflow + 8;
  return layout;
}

// Swiss map layout of go1.25/1.26 (Map size 48 with tombstonePossible@35 and
// clearSeq@40; table size 32), with the group laid out as the compiler does:
// ctrl uint64 @0, slots [8]struct{key K'; elem V'} @8. For
// map[int64]int64: slot size 16 (key@0 elem@8), group size 136.
inline MapLayout swiss_layout(const GoType* key, const GoType* value, bool indirect_key = false,
                              bool indirect_value = false) {
  MapLayout layout;
  layout.family = MapFamily::Swiss;
  layout.key = key;
  layout.value = value;
  layout.indirect_key = indirect_key;
  layout.indirect_value = indirect_value;
  SwissLayout& s = layout.swiss;
  s.header_size = 48;
  s.used = 0;
  s.seed = 8;
  s.dir_ptr = 16;
  s.dir_len = 24;
  s.global_depth = 32;
  s.global_shift = 33;
  s.writing = 34;
  s.tombstone_possible = 35;
  s.clear_seq = 40;
  s.table_size = 32;
  s.table_used = 0;
  s.table_capacity = 2;
  s.table_growth_left = 4;
  s.table_local_depth = 6;
  s.table_index = 8;
  s.table_groups_data = 16;
  s.table_groups_mask = 24;
  uint64_t key_size = indirect_key ? 8 : key->size;
  uint64_t value_size = indirect_value ? 8 : value->size;
  uint64_t key_align = indirect_key ? 8 : go_align(*key);
  uint64_t value_align = indirect_value ? 8 : go_align(*value);
  uint64_t slot_align = std::max(key_align, value_align);
  s.ctrl = 0;
  s.keys = 8;
  s.elems = 8 + align_up(key_size, value_align);
  // A zero-size trailing elem gets one byte of padding (reference §2.3).
  uint64_t slot_size =
      align_up(s.elems - 8 + std::max<uint64_t>(value_size, value_size ? 0 : 1), slot_align);
  s.key_stride = s.elem_stride = slot_size;
  s.group_size = align_up(8 + 8 * slot_size, 8);
  return layout;
}

// Where a swiss layout puts a group's keys and elems, as one comparable value.
struct GroupShape {
  bool split = false;
  uint64_t keys = 0, key_stride = 0, elems = 0, elem_stride = 0, group_size = 0;
  bool operator==(const GroupShape&) const = default;
};
inline GroupShape group_shape(const SwissLayout& s) {
  return {s.split_groups, s.keys, s.key_stride, s.elems, s.elem_stride, s.group_size};
}
inline std::ostream& operator<<(std::ostream& out, const GroupShape& g) {
  return out << (g.split ? "split" : "interleaved") << " keys@" << g.keys << "+" << g.key_stride
             << " elems@" << g.elems << "+" << g.elem_stride << " size " << g.group_size;
}

// The same map with go1.27's split groups (GOEXPERIMENT=mapsplitgroup):
// ctrl uint64 @0, keys [8]K' @8, elems [8]V' after them (reference §10).
// For map[int64]int64: keys @8, elems @72, group size 136.
inline MapLayout swiss_split_layout(const GoType* key, const GoType* value,
                                    bool indirect_key = false, bool indirect_value = false) {
  MapLayout layout = swiss_layout(key, value, indirect_key, indirect_value);
  SwissLayout& s = layout.swiss;
  s.split_groups = true;
  s.key_stride = indirect_key ? 8 : key->size;
  s.elem_stride = indirect_value ? 8 : value->size;
  s.elems = align_up(s.keys + 8 * s.key_stride, indirect_value ? 8 : go_align(*value));
  s.group_size = align_up(s.elems + 8 * s.elem_stride, 8);
  return layout;
}

// What a walk of a map[int64]int64 produced.
struct Int64Walk {
  std::vector<std::pair<int64_t, int64_t>> entries;  // in visit order
  WalkStats stats;

  std::vector<std::pair<int64_t, int64_t>> sorted() const {
    auto out = entries;
    std::sort(out.begin(), out.end());
    return out;
  }
};

// Walks a map whose keys and values are 8-byte integers; the visitor asks to
// stop after `stop_after` entries.
inline Int64Walk walk_int64(MapWalker& walker,
                            size_t stop_after = std::numeric_limits<size_t>::max()) {
  Int64Walk result;
  result.stats = walker.walk([&](const uint8_t* key, const uint8_t* value) {
    result.entries.emplace_back(load<int64_t>(key), load<int64_t>(value));
    return result.entries.size() < stop_after;
  });
  return result;
}

// Succeeds when some warning contains `needle`; on failure lists them all.
inline ::testing::AssertionResult HasWarning(const WalkStats& stats, std::string_view needle) {
  for (const auto& w : stats.warnings)
    if (w.find(needle) != std::string::npos) return ::testing::AssertionSuccess();
  auto failure = ::testing::AssertionFailure() << "no warning contains \"" << needle << "\"; got "
                                               << stats.warnings.size() << ":";
  for (const auto& w : stats.warnings) failure << "\n  " << w;
  return failure;
}

inline ::testing::AssertionResult HasNoWarnings(const WalkStats& stats) {
  if (stats.warnings.empty()) return ::testing::AssertionSuccess();
  auto failure = ::testing::AssertionFailure() << stats.warnings.size() << " warning(s):";
  for (const auto& w : stats.warnings) failure << "\n  " << w;
  return failure;
}

// The value of a named header field ("" when absent).
inline std::string header_field(const MapHeader& header, std::string_view name) {
  for (const auto& f : header.fields)
    if (f.name == name) return f.value;
  return "";
}

// A map[int64]int64 with the classic layout, built by hand: set_header()
// writes the hmap, new_buckets() allocates zeroed (all emptyRest) buckets,
// put_slot()/put_entry() fill slots, set_overflow() links chains.
class ClassicMapImage {
 public:
  static constexpr uint8_t kLive = 0xa5;  // any tophash >= minTopHash (5) is live

  uint64_t bucket_size() const { return layout.classic.bucket_size; }

  void set_header(int64_t count, uint8_t log2_buckets, uint64_t buckets, uint64_t oldbuckets = 0,
                  uint8_t flags = 0, uint64_t nevacuate = 0) {
    mem.put_i64(hmap + 0, count);
    mem.put_u8(hmap + 8, flags);
    mem.put_u8(hmap + 9, log2_buckets);
    mem.put_u64(hmap + 16, buckets);
    mem.put_u64(hmap + 24, oldbuckets);
    mem.put_u64(hmap + 32, nevacuate);
  }

  uint64_t new_buckets(uint64_t count) { return mem.alloc(count * bucket_size(), 8); }
  uint64_t bucket(uint64_t array, uint64_t index) const { return array + index * bucket_size(); }

  void put_slot(uint64_t b, int slot, uint8_t tophash, int64_t key, int64_t value) {
    const ClassicLayout& c = layout.classic;
    mem.put_u8(b + c.tophash + slot, tophash);
    mem.put_i64(b + c.keys + slot * c.key_slot, key);
    mem.put_i64(b + c.values + slot * c.value_slot, value);
  }
  void put_entry(uint64_t b, int slot, int64_t key, int64_t value) {
    put_slot(b, slot, kLive, key, value);
  }
  void set_overflow(uint64_t b, uint64_t next) { mem.put_u64(b + layout.classic.overflow, next); }

  // Adds an entry to the first free slot of the chain starting at `head`,
  // growing the chain with a new overflow bucket when it is full.
  void append(uint64_t head, int64_t key, int64_t value) {
    uint64_t b = head;
    for (;;) {
      for (int s = 0; s < 8; ++s) {
        if (memory.u8(b + layout.classic.tophash + s) == 0) {  // emptyRest
          put_slot(b, s, static_cast<uint8_t>(5 + (key & 0x7f)), key, value);
          return;
        }
      }
      uint64_t next = memory.u64(b + layout.classic.overflow);
      if (!next) {
        next = new_buckets(1);
        set_overflow(b, next);
      }
      b = next;
    }
  }

  std::unique_ptr<MapWalker> walker() { return make_map_walker(memory, layout, hmap); }
  Int64Walk walk(size_t stop_after = std::numeric_limits<size_t>::max()) {
    auto w = walker();
    return walk_int64(*w, stop_after);
  }

  SyntheticMemory mem;
  Memory memory{mem};
  TypeArena types;
  MapLayout layout = classic_layout(types.int64(), types.int64());
  uint64_t hmap = mem.alloc(48, 8);
};

// A map[int64]int64 with the swiss layout, built by hand: set_header()
// writes the Map, new_groups() allocates all-empty groups, put_slot()/
// put_entry() fill slots, new_table()/new_directory() build a directory.
class SwissMapImage {
 public:
  static constexpr uint64_t kAllEmpty = 0x8080808080808080;

  uint64_t group_size() const { return layout.swiss.group_size; }

  void set_header(uint64_t used, uint64_t dir_ptr, int64_t dir_len, uint8_t global_depth = 0,
                  uint8_t writing = 0) {
    mem.put_u64(map_addr + 0, used);
    mem.put_u64(map_addr + 8, 0x5eed);  // seed
    mem.put_u64(map_addr + 16, dir_ptr);
    mem.put_i64(map_addr + 24, dir_len);
    mem.put_u8(map_addr + 32, global_depth);
    mem.put_u8(map_addr + 33, static_cast<uint8_t>(64 - global_depth));
    mem.put_u8(map_addr + 34, writing);
  }

  uint64_t new_groups(uint64_t count) {
    uint64_t groups = mem.alloc(count * group_size(), 8);
    for (uint64_t g = 0; g < count; ++g) mem.put_u64(group(groups, g), kAllEmpty);
    return groups;
  }
  uint64_t group(uint64_t groups, uint64_t index) const { return groups + index * group_size(); }

  void put_slot(uint64_t g, int slot, uint8_t ctrl, int64_t key, int64_t value) {
    const SwissLayout& s = layout.swiss;
    mem.put_u8(g + s.ctrl + slot, ctrl);
    mem.put_i64(g + s.keys + slot * s.key_stride, key);
    mem.put_i64(g + s.elems + slot * s.elem_stride, value);
  }
  // A full slot: the control byte is H2, the low 7 bits of the hash.
  void put_entry(uint64_t g, int slot, int64_t key, int64_t value) {
    put_slot(g, slot, static_cast<uint8_t>(key & 0x7f), key, value);
  }

  uint64_t new_table(uint64_t groups, uint64_t length_mask, uint8_t local_depth, int64_t index,
                     uint16_t used = 0) {
    uint64_t table = mem.alloc(32, 8);
    mem.put_u16(table + 0, used);
    mem.put_u16(table + 2, static_cast<uint16_t>((length_mask + 1) * 8));
    mem.put_u8(table + 6, local_depth);
    mem.put_i64(table + 8, index);
    mem.put_u64(table + 16, groups);
    mem.put_u64(table + 24, length_mask);
    return table;
  }
  uint64_t new_directory(const std::vector<uint64_t>& tables) {
    uint64_t dir = mem.alloc(tables.size() * 8, 8);
    for (size_t i = 0; i < tables.size(); ++i) mem.put_u64(dir + 8 * i, tables[i]);
    return dir;
  }

  std::unique_ptr<MapWalker> walker() { return make_map_walker(memory, layout, map_addr); }
  Int64Walk walk(size_t stop_after = std::numeric_limits<size_t>::max()) {
    auto w = walker();
    return walk_int64(*w, stop_after);
  }

  SyntheticMemory mem;
  Memory memory{mem};
  TypeArena types;
  MapLayout layout = swiss_layout(types.int64(), types.int64());
  uint64_t map_addr = mem.alloc(48, 8);
};

}  // namespace gomapdbg::test
