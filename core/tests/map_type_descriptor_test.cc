// Map types decoded from runtime type descriptors alone (no DWARF): the
// descriptor's bucket or group shape (maps/map_type_descriptor.cc, §7.4)
// and the per-version header tables (maps/map_header_tables.cc, §1.1, §2.1,
// §2.2) give the same MapLayout as the hand-made layouts of
// synthetic_memory.h, a decoded map walks, damaged descriptors are one
// error, and moduledata.typelinks finds types by name (types/type_links.cc).
#include <gtest/gtest.h>

#include <deque>
#include <optional>

#include "errors.h"
#include "maps/map_header_tables.h"
#include "maps/map_header_types.h"
#include "synthetic_memory.h"
#include "types/runtime_types.h"
#include "types/type_links.h"

namespace gomapdbg {
namespace {

using test::SyntheticMemory;
using test::TypeArena;

constexpr GoVersion kGo122{1, 22, 0}, kGo124{1, 24, 0}, kGo125{1, 25, 0}, kGo126{1, 26, 0},
    kGo127{1, 27, 0};

// Writes runtime type descriptors (abi.Type, §7.1) and their names (§7.3)
// into one region standing for moduledata.types .. etypes.
class Descriptors {
 public:
  static constexpr uint64_t kTypes = 0x500000, kSize = 0x10000;

  Descriptors() { memory_.map(kTypes, kSize); }

  // A descriptor of `kind` and `size` named `name`; returns its address.
  uint64_t type(GoKind kind, uint64_t size, const std::string& name) {
    uint64_t at = next_type_;
    next_type_ += 0x80;
    memory_.put_u64(at, size);
    memory_.put_bytes(at + 23, &kind, 1);
    memory_.put_u32(at + 40, static_cast<uint32_t>(put_name(name) - kTypes));
    return at;
  }
  uint64_t with_elem(uint64_t at, uint64_t elem) {
    memory_.put_u64(at + 48, elem);
    return at;
  }
  // Classic tail: KeySize, ValueSize, BucketSize, Flags (1 key, 2 elem indirect).
  uint64_t classic_map(const std::string& name, uint64_t key, uint64_t elem, uint8_t key_size,
                       uint8_t value_size, uint16_t bucket_size, uint32_t flags = 0) {
    uint64_t at = map(name, key, elem);
    memory_.put_u8(at + 80, key_size);
    memory_.put_u8(at + 81, value_size);
    memory_.put_u16(at + 82, bucket_size);
    memory_.put_u32(at + 84, flags);
    return at;
  }
  // Swiss tail: GroupSize, SlotSize, ElemOff, Flags (4 key, 8 elem indirect).
  uint64_t swiss_map(const std::string& name, uint64_t key, uint64_t elem, uint64_t slot_size,
                     uint64_t elem_off, uint32_t flags = 0) {
    uint64_t at = map(name, key, elem);
    memory_.put_u64(at + 80, 8 + 8 * slot_size);
    memory_.put_u64(at + 88, slot_size);
    memory_.put_u64(at + 96, elem_off);
    memory_.put_u32(at + 104, flags);
    return at;
  }
  // go1.27 tail: GroupSize, KeysOff, KeyStride, ElemsOff, ElemStride,
  // ElemOff, Flags @128 (reference §10).
  struct Group {
    uint64_t size, keys, key_stride, elems, elem_stride, elem_off;
  };
  uint64_t swiss127_map(const std::string& name, uint64_t key, uint64_t elem, Group g,
                        uint32_t flags = 0) {
    uint64_t at = map(name, key, elem);
    memory_.put_u64(at + 80, g.size);
    memory_.put_u64(at + 88, g.keys);
    memory_.put_u64(at + 96, g.key_stride);
    memory_.put_u64(at + 104, g.elems);
    memory_.put_u64(at + 112, g.elem_stride);
    memory_.put_u64(at + 120, g.elem_off);
    memory_.put_u32(at + 128, flags);
    return at;
  }
  SyntheticMemory& memory() { return memory_; }

  // The layout of the map type at `at`, decoded for `version` and `family`
  // (the decoder, which owns the types, lives as long as this).
  MapLayout laid_out(uint64_t at, GoVersion version, std::optional<MapFamily> family) {
    Memory memory(memory_);
    RuntimeTypes& types =
        decoders_.emplace_back(kTypes, version, std::make_unique<MapHeaderTypes>(version, family));
    return map_layout(*types.decode(at, memory));
  }

 private:
  uint64_t map(const std::string& name, uint64_t key, uint64_t elem) {
    uint64_t at = type(GoKind::Map, 8, name);
    memory_.put_u64(at + 48, key);
    memory_.put_u64(at + 56, elem);
    return at;
  }
  uint64_t put_name(const std::string& name) {
    uint64_t at = next_name_;
    memory_.put_u8(at, 0);
    memory_.put_u8(at + 1, static_cast<uint8_t>(name.size()));
    memory_.put_string(at + 2, name);
    next_name_ += 2 + name.size();
    return at;
  }

  SyntheticMemory memory_;
  std::deque<RuntimeTypes> decoders_;
  uint64_t next_name_ = kTypes + 0x10;
  uint64_t next_type_ = kTypes + 0x1000;
};

MapLayout decoded_layout(Descriptors& d, uint64_t at, GoVersion version, MapFamily family) {
  return d.laid_out(at, version, family);
}

void expect_same(const ClassicLayout& got, const ClassicLayout& want) {
  EXPECT_EQ(got.header_size, want.header_size);
  EXPECT_EQ(got.count, want.count);
  EXPECT_EQ(got.flags, want.flags);
  EXPECT_EQ(got.log2_buckets, want.log2_buckets);
  EXPECT_EQ(got.noverflow, want.noverflow);
  EXPECT_EQ(got.hash0, want.hash0);
  EXPECT_EQ(got.buckets, want.buckets);
  EXPECT_EQ(got.oldbuckets, want.oldbuckets);
  EXPECT_EQ(got.nevacuate, want.nevacuate);
  EXPECT_EQ(got.clear_seq, want.clear_seq);
  EXPECT_EQ(got.extra, want.extra);
  EXPECT_EQ(got.bucket_size, want.bucket_size);
  EXPECT_EQ(got.tophash, want.tophash);
  EXPECT_EQ(got.keys, want.keys);
  EXPECT_EQ(got.values, want.values);
  EXPECT_EQ(got.overflow, want.overflow);
  EXPECT_EQ(got.key_slot, want.key_slot);
  EXPECT_EQ(got.value_slot, want.value_slot);
}

void expect_same(const SwissLayout& got, const SwissLayout& want) {
  EXPECT_EQ(got.header_size, want.header_size);
  EXPECT_EQ(got.used, want.used);
  EXPECT_EQ(got.seed, want.seed);
  EXPECT_EQ(got.dir_ptr, want.dir_ptr);
  EXPECT_EQ(got.dir_len, want.dir_len);
  EXPECT_EQ(got.global_depth, want.global_depth);
  EXPECT_EQ(got.global_shift, want.global_shift);
  EXPECT_EQ(got.writing, want.writing);
  EXPECT_EQ(got.tombstone_possible, want.tombstone_possible);
  EXPECT_EQ(got.clear_seq, want.clear_seq);
  EXPECT_EQ(got.table_size, want.table_size);
  EXPECT_EQ(got.table_used, want.table_used);
  EXPECT_EQ(got.table_capacity, want.table_capacity);
  EXPECT_EQ(got.table_growth_left, want.table_growth_left);
  EXPECT_EQ(got.table_local_depth, want.table_local_depth);
  EXPECT_EQ(got.table_index, want.table_index);
  EXPECT_EQ(got.table_groups_data, want.table_groups_data);
  EXPECT_EQ(got.table_groups_mask, want.table_groups_mask);
  EXPECT_EQ(got.group_size, want.group_size);
  EXPECT_EQ(got.ctrl, want.ctrl);
  EXPECT_EQ(test::group_shape(got), test::group_shape(want));
}

TEST(MapTypeDescriptor, ClassicGo122MatchesTheHandMadeLayout) {
  Descriptors d;
  uint64_t str = d.type(GoKind::String, 16, "string"), i = d.type(GoKind::Int, 8, "int");
  uint64_t m = d.classic_map("map[string]int", str, i, 16, 8, 208);
  MapLayout got = decoded_layout(d, m, kGo122, MapFamily::Classic);
  TypeArena t;
  ASSERT_EQ(got.family, MapFamily::Classic);
  EXPECT_EQ(got.key->name, "string");
  EXPECT_EQ(got.value->name, "int");
  EXPECT_FALSE(got.indirect_key || got.indirect_value);
  expect_same(got.classic, test::classic_layout(t.string(), t.int_()).classic);
}

// Goroutine labels without DWARF: a map[string]string of go1.19–go1.23
// from the tables alone, as its DWARF lays it out (hmap 48 bytes, bucket
// 272: keys @8, values @136, overflow @264).
TEST(MapTypeDescriptor, ClassicStringMapFromTheTablesAlone) {
  TypeArena t;
  MapLayout got = classic_map_layout(kGo122, *t.string(), *t.string());
  ASSERT_EQ(got.family, MapFamily::Classic);
  expect_same(got.classic, test::classic_layout(t.string(), t.string()).classic);
  EXPECT_EQ(got.classic.bucket_size, 272u);
  EXPECT_EQ(got.classic.extra, 40u);
  const GoType* bytes200 = t.array(t.uint8(), 200);
  MapTypeDescriptor big = classic_bucket_shape(*bytes200, *t.string());
  EXPECT_TRUE(big.indirect_key);
  EXPECT_FALSE(big.indirect_value);
  EXPECT_EQ(big.bucket_size, 8u + 8 * (8 + 16) + 8);
  EXPECT_THROW(classic_map_layout(kGo126, *t.string(), *t.string()), LayoutError);
}

TEST(MapTypeDescriptor, ClassicGo124NoSwissHasClearSeq) {
  Descriptors d;
  uint64_t i = d.type(GoKind::Int64, 8, "int64");
  uint64_t m = d.classic_map("map[int64]int64", i, i, 8, 8, 144);
  MapLayout got = decoded_layout(d, m, kGo124, MapFamily::Classic);
  EXPECT_EQ(got.classic.header_size, 56u);
  EXPECT_EQ(got.classic.clear_seq, 40u);
  EXPECT_EQ(got.classic.extra, 48u);
  EXPECT_EQ(got.classic.values, 72u);
  EXPECT_EQ(got.classic.overflow, 136u);
}

TEST(MapTypeDescriptor, ClassicIndirectKeyAndValue) {
  Descriptors d;
  uint64_t u8 = d.type(GoKind::Uint8, 1, "uint8");
  uint64_t k = d.with_elem(d.type(GoKind::Array, 200, "[200]uint8"), u8);
  uint64_t v = d.with_elem(d.type(GoKind::Array, 300, "[300]uint8"), u8);
  uint64_t m = d.classic_map("map[[200]uint8][300]uint8", k, v, 8, 8, 144, 1 | 2);
  MapLayout got = decoded_layout(d, m, kGo122, MapFamily::Classic);
  EXPECT_TRUE(got.indirect_key);
  EXPECT_TRUE(got.indirect_value);
  EXPECT_EQ(got.key->size, 200u);
  TypeArena t;
  const GoType* bytes200 = t.array(t.uint8(), 200);
  const GoType* bytes300 = t.array(t.uint8(), 300);
  expect_same(got.classic, test::classic_layout(bytes200, bytes300, true, true).classic);
}

TEST(MapTypeDescriptor, SwissGo124HasNoTombstonePossible) {
  Descriptors d;
  uint64_t str = d.type(GoKind::String, 16, "string"), i = d.type(GoKind::Int, 8, "int");
  uint64_t m = d.swiss_map("map[string]int", str, i, 24, 16);
  MapLayout got = decoded_layout(d, m, kGo124, MapFamily::Swiss);
  ASSERT_EQ(got.family, MapFamily::Swiss);
  EXPECT_FALSE(got.swiss.tombstone_possible);
  TypeArena t;
  SwissLayout want = test::swiss_layout(t.string(), t.int_()).swiss;
  want.tombstone_possible.reset();
  expect_same(got.swiss, want);
}

TEST(MapTypeDescriptor, SwissGo125And126MatchTheHandMadeLayout) {
  for (GoVersion v : {kGo125, kGo126}) {
    Descriptors d;
    uint64_t k = d.type(GoKind::Int64, 8, "int64"), s = d.type(GoKind::String, 16, "string");
    uint64_t m = d.swiss_map("map[int64]string", k, s, 24, 8);
    MapLayout got = decoded_layout(d, m, v, MapFamily::Swiss);
    TypeArena t;
    expect_same(got.swiss, test::swiss_layout(t.int64(), t.string()).swiss);
  }
}

// go1.27 describes the interleaved group by offsets and strides.
TEST(MapTypeDescriptor, SwissGo127InterleavedMatchesTheHandMadeLayout) {
  Descriptors d;
  uint64_t k = d.type(GoKind::Int64, 8, "int64"), s = d.type(GoKind::String, 16, "string");
  uint64_t m = d.swiss127_map("map[int64]string", k, s, {8 + 8 * 24, 8, 24, 16, 24, 8});
  MapLayout got = decoded_layout(d, m, kGo127, MapFamily::Swiss);
  EXPECT_STREQ(got.name(), "swiss");
  TypeArena t;
  expect_same(got.swiss, test::swiss_layout(t.int64(), t.string()).swiss);
}

// go1.27 GOEXPERIMENT=mapsplitgroup: keys [8]K then elems [8]V; the
// values of group[string]*T the reference measured (200 bytes, elems at 136).
TEST(MapTypeDescriptor, SwissGo127SplitGroups) {
  Descriptors d;
  uint64_t s = d.type(GoKind::String, 16, "string");
  uint64_t p = d.with_elem(d.type(GoKind::Pointer, 8, "*int64"), d.type(GoKind::Int64, 8, "int64"));
  uint64_t m = d.swiss127_map("map[string]*int64", s, p, {200, 8, 16, 136, 8, 0});
  MapLayout got = decoded_layout(d, m, kGo127, MapFamily::Swiss);
  EXPECT_STREQ(got.name(), "swiss-split");
  EXPECT_EQ(test::group_shape(got.swiss), (test::GroupShape{true, 8, 16, 136, 8, 200}));
}

// Split groups whose arrays do not fit the group, or strides that are not
// the key and elem sizes, are a damaged descriptor.
TEST(MapTypeDescriptor, SwissGo127DamagedSplitGroupsAreRefused) {
  Descriptors d;
  uint64_t k = d.type(GoKind::Int64, 8, "int64");
  uint64_t overrun = d.swiss127_map("map[int64]int64", k, k, {100, 8, 8, 72, 8, 0});
  EXPECT_THROW(decoded_layout(d, overrun, kGo127, MapFamily::Swiss), LayoutError);
  Descriptors d2;
  uint64_t k2 = d2.type(GoKind::Int64, 8, "int64");
  uint64_t stride = d2.swiss127_map("map[int64]int64", k2, k2, {200, 8, 12, 104, 8, 0});
  EXPECT_THROW(decoded_layout(d2, stride, kGo127, MapFamily::Swiss), LayoutError);
}

TEST(MapTypeDescriptor, SwissIndirectFlagsAreBits4And8) {
  Descriptors d;
  uint64_t u8 = d.type(GoKind::Uint8, 1, "uint8");
  uint64_t k = d.with_elem(d.type(GoKind::Array, 200, "[200]uint8"), u8);
  uint64_t i = d.type(GoKind::Int, 8, "int");
  MapLayout got = decoded_layout(d, d.swiss_map("map[[200]uint8]int", k, i, 16, 8, 4), kGo126,
                                 MapFamily::Swiss);
  EXPECT_TRUE(got.indirect_key);
  EXPECT_FALSE(got.indirect_value);
  EXPECT_EQ(got.swiss.elems, 8u + 8u);
  // Bit 1 is the classic IndirectKey; in a swiss descriptor it is NeedKeyUpdate.
  Descriptors d2;
  uint64_t s = d2.type(GoKind::String, 16, "string");
  MapLayout plain = decoded_layout(d2, d2.swiss_map("map[string]string", s, s, 32, 16, 1 | 2),
                                   kGo126, MapFamily::Swiss);
  EXPECT_FALSE(plain.indirect_key || plain.indirect_value);
}

// A small swiss map (dirLen 0: dirPtr is the one group) walks through the
// decoded layout.
TEST(MapTypeDescriptor, DecodedSwissMapWalks) {
  Descriptors d;
  uint64_t k = d.type(GoKind::Int64, 8, "int64");
  uint64_t m = d.swiss_map("map[int64]int64", k, k, 16, 8);
  SyntheticMemory& mem = d.memory();
  Memory memory(mem);
  RuntimeTypes types(Descriptors::kTypes, kGo126,
                     std::make_unique<MapHeaderTypes>(kGo126, MapFamily::Swiss));
  MapLayout layout = map_layout(*types.decode(m, memory));
  uint64_t group = mem.alloc(layout.swiss.group_size, 8);
  mem.put_u64(group, 0x8080808080801122);  // slots 0 and 1 full
  mem.put_i64(group + 8, 7);
  mem.put_i64(group + 16, 70);
  mem.put_i64(group + 24, -3);
  mem.put_i64(group + 32, -30);
  uint64_t header = mem.alloc(layout.swiss.header_size, 8);
  mem.put_u64(header + layout.swiss.used, 2);
  mem.put_u64(header + layout.swiss.dir_ptr, group);
  auto walker = make_map_walker(memory, layout, header);
  test::Int64Walk walk = test::walk_int64(*walker);
  EXPECT_EQ(walk.sorted(), (std::vector<std::pair<int64_t, int64_t>>{{-3, -30}, {7, 70}}));
  EXPECT_TRUE(walk.stats.warnings.empty());
}

// Each damaged field is named in one error, when the layout is asked for.
TEST(MapTypeDescriptor, DamagedShapesAreOneError) {
  struct Case {
    MapFamily family;
    uint64_t key_size, value_size, size;  // classic sizes, or swiss slot size and elem offset
    const char* message;
  };
  const Case cases[] = {
      {MapFamily::Classic, 16, 8, 200, "BucketSize 200, expected 208"},
      {MapFamily::Classic, 15, 8, 200, "KeySize 15 does not fit key type string"},
      {MapFamily::Classic, 16, 0, 80, "ValueSize 0 does not fit value type int"},
      {MapFamily::Swiss, 0, 0, 24, "ElemOff 24 and SlotSize 24 do not fit string and int"},
      {MapFamily::Swiss, 0, 0, 1 << 20, "absurd SlotSize"},
  };
  for (const Case& c : cases) {
    Descriptors d;
    uint64_t str = d.type(GoKind::String, 16, "string"), i = d.type(GoKind::Int, 8, "int");
    uint64_t m =
        c.family == MapFamily::Classic
            ? d.classic_map("map[string]int", str, i, static_cast<uint8_t>(c.key_size),
                            static_cast<uint8_t>(c.value_size), static_cast<uint16_t>(c.size))
            : d.swiss_map("map[string]int", str, i, c.size, c.size);
    try {
      decoded_layout(d, m, c.family == MapFamily::Classic ? kGo122 : kGo126, c.family);
      ADD_FAILURE() << "no error for " << c.message;
    } catch (const LayoutError& e) {
      std::string what = e.what();
      EXPECT_NE(what.find("map[string]int: damaged map type descriptor at " + hex(m)),
                std::string::npos)
          << what;
      EXPECT_NE(what.find(c.message), std::string::npos) << what;
      EXPECT_EQ(what.find('\n'), std::string::npos);
    }
  }
}

TEST(MapTypeDescriptor, SwissGroupSizeMustFitSlots) {
  Descriptors d;
  uint64_t i = d.type(GoKind::Int, 8, "int");
  uint64_t m = d.swiss_map("map[int]int", i, i, 16, 8);
  d.memory().put_u64(m + 80, 1 << 16);
  EXPECT_THROW(decoded_layout(d, m, kGo126, MapFamily::Swiss), LayoutError);
}

// The tail past the abi.Type header is unreadable: the type decodes (its
// name and kind are there), its layout is one error.
TEST(MapTypeDescriptor, UnreadableTailIsALayoutError) {
  SyntheticMemory mem;
  mem.map(Descriptors::kTypes, 0x100);
  uint64_t m = Descriptors::kTypes + 0x100 - 64;  // header readable, tail past the region
  mem.put_u64(m, 8);
  GoKind kind = GoKind::Map;
  mem.put_bytes(m + 23, &kind, 1);
  mem.put_u64(m + 48, m);
  mem.put_u64(m + 56, m);
  Memory memory(mem);
  RuntimeTypes types(Descriptors::kTypes, kGo122,
                     std::make_unique<MapHeaderTypes>(kGo122, MapFamily::Classic));
  const GoType* t = types.decode(m, memory);
  ASSERT_EQ(t->kind, GoKind::Map);
  EXPECT_THROW(map_layout(*t), LayoutError);
}

TEST(MapTypeDescriptor, UnknownVersionOrFamilyIsOneError) {
  Descriptors d;
  uint64_t i = d.type(GoKind::Int, 8, "int");
  uint64_t m = d.swiss_map("map[int]int", i, i, 16, 8);
  auto message = [&](GoVersion v, std::optional<MapFamily> family) {
    try {
      d.laid_out(m, v, family);
    } catch (const LayoutError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message(GoVersion{}, MapFamily::Swiss).find("the Go version is unknown"),
            std::string::npos);
  EXPECT_NE(
      message(GoVersion{1, 28, 0}, MapFamily::Swiss).find("no swiss map header layout for go1.28"),
      std::string::npos);
  EXPECT_NE(message(kGo122, MapFamily::Swiss).find("no swiss map header layout for go1.22"),
            std::string::npos);
  EXPECT_NE(
      message(kGo126, std::nullopt).find("cannot tell whether the binary has classic or swiss"),
      std::string::npos);
}

// Every row's fields lie inside its struct, in offset order.
TEST(MapHeaderTables, FieldsFitTheirStructs) {
  for (const MapHeaderTables& row : all_map_header_tables()) {
    for (const RuntimeStruct* s : {&row.header, &row.table, &row.groups}) {
      uint64_t last = 0;
      for (const RuntimeField& f : s->fields) {
        EXPECT_LT(f.offset, s->size) << s->name << "." << f.name;
        EXPECT_GE(f.offset, last) << s->name << "." << f.name;
        last = f.offset;
      }
    }
  }
  EXPECT_EQ(map_header_tables(GoVersion{1, 19, 0}, MapFamily::Classic).header.size, 48u);
  EXPECT_EQ(map_header_tables(GoVersion{1, 25, 12}, MapFamily::Classic).header.size, 56u);
  EXPECT_THROW(map_header_tables(GoVersion{1, 26, 0}, MapFamily::Classic), LayoutError);
  EXPECT_THROW(map_header_tables(GoVersion{1, 18, 0}, MapFamily::Classic), LayoutError);
}

// --- moduledata.typelinks ---------------------------------------------------

struct LinkedTypes {
  Descriptors d;
  uint64_t item = 0, slice = 0, map = 0, point = 0;
  ModuleData module;

  // typelinks: []main.Item and map[string]main.Item (unnamed); the named
  // main.Item is reached through them, main.Point through an itab.
  LinkedTypes() {
    uint64_t str = d.type(GoKind::String, 16, "string");
    item = d.type(GoKind::Int, 8, "main.Item");
    slice = d.with_elem(d.type(GoKind::Slice, 24, "[]main.Item"), item);
    map = d.swiss_map("map[string]main.Item", str, item, 24, 16);
    point = d.type(GoKind::Int, 8, "main.Point");
    SyntheticMemory& mem = d.memory();
    uint64_t links = mem.alloc(16, 8);
    mem.put_u32(links, static_cast<uint32_t>(slice - Descriptors::kTypes));
    mem.put_u32(links + 4, static_cast<uint32_t>(map - Descriptors::kTypes));
    mem.put_u32(links + 8, 0x7fffffff);  // past etypes: skipped
    uint64_t itab = mem.alloc(32, 8), itabs = mem.alloc(8, 8);
    mem.put_u64(itab + 8, point);
    mem.put_u64(itabs, itab);
    module.types = Descriptors::kTypes;
    module.etypes = Descriptors::kTypes + Descriptors::kSize;
    module.typelinks = {links, 3};
    module.itablinks = {itabs, 1};
  }
};

TEST(TypeLinks, FindsLinkedReachableAndItabTypesByName) {
  LinkedTypes l;
  Memory memory(l.d.memory());
  RuntimeTypes types(Descriptors::kTypes, kGo126,
                     std::make_unique<MapHeaderTypes>(kGo126, MapFamily::Swiss));
  TypeLinks links(l.module, types, memory);
  EXPECT_EQ(links.find("[]main.Item"), l.slice);
  EXPECT_EQ(links.find("map[string]main.Item"), l.map);
  EXPECT_EQ(links.find("map[string] main.Item"), l.map);
  EXPECT_EQ(links.find("main.Item"), l.item);
  EXPECT_EQ(links.find("main.Point"), l.point);
  EXPECT_TRUE(links.find("string"));  // the map's key
  EXPECT_FALSE(links.find("map[string]main.Nope"));
  EXPECT_TRUE(links.problems().empty());
}

TEST(TypeLinks, ACutArrayIsAProblemNotAnError) {
  LinkedTypes l;
  l.module.typelinks.len = 1 << 12;  // runs past the 16 bytes mapped
  Memory memory(l.d.memory());
  RuntimeTypes types(Descriptors::kTypes, kGo126,
                     std::make_unique<MapHeaderTypes>(kGo126, MapFamily::Swiss));
  TypeLinks links(l.module, types, memory);
  EXPECT_EQ(links.find("[]main.Item"), l.slice);
  ASSERT_EQ(links.problems().size(), 1u);
  EXPECT_NE(links.problems()[0].find("only 4 of 4096 entries are readable"), std::string::npos)
      << links.problems()[0];
}

TEST(TypeLinks, NamesAreMatchedWithoutSpacesAndWithAny) {
  EXPECT_EQ(normalized_type_name("map[string]interface {}"), "map[string]interface{}");
  EXPECT_EQ(normalized_type_name("map[string]any"), "map[string]interface{}");
  EXPECT_EQ(normalized_type_name("[]main.any"), "[]main.any");
  EXPECT_EQ(normalized_type_name("struct { Many int }"), "struct{Manyint}");
  EXPECT_EQ(normalized_type_name("map[string]*encoding/json.field"), "map[string]*json.field");
  EXPECT_EQ(normalized_type_name("[]example.com/a-b/any.T"), "[]any.T");
  // A major-version element names no package: encoding/json/v2 is package json.
  EXPECT_EQ(normalized_type_name("map[string]*encoding/json/v2.field"), "map[string]*json.field");
  EXPECT_EQ(normalized_type_name("example.com/m/v10.T"), "m.T");
}

}  // namespace
}  // namespace gomapdbg
