// The map-specific tail of a runtime map type descriptor (reference §7.4):
// the key and elem descriptors and the bucket or group shape the compiler
// computed for this map type. Classic: maptype (go1.19–go1.20), abi.MapType
// (go1.21–go1.23), abi.OldMapType (go1.24–go1.25 noswissmap). Swiss:
// abi.SwissMapType (go1.24–go1.25), abi.MapType (go1.26; go1.27 describes
// a group by KeysOff/KeyStride/ElemsOff/ElemStride). The descriptor is
// untrusted: the shape is checked against the key and value types, so that
// a damaged descriptor is a one-line error and never a read outside a slot.
#pragma once

#include <cstdint>

#include "abi/map_type_layout.h"
#include "binary/go_build_info.h"
#include "maps/map_layout.h"
#include "memory/memory.h"
#include "types/go_type.h"

namespace gomapdbg {

struct MapTypeDescriptor {
  uint64_t address = 0;
  MapFamily family = MapFamily::Classic;
  bool indirect_key = false, indirect_value = false;
  // Classic: KeySize and ValueSize (the strides of keys[] and values[]) and
  // BucketSize.
  uint64_t key_slot = 0, value_slot = 0, bucket_size = 0;
  // Swiss: GroupSize, and slot i's key at keys_offset + i*key_stride and
  // elem at elems_offset + i*elem_stride (go1.24–go1.26 from SlotSize and
  // ElemOff: interleaved slots). Split groups keep keys and elems in two
  // arrays (go1.27 GOEXPERIMENT=mapsplitgroup).
  uint64_t group_size = 0, keys_offset = 0, key_stride = 0, elems_offset = 0, elem_stride = 0;
  bool split_groups = false;
};

// Reads the tail of the descriptor at `address` as `version` lays it out;
// MemoryError when unreadable.
MapTypeDescriptor read_map_type_descriptor(const Memory& memory, uint64_t address, MapFamily family,
                                           GoVersion version);

// The bucket shape the compiler gives a classic map of `key` and `value`
// (what its descriptor would say): keys and values in their slots up to
// 128 bytes, by pointer beyond (reference §1.2).
MapTypeDescriptor classic_bucket_shape(const GoType& key, const GoType& value);

// LayoutError naming the field when the shape does not fit the key and value
// types (a damaged descriptor, or a type decoded wrongly).
void check_map_type_descriptor(const MapTypeDescriptor& d, const GoType& key, const GoType& value);

}  // namespace gomapdbg
