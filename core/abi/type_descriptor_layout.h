// Go's runtime type descriptors in rodata: abi.Type (runtime._type before
// go1.21) and the kind-specific structs that extend it, on 64-bit targets.
// Unchanged go1.19–go1.27 (reference §7.1, §7.3, §7.5); the one place
// these offsets are written down (map types: abi/map_type_layout.h).
// tests/test_map_layout_tables.py checks each against the DWARF of every
// toolchain of the matrix.
#pragma once

#include <cstdint>

#include "abi/go_headers.h"

namespace gomapdbg::abi {

// abi.Type: Size_ @0, TFlag @20, Kind_ @23, Str (nameOff) @40; 48 bytes.
inline constexpr uint64_t kTypeSize = 0, kTypeTFlag = 20, kTypeKind = 23, kTypeStr = 40;
inline constexpr uint64_t kTypeHeaderSize = 48;

// TFlag bits (§7.2): Uncommon, ExtraStar (Str has a bogus leading '*').
inline constexpr uint8_t kTFlagUncommon = 1 << 0, kTFlagExtraStar = 1 << 1;
// Kind_: the kind in the low 5 bits and KindDirectIface = 1<<5 up to
// go1.25; go1.26 moved "direct iface" to TFlagDirectIface = 1<<5 (§7.2).
inline constexpr uint8_t kKindMask = 0x1f;
inline constexpr uint8_t kDirectIfaceBit = 1 << 5;

// The kind tails after the header, and each kind struct's size (§7.5).
// PtrType, SliceType, ChanType, ArrayType: Elem *Type @48.
inline constexpr uint64_t kElem = 48;
// ArrayType {Elem @48, Slice @56, Len @64}, 72 bytes.
inline constexpr uint64_t kArrayLen = 64, kArrayTypeSize = 72;
// ChanType {Elem @48, Dir @56}, 64 bytes; PtrType and SliceType {Elem @48}, 56.
inline constexpr uint64_t kChanTypeSize = 64, kPtrTypeSize = 56, kSliceTypeSize = 56;
// FuncType {InCount u16 @48, OutCount u16 @50 (top bit: variadic)}, 56
// bytes; InCount + OutCount parameter *Types follow.
inline constexpr uint64_t kFuncInCount = 48, kFuncOutCount = 50, kFuncTypeSize = 56;
inline constexpr uint16_t kFuncVariadic = 1 << 15;
// StructType {PkgPath @48, Fields []StructField @56}, 80 bytes;
// StructField {Name @0, Typ *Type @8, Offset uintptr @16}, 24 bytes.
inline constexpr uint64_t kStructFields = 56, kStructTypeSize = 80;
inline constexpr uint64_t kStructFieldName = 0, kStructFieldTyp = 8, kStructFieldOffset = 16,
                          kStructFieldSize = 24;
// InterfaceType {PkgPath @48, Methods []Imethod @56}, 80 bytes; Imethod
// {Name nameOff, Typ typeOff}, 8 bytes.
inline constexpr uint64_t kInterfaceMethods = 56, kInterfaceTypeSize = 80, kImethodSize = 8;
// The element counts of the Fields and Methods slices.
inline constexpr uint64_t kStructFieldCount = kStructFields + kSliceLen;
inline constexpr uint64_t kInterfaceMethodCount = kInterfaceMethods + kSliceLen;
// UncommonType {PkgPath nameOff, Mcount u16 @4, Xcount u16, Moff u32, _ u32},
// 16 bytes, follows the kind's struct; Mcount Methods of 16 bytes follow
// the kind's variable part.
inline constexpr uint64_t kUncommonSize = 16, kUncommonMcount = 4, kMethodSize = 16;

}  // namespace gomapdbg::abi
