#include "maps/map_type_descriptor.h"

#include <string>

#include "errors.h"
#include "maps/runtime_constants.h"

namespace gomapdbg {

namespace {

// Classic tail, go1.19–go1.25 (§7.4): Bucket *Type @64, Hasher @72, then
// KeySize u8 @80, ValueSize u8 @81, BucketSize u16 @82, Flags u32 @84.
constexpr uint64_t kClassicKeySize = 80, kClassicValueSize = 81, kClassicBucketSize = 82,
                   kClassicFlags = 84;
constexpr uint32_t kClassicIndirectKey = 1, kClassicIndirectElem = 2;

// Swiss tail, go1.24–go1.26 (§7.4): Group *Type @64, Hasher @72, then
// GroupSize @80, SlotSize @88, ElemOff @96 (uintptrs), Flags u32 @104. The
// flag bits differ from the classic ones.
constexpr uint64_t kSwissGroupSize = 80, kSwissSlotSize = 88, kSwissElemOff = 96, kSwissFlags = 104;
constexpr uint32_t kSwissIndirectKey = 4, kSwissIndirectElem = 8;

constexpr uint64_t kSlots = runtime::kSlotsPerBucket;
// Each of key and elem is at most 128 bytes in a slot (larger ones are
// indirect), so a slot is far below this.
constexpr uint64_t kMaxSlotSize = 1024;

[[noreturn]] void damaged(const MapTypeDescriptor& d, const std::string& why) {
  throw LayoutError("damaged map type descriptor at " + hex(d.address) + ": " + why);
}

// What a slot holds of a type: the value itself, or a pointer to it.
uint64_t slot_bytes(const GoType& type, bool indirect) { return indirect ? 8 : type.size; }

void check_classic(const MapTypeDescriptor& d, const GoType& key, const GoType& value) {
  if (d.key_slot != slot_bytes(key, d.indirect_key))
    damaged(d, "KeySize " + std::to_string(d.key_slot) + " does not fit key type " + key.name +
                   " (" + std::to_string(key.size) + " bytes)");
  if (d.value_slot != slot_bytes(value, d.indirect_value))
    damaged(d, "ValueSize " + std::to_string(d.value_slot) + " does not fit value type " +
                   value.name + " (" + std::to_string(value.size) + " bytes)");
  uint64_t want =
      runtime::kSlotsOffset + kSlots * (d.key_slot + d.value_slot) + runtime::kOverflowPointerSize;
  if (d.bucket_size != want)
    damaged(d,
            "BucketSize " + std::to_string(d.bucket_size) + ", expected " + std::to_string(want));
}

void check_swiss(const MapTypeDescriptor& d, const GoType& key, const GoType& value) {
  uint64_t key_bytes = slot_bytes(key, d.indirect_key);
  uint64_t value_bytes = slot_bytes(value, d.indirect_value);
  if (d.slot_size > kMaxSlotSize) damaged(d, "absurd SlotSize " + std::to_string(d.slot_size));
  if (d.elem_offset < key_bytes || d.elem_offset > d.slot_size ||
      value_bytes > d.slot_size - d.elem_offset)
    damaged(d, "ElemOff " + std::to_string(d.elem_offset) + " and SlotSize " +
                   std::to_string(d.slot_size) + " do not fit " + key.name + " and " + value.name);
  if (d.group_size != runtime::kSlotsOffset + kSlots * d.slot_size)
    damaged(d, "GroupSize " + std::to_string(d.group_size) + " is not 8 + 8 x SlotSize " +
                   std::to_string(d.slot_size));
}

}  // namespace

MapTypeDescriptor read_map_type_descriptor(const Memory& memory, uint64_t address,
                                           MapFamily family) {
  MapTypeDescriptor d;
  d.address = address;
  d.family = family;
  if (family == MapFamily::Classic) {
    uint8_t tail[8];
    memory.read(address + kClassicKeySize, tail, sizeof tail);
    d.key_slot = tail[kClassicKeySize - kClassicKeySize];
    d.value_slot = tail[kClassicValueSize - kClassicKeySize];
    d.bucket_size = load<uint16_t>(tail + (kClassicBucketSize - kClassicKeySize));
    uint32_t flags = load<uint32_t>(tail + (kClassicFlags - kClassicKeySize));
    d.indirect_key = flags & kClassicIndirectKey;
    d.indirect_value = flags & kClassicIndirectElem;
    return d;
  }
  uint8_t tail[28];
  memory.read(address + kSwissGroupSize, tail, sizeof tail);
  d.group_size = load<uint64_t>(tail + (kSwissGroupSize - kSwissGroupSize));
  d.slot_size = load<uint64_t>(tail + (kSwissSlotSize - kSwissGroupSize));
  d.elem_offset = load<uint64_t>(tail + (kSwissElemOff - kSwissGroupSize));
  uint32_t flags = load<uint32_t>(tail + (kSwissFlags - kSwissGroupSize));
  d.indirect_key = flags & kSwissIndirectKey;
  d.indirect_value = flags & kSwissIndirectElem;
  return d;
}

void check_map_type_descriptor(const MapTypeDescriptor& d, const GoType& key, const GoType& value) {
  if (d.family == MapFamily::Classic)
    check_classic(d, key, value);
  else
    check_swiss(d, key, value);
}

}  // namespace gomapdbg
