// The runtime header struct of a map type known only by its runtime type
// descriptor, built with the names, fields and pointers the linker's DWARF
// gives a map type (reference §4.1): classic hash<K,V>, whose buckets lead
// to bucket<K,V> {tophash, keys, values, overflow}; swiss map<K,V>, whose
// dirPtr leads to table<K,V>, its groupReference<K,V> and the group {ctrl,
// slots [8]{key, elem}}. The header, table and group-reference fields come
// from the version's row of map_header_tables.h, the bucket or group shape
// from the descriptor (map_type_descriptor.h). So map_layout() and every
// walker and renderer take a decoded map type as they take a DWARF one.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <unordered_map>

#include "binary/go_build_info.h"
#include "maps/map_header_tables.h"
#include "maps/map_type_descriptor.h"
#include "types/runtime_types.h"

namespace gomapdbg {

class MapHeaderTypes : public MapHeaderBuilder {
 public:
  // `family` nullopt: the binary's map family is unknown, and build() says so.
  MapHeaderTypes(GoVersion version, std::optional<MapFamily> family)
      : version_(version), family_(family) {}

  // The header struct of `map` (a Map with key and elem) whose descriptor is
  // at `descriptor`. LayoutError (or MemoryError) saying what is unknown or
  // damaged.
  const GoType* build(const GoType& map, uint64_t descriptor, const Memory& memory) override;
  // The same for a map type whose bucket or group shape `d` is known
  // without a descriptor in memory.
  const GoType* build(const MapTypeDescriptor& d, const GoType& key, const GoType& value);

 private:
  // The header's pointers into the bucket, table and group structs.
  struct Targets {
    const GoType* bucket_array = nullptr;
    const GoType* directory = nullptr;
    const GoType* groups = nullptr;
    const GoType* group_array = nullptr;
  };

  const GoType* classic(const MapHeaderTables& tables, const MapTypeDescriptor& d,
                        const GoType& key, const GoType& value);
  const GoType* swiss(const MapHeaderTables& tables, const MapTypeDescriptor& d, const GoType& key,
                      const GoType& value);
  GoType& make(std::string name, GoKind kind, uint64_t size);
  const GoType* from_table(const RuntimeStruct& table, std::string name, const Targets& targets);
  const GoType* field_type(RuntimeFieldType type, const Targets& targets);
  const GoType* scalar(const char* name, GoKind kind, uint64_t size);
  const GoType* pointer(const GoType* elem);
  const GoType* array(const GoType* elem, uint64_t length);
  const GoType* slot(const GoType& type, bool indirect);

  GoVersion version_;
  std::optional<MapFamily> family_;
  std::deque<GoType> storage_;
  std::unordered_map<std::string, const GoType*> scalars_;
};

// The layout of a classic map[key]value of `version` from the tables
// alone, for a binary without DWARF whose map type has no descriptor at
// hand: the header from the version's row, the bucket the compiler builds
// (classic_bucket_shape). LayoutError when the version has no classic row.
MapLayout classic_map_layout(GoVersion version, const GoType& key, const GoType& value);

}  // namespace gomapdbg
