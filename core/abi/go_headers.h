// The words of Go's built-in reference values as the runtime lays them out
// on 64-bit targets, the same in go1.19–go1.27 (reference §5.6, §7.5):
// string {data, len}, slice {data, len, cap}, interface {type or itab,
// data}, abi.ITab's concrete type, and the counts at the start of
// runtime.hchan. The one place these offsets are written down; every reader
// of such a value goes through the loaders below.
// tests/test_map_layout_tables.py checks each against the DWARF of every
// toolchain of the matrix.
#pragma once

#include <cstdint>

#include "memory/memory.h"

namespace gomapdbg {

// string: {data *byte @0, len int @8}, 16 bytes (runtime.stringStruct).
inline constexpr uint64_t kStringData = 0, kStringLen = 8, kStringSize = 16;
// []T: {array unsafe.Pointer @0, len int @8, cap int @16}, 24 bytes (runtime.slice).
inline constexpr uint64_t kSliceData = 0, kSliceLen = 8, kSliceCap = 16, kSliceSize = 24;
// interface: {_type or tab @0, data @8}, 16 bytes (runtime.eface / runtime.iface;
// abi.EmptyInterface / abi.NonEmptyInterface from go1.26).
inline constexpr uint64_t kInterfaceFirstWord = 0, kInterfaceData = 8, kInterfaceSize = 16;
// An itab's concrete type: abi.ITab.Type (runtime.itab._type before go1.23) at 8.
inline constexpr uint64_t kItabType = 8;
// runtime.hchan starts with qcount (len) and dataqsiz (cap), both uint.
inline constexpr uint64_t kHchanQcount = 0, kHchanDataqsiz = 8, kHchanCountsSize = 16;

struct StringHeader {
  uint64_t data = 0, len = 0;
};
inline StringHeader load_string(const uint8_t* p) {
  return {load<uint64_t>(p + kStringData), load<uint64_t>(p + kStringLen)};
}

struct SliceHeader {
  uint64_t data = 0, len = 0, cap = 0;
};
inline SliceHeader load_slice(const uint8_t* p) {
  return {load<uint64_t>(p + kSliceData), load<uint64_t>(p + kSliceLen),
          load<uint64_t>(p + kSliceCap)};
}

// An interface's two words: `first` is the type descriptor of an empty
// interface (eface) and the itab of any other (iface); 0 when nil.
struct InterfaceWords {
  uint64_t first = 0, data = 0;
};
inline InterfaceWords load_interface(const uint8_t* p) {
  return {load<uint64_t>(p + kInterfaceFirstWord), load<uint64_t>(p + kInterfaceData)};
}

// The headers at `address` in `memory`; throw MemoryError when unreadable.
inline StringHeader read_string_header(const Memory& memory, uint64_t address) {
  uint8_t raw[kStringSize];
  memory.read(address, raw, sizeof raw);
  return load_string(raw);
}
inline SliceHeader read_slice_header(const Memory& memory, uint64_t address) {
  uint8_t raw[kSliceSize];
  memory.read(address, raw, sizeof raw);
  return load_slice(raw);
}

}  // namespace gomapdbg
