// The Go runtime's map header structs as each Go version lays them out:
// runtime.hmap for classic maps; internal/runtime/maps.Map, its tables and
// their group references for swiss maps. DWARF describes them per map type
// (hash<K,V>, map<K,V>, table<K,V>); a binary without DWARF has only these
// rows, the one place the fields are written down. Offsets are bytes on
// linux/amd64 (= arm64), from /work/shared/reference/go-runtime-layouts.md
// §1.1, §2.1 and §2.2; tests/test_map_layout_tables.py checks every row
// against the DWARF of each toolchain of the matrix.
#pragma once

#include <cstdint>
#include <span>

#include "binary/go_build_info.h"
#include "maps/map_layout.h"

namespace gomapdbg {

// What a field holds, as far as a map layout needs to know: scalars, and
// the pointers map_layout() follows to the bucket, table and group structs.
enum class RuntimeFieldType : uint8_t {
  Uint8,
  Uint16,
  Uint32,
  Uint64,
  Int,
  Uintptr,
  Bool,
  MapExtra,         // *mapextra (classic hmap.extra)
  BucketArray,      // *bucket<K,V> (classic buckets, oldbuckets)
  Directory,        // **table<K,V> (swiss Map.dirPtr)
  GroupsReference,  // groupsReference{data, lengthMask} (swiss table.groups)
  GroupArray,       // *group (groupsReference.data)
};

struct RuntimeField {
  const char* name;
  uint64_t offset;
  RuntimeFieldType type;
};

struct RuntimeStruct {
  const char* name;  // the runtime's own: "runtime.hmap"
  uint64_t size;
  std::span<const RuntimeField> fields;
};

// The header structs of one map family over a range of Go versions.
struct MapHeaderTables {
  MapFamily family;
  int first_minor, last_minor;  // go1.first_minor .. go1.last_minor
  const char* source;           // the runtime file and the reference section
  RuntimeStruct header;         // hmap / maps.Map
  RuntimeStruct table;          // maps.table (swiss only)
  RuntimeStruct groups;         // maps.groupsReference (swiss only)
};

// Every row (for the tests).
std::span<const MapHeaderTables> all_map_header_tables();

// The row for `version` and `family`; a LayoutError saying why when none
// holds (an unknown version, or a family that version does not have).
const MapHeaderTables& map_header_tables(GoVersion version, MapFamily family);

}  // namespace gomapdbg
