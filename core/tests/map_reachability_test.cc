// The bounded walk that says whether a frame's variable leads to the
// crashed map (crash/map_reachability.h): receivers and their fields,
// elements, pointer cycles and the hop limit, on hand-made memory.
#include "crash/map_reachability.h"

#include <gtest/gtest.h>

#include <cstring>

#include "tests/synthetic_memory.h"

namespace gomapdbg {
namespace {

using test::SyntheticMemory;
using test::TypeArena;

class MapReachabilityTest : public ::testing::Test {
 protected:
  // A map type as a value: the header pointer (its layout is not needed to
  // compare headers; walking into entries needs one).
  const GoType* map_type(std::string name) { return types.basic(GoKind::Map, 8, std::move(name)); }

  GoValue value(const GoType* type, uint64_t word, std::string origin) {
    std::vector<uint8_t> bytes(8);
    std::memcpy(bytes.data(), &word, 8);
    return GoValue{type, bytes, std::move(origin), "local"};
  }

  std::optional<std::string> path(const GoValue& root, uint64_t map, ReachLimits limits = {}) {
    return path_to_map(memory, nullptr, root, map, limits);
  }

  SyntheticMemory mem;
  Memory memory{mem};
  TypeArena types;
};

TEST_F(MapReachabilityTest, AReceiverLeadsToItsMapField) {
  const GoType* items = map_type("map[string][]uint8");
  const GoType* store = types.structure("main.Store", {{"id", types.int_()}, {"items", items}});
  uint64_t s = mem.alloc(store->size);
  mem.put_u64(s + 8, 0xc000100000);
  GoValue receiver = value(types.pointer(store), s, "s");
  EXPECT_EQ(path(receiver, 0xc000100000), "s.items");
  EXPECT_EQ(path(receiver, 0xc000200000), std::nullopt) << "another map is not reached";
}

TEST_F(MapReachabilityTest, ASliceOfShardsLeadsToTheOneHoldingTheMap) {
  const GoType* shard =
      types.structure("main.shard", {{"n", types.int_()}, {"m", map_type("map[int]int")}});
  uint64_t data = mem.alloc(shard->size * 4);
  for (uint64_t i = 0; i < 4; ++i)
    mem.put_u64(data + i * shard->size + 8, 0xc000300000 + i * 0x100);
  const GoType* slice = types.slice(shard);
  std::vector<uint8_t> header(24);
  uint64_t words[3] = {data, 4, 4};
  std::memcpy(header.data(), words, sizeof words);
  EXPECT_EQ(path(GoValue{slice, header, "shards", "local"}, 0xc000300200), "shards[2].m");
}

TEST_F(MapReachabilityTest, APointerCycleEnds) {
  const GoType* node =
      types.structure("main.node", {{"next", types.int_()}, {"m", map_type("map[int]int")}});
  const GoType* node_ptr = types.pointer(node);
  const_cast<GoType*>(node)->fields[0].type = node_ptr;  // next *node
  uint64_t a = mem.alloc(node->size), b = mem.alloc(node->size);
  mem.put_u64(a, b);
  mem.put_u64(b, a);
  mem.put_u64(b + 8, 0xc000400000);
  EXPECT_EQ(path(value(node_ptr, a, "head"), 0xc000400000), "head.next.m");
  EXPECT_EQ(path(value(node_ptr, a, "head"), 0xc000500000), std::nullopt);
}

TEST_F(MapReachabilityTest, PointersBeyondTheHopLimitAreNotFollowed) {
  // p -> *q -> *r -> ... five pointers deep to a holder of the map.
  const GoType* holder = types.structure("main.holder", {{"m", map_type("map[int]int")}});
  uint64_t target = mem.alloc(8);
  mem.put_u64(target, 0xc000600000);
  const GoType* type = holder;
  uint64_t at = target;
  for (int depth = 0; depth < 5; ++depth) {
    type = types.pointer(type);
    uint64_t slot = mem.alloc(8);
    mem.put_u64(slot, at);
    at = slot;
  }
  GoValue root = value(type, memory.u64(at), "p");
  ReachLimits near;
  near.max_hops = 3;
  EXPECT_EQ(path(root, 0xc000600000, near), std::nullopt);
  ReachLimits far;
  far.max_hops = 8;
  EXPECT_TRUE(path(root, 0xc000600000, far).has_value());
}

TEST_F(MapReachabilityTest, AnUnreadablePointerLeadsNowhere) {
  const GoType* store = types.structure("main.Store", {{"items", map_type("map[int]int")}});
  EXPECT_EQ(path(value(types.pointer(store), 0xdead000, "s"), 0xc000100000), std::nullopt);
}

TEST_F(MapReachabilityTest, MapsOfATypeAreCollectedOnce) {
  const GoType* m = map_type("map[string]int");
  const GoType* other = map_type("map[int]int");
  const GoType* pair = types.structure("main.pair", {{"a", m}, {"b", m}, {"c", other}, {"d", m}});
  uint64_t p = mem.alloc(pair->size);
  mem.put_u64(p, 0xc000700000);
  mem.put_u64(p + 8, 0xc000800000);
  mem.put_u64(p + 16, 0xc000900000);
  mem.put_u64(p + 24, 0xc000700000);  // the first one again
  auto found = maps_reached(memory, nullptr, value(types.pointer(pair), p, "x"), "map[string]int");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].path, "x.a");
  EXPECT_EQ(found[1].path, "x.b");
}

}  // namespace
}  // namespace gomapdbg
