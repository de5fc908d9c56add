// Map layout detection from DWARF-shaped types (map_layout.cc): the classic
// hmap with and without clearSeq, the swiss Map of go1.24 (no
// tombstonePossible) and go1.25/1.26, and an unknown header.
// Reference: /work/shared/reference/go-runtime-layouts.md §1.1, §1.2, §2.1-2.3.
#include "maps/map_layout.h"

#include <gtest/gtest.h>

#include "errors.h"
#include "synthetic_memory.h"

namespace gomapdbg {
namespace {

using test::TypeArena;

// The map type DWARF gives: map[K]V whose header is `header`.
GoType map_type(const GoType* key, const GoType* value, const GoType* header) {
  GoType m;
  m.name = "map[" + key->name + "]" + value->name;
  m.kind = GoKind::Map;
  m.size = 8;
  m.key = key;
  m.elem = value;
  m.header = header;
  return m;
}

// hash<K,V> as the linker synthesizes it: go1.19-1.23, or with clearSeq
// (go1.24/1.25 noswissmap) before extra.
const GoType* classic_header(TypeArena& t, const GoType* key_slot, const GoType* value_slot,
                             bool clear_seq) {
  const GoType* bucket = t.structure("bucket<K,V>", {{"tophash", t.array(t.uint8(), 8)},
                                                     {"keys", t.array(key_slot, 8)},
                                                     {"values", t.array(value_slot, 8)},
                                                     {"overflow", t.uintptr()}});
  std::vector<std::pair<std::string, const GoType*>> fields = {{"count", t.int_()},
                                                               {"flags", t.uint8()},
                                                               {"B", t.uint8()},
                                                               {"noverflow", t.uint16()},
                                                               {"hash0", t.uint32()},
                                                               {"buckets", t.pointer(bucket)},
                                                               {"oldbuckets", t.pointer(bucket)},
                                                               {"nevacuate", t.uintptr()}};
  if (clear_seq) fields.push_back({"clearSeq", t.uint64()});
  fields.push_back({"extra", t.pointer(t.structure("runtime.mapextra", {}))});
  return t.structure("hash<K,V>", fields);
}

// map<K,V> (internal/runtime/maps.Map) with its table and group types;
// go1.24 lacks tombstonePossible.
const GoType* swiss_header(TypeArena& t, const GoType* group, bool tombstone_possible) {
  const GoType* groups =
      t.structure("groupsReference<K,V>", {{"data", t.pointer(group)}, {"lengthMask", t.uint64()}});
  const GoType* table = t.structure("table<K,V>", {{"used", t.uint16()},
                                                   {"capacity", t.uint16()},
                                                   {"growthLeft", t.uint16()},
                                                   {"localDepth", t.uint8()},
                                                   {"index", t.int_()},
                                                   {"groups", groups}});
  std::vector<std::pair<std::string, const GoType*>> fields = {
      {"used", t.uint64()},  {"seed", t.uintptr()},      {"dirPtr", t.pointer(t.pointer(table))},
      {"dirLen", t.int_()},  {"globalDepth", t.uint8()}, {"globalShift", t.uint8()},
      {"writing", t.uint8()}};
  if (tombstone_possible) fields.push_back({"tombstonePossible", t.bool_()});
  fields.push_back({"clearSeq", t.uint64()});
  return t.structure("map<K,V>", fields);
}

// The same with the interleaved group {ctrl; slots [8]{key; elem}}.
const GoType* swiss_header(TypeArena& t, const GoType* key_slot, const GoType* value_slot,
                           bool tombstone_possible) {
  const GoType* slot = t.structure("slot<K,V>", {{"key", key_slot}, {"elem", value_slot}});
  const GoType* group =
      t.structure("group<K,V>", {{"ctrl", t.uint64()}, {"slots", t.array(slot, 8)}});
  return swiss_header(t, group, tombstone_possible);
}

TEST(MapLayout, ClassicGo119To123) {
  TypeArena t;
  const GoType *k = t.int64(), *v = t.string();
  GoType m = map_type(k, v, classic_header(t, k, v, false));
  MapLayout l = map_layout(m);
  ASSERT_EQ(l.family, MapFamily::Classic);
  const ClassicLayout& c = l.classic;
  EXPECT_EQ(c.header_size, 48u);
  EXPECT_EQ(c.flags, 8u);
  EXPECT_EQ(c.log2_buckets, 9u);
  EXPECT_EQ(c.noverflow, 10u);
  EXPECT_EQ(c.hash0, 12u);
  EXPECT_EQ(c.buckets, 16u);
  EXPECT_EQ(c.oldbuckets, 24u);
  EXPECT_EQ(c.nevacuate, 32u);
  EXPECT_FALSE(c.clear_seq.has_value());
  EXPECT_EQ(c.extra, 40u);
  // bucket<int64,string>: keys@8, values@72, overflow@200, size 208.
  EXPECT_EQ(c.keys, 8u);
  EXPECT_EQ(c.values, 72u);
  EXPECT_EQ(c.overflow, 200u);
  EXPECT_EQ(c.bucket_size, 208u);
  EXPECT_EQ(c.key_slot, 8u);
  EXPECT_EQ(c.value_slot, 16u);
  EXPECT_FALSE(l.indirect_key);
  EXPECT_FALSE(l.indirect_value);
}

TEST(MapLayout, ClassicNoswissGo124WithClearSeq) {
  TypeArena t;
  const GoType *k = t.int64(), *v = t.int64();
  GoType m = map_type(k, v, classic_header(t, k, v, true));
  MapLayout l = map_layout(m);
  ASSERT_EQ(l.family, MapFamily::Classic);
  EXPECT_EQ(l.classic.header_size, 56u);
  EXPECT_EQ(l.classic.clear_seq, 40u);
  EXPECT_EQ(l.classic.extra, 48u);
}

TEST(MapLayout, ClassicIndirectKeyIsAPointerSlot) {
  TypeArena t;
  const GoType* big = t.array(t.uint8(), 150);
  const GoType* v = t.int64();
  GoType m = map_type(big, v, classic_header(t, t.pointer(big), v, false));
  MapLayout l = map_layout(m);
  EXPECT_TRUE(l.indirect_key);
  EXPECT_FALSE(l.indirect_value);
  EXPECT_EQ(l.classic.key_slot, 8u);
}

TEST(MapLayout, SwissGo124WithoutTombstonePossible) {
  TypeArena t;
  const GoType *k = t.int64(), *v = t.int64();
  GoType m = map_type(k, v, swiss_header(t, k, v, false));
  MapLayout l = map_layout(m);
  ASSERT_EQ(l.family, MapFamily::Swiss);
  const SwissLayout& s = l.swiss;
  EXPECT_EQ(s.header_size, 48u);
  EXPECT_EQ(s.dir_ptr, 16u);
  EXPECT_EQ(s.dir_len, 24u);
  EXPECT_EQ(s.global_depth, 32u);
  EXPECT_EQ(s.global_shift, 33u);
  EXPECT_EQ(s.writing, 34u);
  EXPECT_FALSE(s.tombstone_possible.has_value());
  EXPECT_EQ(s.clear_seq, 40u);
  EXPECT_EQ(s.table_size, 32u);
  EXPECT_EQ(s.table_local_depth, 6u);
  EXPECT_EQ(s.table_index, 8u);
  EXPECT_EQ(s.table_groups_data, 16u);
  EXPECT_EQ(s.table_groups_mask, 24u);
  EXPECT_EQ(s.ctrl, 0u);
  EXPECT_EQ(test::group_shape(s), (test::GroupShape{false, 8, 16, 16, 16, 136}));
}

TEST(MapLayout, SwissGo125And126WithTombstonePossible) {
  TypeArena t;
  const GoType *k = t.string(), *v = t.int64();
  GoType m = map_type(k, v, swiss_header(t, k, v, true));
  MapLayout l = map_layout(m);
  ASSERT_EQ(l.family, MapFamily::Swiss);
  EXPECT_EQ(l.swiss.tombstone_possible, 35u);
  EXPECT_EQ(l.swiss.clear_seq, 40u);
  EXPECT_EQ(l.swiss.elems, 8u + 16u);  // string keys: elem at 16 (the compiler asserts it)
  EXPECT_EQ(l.swiss.key_stride, 24u);
}

void expect_layout_error(const GoType& map, const std::string& message) {
  try {
    map_layout(map);
    FAIL() << "laid out, expected: " << message;
  } catch (const LayoutError& e) {
    EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
  }
}

// go1.27 GOEXPERIMENT=mapsplitgroup: group {ctrl; keys [8]K; elems [8]V}.
TEST(MapLayout, SwissGo127SplitGroups) {
  TypeArena t;
  const GoType *k = t.string(), *v = t.int32();
  const GoType* group = t.structure(
      "group<K,V>", {{"ctrl", t.uint64()}, {"keys", t.array(k, 8)}, {"elems", t.array(v, 8)}});
  GoType m = map_type(k, v, swiss_header(t, group, true));
  MapLayout l = map_layout(m);
  EXPECT_STREQ(l.name(), "swiss-split");
  EXPECT_EQ(test::group_shape(l.swiss), (test::GroupShape{true, 8, 16, 136, 4, 168}));
}

TEST(MapLayout, GroupsWithNeitherSlotsNorKeysAreRefused) {
  TypeArena t;
  const GoType* group = t.structure("group<K,V>", {{"ctrl", t.uint64()}, {"cells", t.uint64()}});
  GoType m = map_type(t.int_(), t.int_(), swiss_header(t, group, true));
  expect_layout_error(m, "neither slots (interleaved) nor keys and elems");
}

TEST(MapLayout, SplitGroupsThatOverrunTheGroupAreRefused) {
  TypeArena t;
  // elems of 4 bytes for an 8-byte value: the last one would end past the group.
  const GoType* group = t.structure(
      "group<K,V>",
      {{"ctrl", t.uint64()}, {"keys", t.array(t.int64(), 8)}, {"elems", t.array(t.int32(), 8)}});
  GoType m = map_type(t.int64(), t.int64(), swiss_header(t, group, true));
  expect_layout_error(m, "the slots of group<K,V> overrun it");
}

TEST(MapLayout, UnknownHeaderNamesTheTypeAndTheMissingFields) {
  TypeArena t;
  const GoType* header = t.structure("hash<int,int>", {{"count", t.int_()}, {"ptr", t.uintptr()}});
  GoType m = map_type(t.int_(), t.int_(), header);
  try {
    map_layout(m);
    FAIL() << "an unknown header was accepted";
  } catch (const LayoutError& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("unknown map layout"), std::string::npos) << what;
    EXPECT_NE(what.find("hash<int,int>"), std::string::npos) << what;
    for (const char* field : {"buckets", "B", "dirPtr", "dirLen"})
      EXPECT_NE(what.find(field), std::string::npos) << field << " not named in: " << what;
  }
}

TEST(MapLayout, ClassicHeaderMissingAFieldNamesIt) {
  TypeArena t;
  const GoType* header = t.structure(
      "hash<int,int>", {{"count", t.int_()}, {"B", t.uint8()}, {"buckets", t.uintptr()}});
  GoType m = map_type(t.int_(), t.int_(), header);
  try {
    map_layout(m);
    FAIL() << "a header without flags was accepted";
  } catch (const LayoutError& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("hash<int,int>"), std::string::npos) << what;
    EXPECT_NE(what.find("'flags'"), std::string::npos) << what;
  }
}

TEST(MapLayout, MapWithoutHeaderTypeIsALayoutError) {
  TypeArena t;
  GoType m = map_type(t.int_(), t.int_(), nullptr);
  EXPECT_THROW(map_layout(m), LayoutError);
}

}  // namespace
}  // namespace gomapdbg
