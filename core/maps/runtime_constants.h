// Map facts of the Go runtime that DWARF does not carry. Each holds for the
// versions named; cites are to ../shared/reference/go-runtime-layouts.md.
#pragma once

#include <cstdint>

namespace gomapdbg::runtime {

// Slots per classic bucket (bucketCnt) and per swiss group (abi.SwissMapGroupSlots /
// abi.MapGroupSlots): 8 in go1.19–go1.26 (§1.2, §2.3).
inline constexpr int kSlotsPerBucket = 8;

// Slots start after 8 bytes (a classic bucket's tophash [8]uint8, a swiss
// group's ctrl uint64); a classic bucket ends in its 8-byte overflow
// pointer; go1.19–go1.26 (§1.2, §2.3).
inline constexpr uint64_t kSlotsOffset = 8;
inline constexpr uint64_t kOverflowPointerSize = 8;

// Keys and elems up to 128 bytes sit in a classic bucket's slots, larger
// ones by pointer (maxKeySize, maxElemSize; go1.19–go1.25, §1.2).
inline constexpr uint64_t kMaxInlineKeySize = 128;
inline constexpr uint64_t kMaxInlineElemSize = 128;

// Classic tophash markers, go1.19–go1.25 (§1.3).
inline constexpr uint8_t kEmptyRest = 0;
inline constexpr uint8_t kEmptyOne = 1;
inline constexpr uint8_t kEvacuatedX = 2;
inline constexpr uint8_t kEvacuatedY = 3;
inline constexpr uint8_t kEvacuatedEmpty = 4;
inline constexpr uint8_t kMinTopHash = 5;

// hmap.flags bits, go1.19–go1.25 (§1.4).
inline constexpr uint8_t kFlagIterator = 1;
inline constexpr uint8_t kFlagOldIterator = 2;
inline constexpr uint8_t kFlagHashWriting = 4;
inline constexpr uint8_t kFlagSameSizeGrow = 8;
inline constexpr uint8_t kAllClassicFlags = 15;

// No map holds more entries than a 48-bit address space has bytes (amd64
// user space): a larger count is not a map header's.
inline constexpr uint64_t kMaxPossibleEntries = uint64_t{1} << 48;
// Swiss map headers: globalDepth and globalShift count bits of a 64-bit
// hash (globalShift = 64 - globalDepth); writing and tombstonePossible are
// 0 or 1 (go1.24–go1.27).
inline constexpr uint64_t kHashBits = 64;

// Swiss control bytes, go1.24–go1.26 (§2.4): full slots have the top bit clear.
inline constexpr uint8_t kCtrlEmpty = 0x80;
inline constexpr uint8_t kCtrlDeleted = 0xfe;

// When a map grows (§1.5): a classic map when its count exceeds 6.5 entries
// per bucket on average (loadFactorNum/loadFactorDen = 13/2, go1.19–go1.25
// runtime/map.go); a swiss table when it is 7/8 = 87.5% full
// (maxAvgGroupLoad = 7 of 8 slots, go1.24–go1.27 internal/runtime/maps).
inline constexpr double kClassicGrowthLoadFactor = 6.5;
inline constexpr double kSwissGrowthLoad = 7.0 / kSlotsPerBucket;

// Swiss tables never exceed 1024 slots = 128 groups (maxTableCapacity, §2.2).
inline constexpr uint64_t kMaxGroupsPerTable = 1024 / kSlotsPerBucket;

}  // namespace gomapdbg::runtime
