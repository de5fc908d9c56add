#include "maps/map_header_tables.h"

#include <string>

#include "errors.h"

namespace gomapdbg {

namespace {

using enum RuntimeFieldType;

// runtime.hmap, go1.19–go1.23 runtime/map.go (§1.1): 48 bytes.
constexpr RuntimeField kHmap119[] = {
    {"count", 0, Int},
    {"flags", 8, Uint8},
    {"B", 9, Uint8},
    {"noverflow", 10, Uint16},
    {"hash0", 12, Uint32},
    {"buckets", 16, BucketArray},
    {"oldbuckets", 24, BucketArray},
    {"nevacuate", 32, Uintptr},
    {"extra", 40, MapExtra},
};

// runtime.hmap, go1.24–go1.25 runtime/map_noswiss.go (GOEXPERIMENT=noswissmap,
// §1.1): clearSeq inserted before extra, 56 bytes.
constexpr RuntimeField kHmap124[] = {
    {"count", 0, Int},
    {"flags", 8, Uint8},
    {"B", 9, Uint8},
    {"noverflow", 10, Uint16},
    {"hash0", 12, Uint32},
    {"buckets", 16, BucketArray},
    {"oldbuckets", 24, BucketArray},
    {"nevacuate", 32, Uintptr},
    {"clearSeq", 40, Uint64},
    {"extra", 48, MapExtra},
};

// internal/runtime/maps.Map, go1.24 map.go (§2.1): 48 bytes.
constexpr RuntimeField kSwissMap124[] = {
    {"used", 0, Uint64},    {"seed", 8, Uintptr},       {"dirPtr", 16, Directory},
    {"dirLen", 24, Int},    {"globalDepth", 32, Uint8}, {"globalShift", 33, Uint8},
    {"writing", 34, Uint8}, {"clearSeq", 40, Uint64},
};

// internal/runtime/maps.Map, go1.25–go1.27 map.go (§2.1, §10): tombstonePossible
// takes padding byte 35, still 48 bytes.
constexpr RuntimeField kSwissMap125[] = {
    {"used", 0, Uint64},        {"seed", 8, Uintptr},
    {"dirPtr", 16, Directory},  {"dirLen", 24, Int},
    {"globalDepth", 32, Uint8}, {"globalShift", 33, Uint8},
    {"writing", 34, Uint8},     {"tombstonePossible", 35, Bool},
    {"clearSeq", 40, Uint64},
};

// internal/runtime/maps.table, go1.24–go1.27 table.go (§2.2): 32 bytes.
constexpr RuntimeField kSwissTable[] = {
    {"used", 0, Uint16},      {"capacity", 2, Uint16}, {"growthLeft", 4, Uint16},
    {"localDepth", 6, Uint8}, {"index", 8, Int},       {"groups", 16, GroupsReference},
};

// internal/runtime/maps.groupsReference, go1.24–go1.27 group.go (§2.2): 16 bytes.
constexpr RuntimeField kSwissGroups[] = {
    {"data", 0, GroupArray},
    {"lengthMask", 8, Uint64},
};

constexpr RuntimeStruct kNone{"", 0, {}};

constexpr MapHeaderTables kTables[] = {
    {MapFamily::Classic,
     19,
     23,
     "runtime/map.go (reference §1.1)",
     {"runtime.hmap", 48, kHmap119},
     kNone,
     kNone},
    {MapFamily::Classic,
     24,
     25,
     "runtime/map_noswiss.go, GOEXPERIMENT=noswissmap (§1.1)",
     {"runtime.hmap", 56, kHmap124},
     kNone,
     kNone},
    {MapFamily::Swiss,
     24,
     24,
     "internal/runtime/maps (§2.1, §2.2)",
     {"internal/runtime/maps.Map", 48, kSwissMap124},
     {"internal/runtime/maps.table", 32, kSwissTable},
     {"internal/runtime/maps.groupsReference", 16, kSwissGroups}},
    {MapFamily::Swiss,
     25,
     27,
     "internal/runtime/maps (§2.1, §2.2)",
     {"internal/runtime/maps.Map", 48, kSwissMap125},
     {"internal/runtime/maps.table", 32, kSwissTable},
     {"internal/runtime/maps.groupsReference", 16, kSwissGroups}},
};

}  // namespace

std::span<const MapHeaderTables> all_map_header_tables() { return kTables; }

const MapHeaderTables& map_header_tables(GoVersion version, MapFamily family) {
  if (!version.known())
    throw LayoutError(std::string("the Go version is unknown (no build info), so the ") +
                      family_name(family) + " map header layout cannot be chosen");
  for (const MapHeaderTables& row : kTables)
    if (row.family == family && version.major == 1 && version.minor >= row.first_minor &&
        version.minor <= row.last_minor)
      return row;
  throw LayoutError("no " + std::string(family_name(family)) + " map header layout for go" +
                    std::to_string(version.major) + "." + std::to_string(version.minor) +
                    " (known: classic go1.19–go1.25, swiss go1.24–go1.27)");
}

}  // namespace gomapdbg
