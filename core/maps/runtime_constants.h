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

// Swiss control bytes, go1.24–go1.26 (§2.4): full slots have the top bit clear.
inline constexpr uint8_t kCtrlEmpty = 0x80;
inline constexpr uint8_t kCtrlDeleted = 0xfe;

// Swiss tables never exceed 1024 slots = 128 groups (maxTableCapacity, §2.2).
inline constexpr uint64_t kMaxGroupsPerTable = 1024 / kSlotsPerBucket;

}  // namespace gomapdbg::runtime
