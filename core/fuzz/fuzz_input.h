// What every fuzz target shares: the input format of an address space and a
// menu of hand-built Go types and map layouts (from tests/synthetic_memory.h,
// the offsets the runtime uses; the DWARF-derived layout is trusted input,
// the memory is not).
//
// Memory image format (little-endian), used by the map and value targets and
// written by tools/extract_seeds.cc from real cores:
//   u8  selector                 which type/layout of the menu
//   repeated: u64 address, u32 length, length bytes
// Regions that overlap an earlier one, or wrap, are dropped. The first
// region's address is where the map header (or the value) is.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "../tests/synthetic_memory.h"

namespace gomapdbg::fuzz {

inline constexpr size_t kMaxRegion = size_t{1} << 20;
inline constexpr size_t kMaxRegions = 256;

struct Image {
  uint8_t selector = 0;
  uint64_t first = 0;  // address of the first region (0 when none)
  test::SyntheticMemory memory;
};

// Splits the input into regions; returns false when there is not even one.
inline bool parse_image(const uint8_t* data, size_t size, Image& image) {
  if (size < 1) return false;
  image.selector = data[0];
  size_t pos = 1, regions = 0;
  while (size - pos >= 12 && regions < kMaxRegions) {
    uint64_t address;
    uint32_t length;
    std::memcpy(&address, data + pos, 8);
    std::memcpy(&length, data + pos + 8, 4);
    pos += 12;
    size_t n = std::min<size_t>({length, size - pos, kMaxRegion});
    if (n == 0) continue;
    try {
      image.memory.map(address, n);
      image.memory.put_bytes(address, data + pos, n);
      if (regions++ == 0) image.first = address;
    } catch (const std::logic_error&) {
      // overlapping or wrapping region: ignored
    }
    pos += n;
  }
  return regions > 0;
}

// Key/value shapes of the menu. 0–3 are the shapes of testprogs/basic_maps
// (the seeds extracted from real cores use them); the rest reach the
// renderer's other kinds and indirect slots.
struct KeyValue {
  const GoType* key = nullptr;
  const GoType* value = nullptr;
  bool indirect_key = false, indirect_value = false;
};

inline KeyValue make_menu_entry(test::TypeArena& t, uint8_t selector) {
  switch (selector % 8) {
    case 0:
      return {t.int_(), t.int_()};  // map[int]int
    case 1:
      return {t.string(), t.int_()};  // map[string]int
    case 2:
      return {t.int64(), t.string()};  // map[int64]string
    case 3:
      return {t.string(), t.string()};  // map[string]string
    case 4:                             // a key over 128 bytes is stored indirectly
      return {t.array(t.int64(), 20), t.float64(), true, false};
    case 5: {  // struct values of many kinds
      const GoType* s =
          t.structure("main.V", {{"B", t.bool_()},
                                 {"F", t.float32()},
                                 {"C", t.complex128()},
                                 {"S", t.slice(t.string())},
                                 {"P", t.pointer(t.int_())},
                                 {"A", t.array(t.int8(), 3)},
                                 {"U", t.basic(GoKind::UnsafePointer, 8, "unsafe.Pointer")}});
      return {t.uint16(), s};
    }
    case 6: {  // a value over 128 bytes, stored indirectly
      return {t.int32(), t.array(t.string(), 9), false, true};
    }
    default: {  // nested slices: type S [][]string
      return {t.string(), t.slice(t.slice(t.string()))};
    }
  }
}

// The menu's types, built once: they are trusted input, the same for every
// execution, so rebuilding them per input would only cost time.
class Menu {
 public:
  static constexpr size_t kEntries = 8;
  static const Menu& get() {
    static const Menu menu;
    return menu;
  }
  const KeyValue& operator[](uint8_t selector) const { return entries_[selector % kEntries]; }
  test::TypeArena& arena() const { return arena_; }

 private:
  Menu() {
    for (size_t i = 0; i < kEntries; ++i)
      entries_[i] = make_menu_entry(arena_, static_cast<uint8_t>(i));
  }
  mutable test::TypeArena arena_;
  KeyValue entries_[kEntries];
};

}  // namespace gomapdbg::fuzz
