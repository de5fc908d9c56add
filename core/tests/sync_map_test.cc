// The sync.Map walker on hand-built memory: both implementations, their
// physical structure, and damaged ones (cycles, absurd depth, unreadable
// nodes) ending in a warning and a partial result.
#include <gtest/gtest.h>

#include <algorithm>

#include "errors.h"
#include "tests/sync_map_image.h"

namespace gomapdbg::test {
namespace {

std::vector<int64_t> sorted(std::vector<int64_t> v) {
  std::sort(v.begin(), v.end());
  return v;
}

TEST(SyncMapTrie, EmptyMapHasNoEntries) {
  SyncMapImage image(SyncMapImpl::HashTrie);
  EXPECT_EQ(image.walker().header().count, 0u);
  EXPECT_TRUE(image.keys().empty());
}

// root: [0] entry 1, [3] indirect{[0] entry 2 -> overflow entry 3, [15] entry 4}, [9] entry 5
SyncMapImage small_trie() {
  SyncMapImage image(SyncMapImpl::HashTrie);
  uint64_t root = image.new_indirect();
  uint64_t inner = image.new_indirect(root);
  image.set_child(root, 0, image.new_entry(1, 10));
  image.set_child(root, 3, inner);
  image.set_child(root, 9, image.new_entry(5, 50));
  image.set_child(inner, 0, image.new_entry(2, 20, image.new_entry(3, 30)));
  image.set_child(inner, 15, image.new_entry(4, 40));
  image.set_root(root);
  return image;
}

TEST(SyncMapTrie, ListsEveryEntryWithOverflowChains) {
  SyncMapImage image = small_trie();
  WalkStats stats;
  EXPECT_EQ(sorted(image.keys(&stats)), (std::vector<int64_t>{1, 2, 3, 4, 5}));
  EXPECT_TRUE(HasNoWarnings(stats));
  EXPECT_EQ(image.walker().header().count, 5u);
}

TEST(SyncMapTrie, StructureCountsNodesLevelsFanOutAndChains) {
  SyncMapImage image = small_trie();
  SyncMap walker = image.walker();
  WalkStats stats;
  SyncMapStructure s = walker.structure(stats);
  EXPECT_EQ(s.live, 5u);
  EXPECT_EQ(s.indirects, 2u);
  EXPECT_EQ(s.depth, 2);
  EXPECT_EQ(s.fanout[3], 1u);  // root: 3 children
  EXPECT_EQ(s.fanout[2], 1u);  // inner: 2 children
  ASSERT_EQ(s.entries_by_level.size(), 2u);
  EXPECT_EQ(s.entries_by_level[0], 2u);
  EXPECT_EQ(s.entries_by_level[1], 3u);
  ASSERT_EQ(s.chains.size(), 3u);
  EXPECT_EQ(s.chains[1], 3u);
  EXPECT_EQ(s.chains[2], 1u);
}

TEST(SyncMapTrie, StopsWhenTheVisitorSaysSo) {
  SyncMapImage image = small_trie();
  SyncMap walker = image.walker();
  int seen = 0;
  WalkStats stats = walker.walk([&](const uint8_t*, const uint8_t*) { return ++seen < 2; });
  EXPECT_TRUE(stats.stopped);
  EXPECT_EQ(seen, 2);
}

TEST(SyncMapTrie, CycleIsCutWithAWarning) {
  SyncMapImage image = small_trie();
  uint64_t root = load<uint64_t>(image.bytes.data() + image.layout.root);
  uint64_t inner = image.memory.u64(root + 24 + 3 * 8);
  image.set_child(inner, 7, root);
  WalkStats stats;
  EXPECT_EQ(sorted(image.keys(&stats)), (std::vector<int64_t>{1, 2, 3, 4, 5}));
  EXPECT_TRUE(HasWarning(stats, "reached twice"));
}

TEST(SyncMapTrie, OverflowLoopIsCut) {
  SyncMapImage image(SyncMapImpl::HashTrie);
  uint64_t root = image.new_indirect();
  uint64_t first = image.new_entry(1, 10);
  uint64_t second = image.new_entry(2, 20, first);
  image.mem.put_u64(first + 8, second);
  image.set_child(root, 4, first);
  image.set_root(root);
  WalkStats stats;
  EXPECT_EQ(sorted(image.keys(&stats)), (std::vector<int64_t>{1, 2}));
  EXPECT_TRUE(HasWarning(stats, "loops"));
}

TEST(SyncMapTrie, DeeperThanSixteenLevelsIsNotFollowed) {
  SyncMapImage image(SyncMapImpl::HashTrie);
  uint64_t root = image.new_indirect(), at = root;
  for (int level = 1; level < 20; ++level) {
    uint64_t next = image.new_indirect(at);
    image.set_child(at, 1, next);
    image.set_child(at, 0, image.new_entry(level, level));
    at = next;
  }
  image.set_root(root);
  WalkStats stats;
  EXPECT_EQ(image.keys(&stats).size(), 16u);
  EXPECT_TRUE(HasWarning(stats, "deeper than 16"));
}

TEST(SyncMapTrie, UnreadableChildGivesPartialResult) {
  SyncMapImage image = small_trie();
  uint64_t root = load<uint64_t>(image.bytes.data() + image.layout.root);
  image.set_child(root, 12, 0xdead0000);
  WalkStats stats;
  EXPECT_EQ(sorted(image.keys(&stats)), (std::vector<int64_t>{1, 2, 3, 4, 5}));
  EXPECT_TRUE(HasWarning(stats, "unreadable"));
}

TEST(SyncMapTrie, UnreadableRootIsAWarning) {
  SyncMapImage image(SyncMapImpl::HashTrie);
  image.set_root(0xdead0000);
  WalkStats stats;
  EXPECT_TRUE(image.keys(&stats).empty());
  EXPECT_TRUE(HasWarning(stats, "unreadable"));
}

// read: 1 live, 2 deleted, 3 expunged; dirty (amended): 1, 2 deleted, 4, 5.
SyncMapImage churned(bool amended) {
  SyncMapImage image(SyncMapImpl::ReadDirty);
  uint64_t one = image.new_sync_entry(100), deleted = image.new_deleted_entry();
  uint64_t read = image.new_map({{1, one}, {2, deleted}, {3, image.new_expunged_entry()}});
  image.set_read(read, amended);
  if (amended)
    image.set_dirty(image.new_map(
        {{1, one}, {2, deleted}, {4, image.new_sync_entry(400)}, {5, image.new_sync_entry(500)}}));
  image.set_misses(2);
  return image;
}

TEST(SyncMapReadDirty, ListsTheDirtyMapWhenAmended) {
  SyncMapImage image = churned(true);
  WalkStats stats;
  EXPECT_EQ(sorted(image.keys(&stats)), (std::vector<int64_t>{1, 4, 5}));
  EXPECT_TRUE(HasNoWarnings(stats));
  EXPECT_EQ(image.walker().header().count, 3u);
  EXPECT_EQ(header_field(image.walker().header(), "amended"), "true");
  EXPECT_EQ(header_field(image.walker().header(), "misses"), "2");
}

TEST(SyncMapReadDirty, ListsTheReadMapOtherwise) {
  SyncMapImage image = churned(false);
  EXPECT_EQ(sorted(image.keys()), (std::vector<int64_t>{1}));
}

TEST(SyncMapReadDirty, ValuesAreTheAnyTheEntryPointsTo) {
  SyncMapImage image = churned(true);
  SyncMap walker = image.walker();
  std::vector<int64_t> values;
  walker.walk([&](const uint8_t*, const uint8_t* value) {
    values.push_back(load<int64_t>(value + 8));
    return true;
  });
  EXPECT_EQ(sorted(values), (std::vector<int64_t>{100, 400, 500}));
}

TEST(SyncMapReadDirty, StructureTellsDeletedFromExpunged) {
  SyncMapImage image = churned(true);
  SyncMap walker = image.walker();
  WalkStats stats;
  SyncMapStructure s = walker.structure(stats);
  EXPECT_TRUE(s.amended);
  EXPECT_EQ(s.misses, 2);
  EXPECT_EQ(s.live, 3u);
  EXPECT_EQ(s.read_counts.slots, 3u);
  EXPECT_EQ(s.read_counts.live, 1u);
  EXPECT_EQ(s.read_counts.deleted, 1u);
  EXPECT_EQ(s.read_counts.expunged, 1u);
  EXPECT_EQ(s.dirty_counts.slots, 4u);
  EXPECT_EQ(s.dirty_counts.live, 3u);
  EXPECT_EQ(s.dirty_counts.deleted, 1u);
  EXPECT_EQ(s.dirty_counts.expunged, 0u);
}

TEST(SyncMapReadDirty, NeverUsedMapIsEmpty) {
  SyncMapImage image(SyncMapImpl::ReadDirty);
  EXPECT_EQ(image.walker().header().count, 0u);
}

TEST(SyncMapReadDirty, UnreadableEntryIsAWarning) {
  SyncMapImage image(SyncMapImpl::ReadDirty);
  image.set_read(image.new_map({{1, image.new_sync_entry(1)}, {2, 0xdead0000}}), false);
  WalkStats stats;
  EXPECT_EQ(image.keys(&stats), (std::vector<int64_t>{1}));
  EXPECT_TRUE(HasWarning(stats, "unreadable"));
}

TEST(SyncMapReadDirty, UnreadableDirtyMapIsAWarning) {
  SyncMapImage image(SyncMapImpl::ReadDirty);
  image.set_read(image.new_map({}), true);
  image.set_dirty(0xdead0000);
  WalkStats stats;
  EXPECT_TRUE(image.keys(&stats).empty());
  EXPECT_TRUE(HasWarning(stats, "unreadable"));
}

SyncMap::KeyMatcher key_is(int64_t wanted) {
  return [wanted](const uint8_t* key) { return load<int64_t>(key + 8) == wanted; };
}

TEST(SyncMapTrie, FindKeyGivesItsPlace) {
  SyncMapImage image = small_trie();
  SyncMap walker = image.walker();
  WalkStats stats;
  SyncKeyPlace place = walker.find_key(key_is(3), stats);
  EXPECT_EQ(place.state, SyncEntryState::Live);
  EXPECT_EQ(load<int64_t>(place.value + 8), 30);
  EXPECT_EQ(place.level, 1);
  EXPECT_EQ(place.path, (std::vector<int>{3, 0}));
  EXPECT_EQ(place.chain_position, 1u);
  EXPECT_EQ(walker.find_key(key_is(99), stats).state, SyncEntryState::Absent);
}

TEST(SyncMapReadDirty, FindKeyTellsEachMapsState) {
  SyncMapImage image = churned(true);
  SyncMap walker = image.walker();
  WalkStats stats;
  SyncKeyPlace deleted = walker.find_key(key_is(2), stats);
  EXPECT_EQ(deleted.state, SyncEntryState::Deleted);
  EXPECT_EQ(deleted.read_state, SyncEntryState::Deleted);
  EXPECT_EQ(deleted.dirty_state, SyncEntryState::Deleted);
  SyncKeyPlace expunged = walker.find_key(key_is(3), stats);
  EXPECT_EQ(expunged.state, SyncEntryState::Expunged);
  EXPECT_EQ(expunged.dirty_state, SyncEntryState::Absent);
  SyncKeyPlace dirty_only = walker.find_key(key_is(4), stats);
  EXPECT_EQ(dirty_only.state, SyncEntryState::Live);
  EXPECT_EQ(dirty_only.read_state, SyncEntryState::Absent);
  EXPECT_EQ(load<int64_t>(dirty_only.value + 8), 400);
}

TEST(SyncMapLayoutTest, RejectsAStructOfNeitherShape) {
  TypeArena types;
  const GoType* not_sync = types.structure("sync.Map", {{"x", types.int_()}});
  EXPECT_THROW(sync_map_layout(*not_sync, [](const std::string&) { return nullptr; }), LayoutError);
}

TEST(SyncMapLayoutTest, TrieEntryFallsBackToItsDeclaration) {
  // sync.Map{_ noCopy; m HashTrieMap{inited; initMu; root atomic.Pointer[indirect]}}
  TypeArena types;
  const GoType* node = types.structure("internal/sync.node[interface {},interface {}]",
                                       {{"isEntry", types.bool_()}});
  const GoType* indirect = types.structure("internal/sync.indirect[interface {},interface {}]",
                                           {{"node", node},
                                            {"dead", types.uint32()},
                                            {"mu", types.uint64()},
                                            {"parent", types.uintptr()},
                                            {"children", types.array(types.uintptr(), 16)}});
  const GoType* root =
      types.structure("sync/atomic.Pointer[internal/sync.indirect[interface {},interface {}]]",
                      {{"_", types.array(types.pointer(indirect), 0)}, {"v", types.uintptr()}});
  const GoType* trie =
      types.structure("internal/sync.HashTrieMap[interface {},interface {}]",
                      {{"inited", types.structure("sync/atomic.Uint32", {{"v", types.uint32()}})},
                       {"initMu", types.uint64()},
                       {"root", root}});
  const GoType* sync_map = types.structure("sync.Map", {{"m", trie}});
  const GoType* any = types.basic(GoKind::Interface, 16, "interface {}");
  SyncMapLayout layout = sync_map_layout(
      *sync_map, [&](const std::string& name) { return name == "interface {}" ? any : nullptr; });
  EXPECT_EQ(layout.impl, SyncMapImpl::HashTrie);
  EXPECT_EQ(layout.root, 16u);
  EXPECT_EQ(layout.indirect_children, 24u);
  EXPECT_EQ(layout.entry_key, 16u);  // from entry's declaration: DWARF had none
  EXPECT_EQ(layout.any, any);
}

}  // namespace
}  // namespace gomapdbg::test
