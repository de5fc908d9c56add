#include "maps/map_type_descriptor.h"

#include <string>

#include "errors.h"
#include "maps/runtime_constants.h"

namespace gomapdbg {

namespace {

constexpr uint64_t kSlots = runtime::kSlotsPerBucket;
// Each of key and elem is at most 128 bytes in a slot (larger ones are
// indirect), so a slot is far below this.
constexpr uint64_t kMaxSlotSize = 1024;

[[noreturn]] void damaged(const MapTypeDescriptor& d, const std::string& why) {
  throw LayoutError("damaged map type descriptor at " + hex(d.address) + ": " + why);
}

// What a slot holds of a type: the value itself, or a pointer to it.
uint64_t slot_bytes(const GoType& type, bool indirect) { return indirect ? 8 : type.size; }

// tophash, eight keys, eight values and the overflow pointer (§1.2).
uint64_t classic_bucket_size(uint64_t key_slot, uint64_t value_slot) {
  return runtime::kSlotsOffset + kSlots * (key_slot + value_slot) + runtime::kOverflowPointerSize;
}

void check_classic(const MapTypeDescriptor& d, const GoType& key, const GoType& value) {
  if (d.key_slot != slot_bytes(key, d.indirect_key))
    damaged(d, "KeySize " + std::to_string(d.key_slot) + " does not fit key type " + key.name +
                   " (" + std::to_string(key.size) + " bytes)");
  if (d.value_slot != slot_bytes(value, d.indirect_value))
    damaged(d, "ValueSize " + std::to_string(d.value_slot) + " does not fit value type " +
                   value.name + " (" + std::to_string(value.size) + " bytes)");
  uint64_t want = classic_bucket_size(d.key_slot, d.value_slot);
  if (d.bucket_size != want)
    damaged(d,
            "BucketSize " + std::to_string(d.bucket_size) + ", expected " + std::to_string(want));
}

void check_interleaved(const MapTypeDescriptor& d, uint64_t key_bytes, uint64_t value_bytes,
                       const std::string& types) {
  uint64_t slot_size = d.key_stride, elem_offset = d.elems_offset - d.keys_offset;
  if (slot_size > kMaxSlotSize) damaged(d, "absurd SlotSize " + std::to_string(slot_size));
  if (elem_offset < key_bytes || elem_offset > slot_size || value_bytes > slot_size - elem_offset)
    damaged(d, "ElemOff " + std::to_string(elem_offset) + " and SlotSize " +
                   std::to_string(slot_size) + " do not fit " + types);
  if (d.group_size != runtime::kSlotsOffset + kSlots * slot_size)
    damaged(d, "GroupSize " + std::to_string(d.group_size) + " is not 8 + 8 x SlotSize " +
                   std::to_string(slot_size));
}

void check_split(const MapTypeDescriptor& d, uint64_t key_bytes, uint64_t value_bytes,
                 const std::string& types) {
  if (d.key_stride != key_bytes || d.elem_stride != value_bytes)
    damaged(d, "KeyStride " + std::to_string(d.key_stride) + " and ElemStride " +
                   std::to_string(d.elem_stride) + " do not fit " + types);
  uint64_t keys_end = d.keys_offset + kSlots * d.key_stride;
  if (d.group_size > kSlots * 2 * kMaxSlotSize || d.elems_offset < keys_end ||
      d.elems_offset + kSlots * d.elem_stride > d.group_size)
    damaged(d, "KeysOff " + std::to_string(d.keys_offset) + ", ElemsOff " +
                   std::to_string(d.elems_offset) + " and GroupSize " +
                   std::to_string(d.group_size) + " do not fit " + types);
}

void check_swiss(const MapTypeDescriptor& d, const GoType& key, const GoType& value) {
  if (d.keys_offset != runtime::kSlotsOffset)
    damaged(d, "KeysOff " + std::to_string(d.keys_offset) + " is not past the control word");
  std::string types = key.name + " and " + value.name;
  uint64_t key_bytes = slot_bytes(key, d.indirect_key);
  uint64_t value_bytes = slot_bytes(value, d.indirect_value);
  if (d.split_groups)
    check_split(d, key_bytes, value_bytes, types);
  else
    check_interleaved(d, key_bytes, value_bytes, types);
}

MapTypeDescriptor read_classic(const Memory& memory, MapTypeDescriptor d) {
  uint8_t tail[8];
  memory.read(d.address + kClassicKeySize, tail, sizeof tail);
  d.key_slot = tail[kClassicKeySize - kClassicKeySize];
  d.value_slot = tail[kClassicValueSize - kClassicKeySize];
  d.bucket_size = load<uint16_t>(tail + (kClassicBucketSize - kClassicKeySize));
  uint32_t flags = load<uint32_t>(tail + (kClassicFlags - kClassicKeySize));
  d.indirect_key = flags & kClassicIndirectKey;
  d.indirect_value = flags & kClassicIndirectElem;
  return d;
}

void set_swiss_flags(MapTypeDescriptor& d, uint32_t flags) {
  d.indirect_key = flags & kSwissIndirectKey;
  d.indirect_value = flags & kSwissIndirectElem;
}

// go1.24–go1.26: interleaved slots of SlotSize with the elem at ElemOff.
MapTypeDescriptor read_swiss_slots(const Memory& memory, MapTypeDescriptor d) {
  uint8_t tail[kSwissFlags + 4 - kSwissGroupSize];
  memory.read(d.address + kSwissGroupSize, tail, sizeof tail);
  d.group_size = load<uint64_t>(tail);
  uint64_t slot_size = load<uint64_t>(tail + (kSwissSlotSize - kSwissGroupSize));
  d.keys_offset = runtime::kSlotsOffset;
  d.key_stride = d.elem_stride = slot_size;
  d.elems_offset = d.keys_offset + load<uint64_t>(tail + (kSwissElemOff - kSwissGroupSize));
  set_swiss_flags(d, load<uint32_t>(tail + (kSwissFlags - kSwissGroupSize)));
  return d;
}

// go1.27: the key and elem arrays' offsets and strides. Interleaved slots
// have equal strides and the first elem inside the first slot; split
// groups have the elems after all eight keys (with zero-size keys too).
MapTypeDescriptor read_swiss_strides(const Memory& memory, MapTypeDescriptor d) {
  uint8_t tail[kSwiss127Flags + 4 - kSwissGroupSize];
  memory.read(d.address + kSwissGroupSize, tail, sizeof tail);
  auto word = [&](uint64_t offset) { return load<uint64_t>(tail + (offset - kSwissGroupSize)); };
  d.group_size = word(kSwissGroupSize);
  d.keys_offset = word(kSwiss127KeysOff);
  d.key_stride = word(kSwiss127KeyStride);
  d.elems_offset = word(kSwiss127ElemsOff);
  d.elem_stride = word(kSwiss127ElemStride);
  d.split_groups = !(d.key_stride == d.elem_stride && d.elems_offset >= d.keys_offset &&
                     d.elems_offset - d.keys_offset < d.key_stride);
  set_swiss_flags(d, load<uint32_t>(tail + (kSwiss127Flags - kSwissGroupSize)));
  return d;
}

}  // namespace

MapTypeDescriptor read_map_type_descriptor(const Memory& memory, uint64_t address, MapFamily family,
                                           GoVersion version) {
  MapTypeDescriptor d;
  d.address = address;
  d.family = family;
  if (family == MapFamily::Classic) return read_classic(memory, d);
  if (version.at_least(1, 27)) return read_swiss_strides(memory, d);
  return read_swiss_slots(memory, d);
}

MapTypeDescriptor classic_bucket_shape(const GoType& key, const GoType& value) {
  MapTypeDescriptor d;
  d.family = MapFamily::Classic;
  d.indirect_key = key.size > runtime::kMaxInlineKeySize;
  d.indirect_value = value.size > runtime::kMaxInlineElemSize;
  d.key_slot = slot_bytes(key, d.indirect_key);
  d.value_slot = slot_bytes(value, d.indirect_value);
  d.bucket_size = classic_bucket_size(d.key_slot, d.value_slot);
  return d;
}

void check_map_type_descriptor(const MapTypeDescriptor& d, const GoType& key, const GoType& value) {
  if (d.family == MapFamily::Classic)
    check_classic(d, key, value);
  else
    check_swiss(d, key, value);
}

}  // namespace gomapdbg
