// Where a map's fields live, derived from the DWARF of the linker's
// synthesized types (hash<K,V>/bucket<K,V> for classic maps; map<K,V>,
// table<K,V>, groupReference<K,V> and the group struct for swiss maps), so
// that field moves between Go versions need no table here. A map type
// decoded from its runtime descriptor carries header types of the same
// shape (map_header_types.h), so it is laid out by the same code.
#pragma once

#include <cstdint>
#include <optional>

#include "types/go_type.h"

namespace gomapdbg {

enum class MapFamily { Classic, Swiss };

const char* family_name(MapFamily family);
// The name users see: "classic", "swiss", or "swiss-split" for swiss maps
// whose groups keep keys and elems in two arrays (go1.27 mapsplitgroup).
const char* layout_name(MapFamily family, bool split_groups);

struct ClassicLayout {
  uint64_t header_size = 0;
  uint64_t count = 0, flags = 0, log2_buckets = 0, noverflow = 0, hash0 = 0, buckets = 0,
           oldbuckets = 0, nevacuate = 0;
  std::optional<uint64_t> clear_seq, extra;  // clearSeq: go1.24/1.25 noswiss only
  uint64_t bucket_size = 0, tophash = 0, keys = 0, values = 0, overflow = 0;
  uint64_t key_slot = 0, value_slot = 0;  // stride of keys[]/values[]
};

struct SwissLayout {
  uint64_t header_size = 0;
  uint64_t used = 0, seed = 0, dir_ptr = 0, dir_len = 0, global_depth = 0, global_shift = 0,
           writing = 0;
  std::optional<uint64_t> tombstone_possible, clear_seq;  // tombstonePossible: go1.25+
  uint64_t table_size = 0, table_used = 0, table_capacity = 0, table_growth_left = 0,
           table_local_depth = 0, table_index = 0, table_groups_data = 0, table_groups_mask = 0;
  uint64_t group_size = 0, ctrl = 0;
  // Slot i of a group has its key at keys + i*key_stride and its elem at
  // elems + i*elem_stride (abi.MapType's formula in go1.27). Interleaved
  // groups {ctrl; slots [8]{key; elem}}: both strides are the slot's size.
  // Split groups {ctrl; keys [8]K; elems [8]V} (GOEXPERIMENT=mapsplitgroup,
  // go1.27): each array's element size.
  bool split_groups = false;
  uint64_t keys = 0, key_stride = 0, elems = 0, elem_stride = 0;
};

struct MapLayout {
  MapFamily family = MapFamily::Classic;
  const GoType* key = nullptr;
  const GoType* value = nullptr;
  bool indirect_key = false, indirect_value = false;
  ClassicLayout classic;
  SwissLayout swiss;

  const char* name() const { return layout_name(family, swiss.split_groups); }
};

// Throws LayoutError naming the missing part when the DWARF types do not
// have the shape of any known runtime.
MapLayout map_layout(const GoType& map_type);

}  // namespace gomapdbg
