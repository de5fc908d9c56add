// The map type descriptors' tails after abi.Type (reference §7.4, §10):
// where the compiler wrote a map type's key and elem types and its bucket or
// group shape. The one place these offsets are written down;
// tests/test_map_layout_tables.py checks them against every toolchain's DWARF.
#pragma once

#include <cstdint>

namespace gomapdbg {

// abi.MapType's Key and Elem *abi.Type, the same offsets in classic and swiss
// maps, go1.19–go1.27.
inline constexpr uint64_t kMapTypeKey = 48, kMapTypeElem = 56;

// Classic tail, go1.19–go1.25 (§7.4): Bucket *Type @64, Hasher @72, then
// KeySize u8 @80, ValueSize u8 @81, BucketSize u16 @82, Flags u32 @84.
inline constexpr uint64_t kClassicKeySize = 80, kClassicValueSize = 81, kClassicBucketSize = 82,
                          kClassicFlags = 84;
inline constexpr uint32_t kClassicIndirectKey = 1, kClassicIndirectElem = 2;

// Swiss tail, go1.24–go1.26 (§7.4): Group *Type @64, Hasher @72, then
// GroupSize @80, SlotSize @88, ElemOff @96 (uintptrs), Flags u32 @104. The
// flag bits differ from the classic ones.
inline constexpr uint64_t kSwissGroupSize = 80, kSwissSlotSize = 88, kSwissElemOff = 96,
                          kSwissFlags = 104;
// go1.27 (§10): GroupSize @80, KeysOff @88, KeyStride @96, ElemsOff @104,
// ElemStride @112, ElemOff @120, Flags @128; same flag bits.
inline constexpr uint64_t kSwiss127KeysOff = 88, kSwiss127KeyStride = 96, kSwiss127ElemsOff = 104,
                          kSwiss127ElemStride = 112, kSwiss127Flags = 128, kSwiss127TypeSize = 136;
inline constexpr uint32_t kSwissIndirectKey = 4, kSwissIndirectElem = 8;

}  // namespace gomapdbg
