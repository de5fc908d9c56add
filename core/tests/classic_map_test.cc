// Classic (bucket) maps, go1.19–1.23 layout, walked from synthetic memory.
// Reference: /work/shared/reference/go-runtime-layouts.md §1.
#include "maps/classic_map.h"

#include <gtest/gtest.h>

#include <limits>
#include <map>

#include "errors.h"
#include "maps/runtime_constants.h"
#include "synthetic_memory.h"

namespace gomapdbg {
namespace {

using test::HasNoWarnings;
using test::HasWarning;
using test::header_field;
using test::TypeArena;
using Entries = std::vector<std::pair<int64_t, int64_t>>;

// A map[int64]int64 built by hand in synthetic memory (synthetic_memory.h).
class ClassicMapTest : public ::testing::Test, public test::ClassicMapImage {};

// --- The hand-built layout itself -----------------------------------------

TEST(ClassicLayoutFixture, Int64Int64BucketHasRuntimeOffsets) {
  TypeArena types;
  ClassicLayout c = test::classic_layout(types.int64(), types.int64()).classic;
  EXPECT_EQ(c.header_size, 48u);
  EXPECT_EQ(c.tophash, 0u);
  EXPECT_EQ(c.keys, 8u);
  EXPECT_EQ(c.values, 72u);
  EXPECT_EQ(c.overflow, 136u);
  EXPECT_EQ(c.bucket_size, 144u);
}

// Reference §1.2: bucket<string,int> and bucket<uint8,struct{}> as seen in DWARF.
TEST(ClassicLayoutFixture, MatchesBucketLayoutsVerifiedInDwarf) {
  TypeArena types;
  ClassicLayout s = test::classic_layout(types.string(), types.int_()).classic;
  EXPECT_EQ(s.keys, 8u);
  EXPECT_EQ(s.values, 136u);
  EXPECT_EQ(s.overflow, 200u);
  EXPECT_EQ(s.bucket_size, 208u);
  ClassicLayout e = test::classic_layout(types.uint8(), types.structure("struct {}", {})).classic;
  EXPECT_EQ(e.overflow, 16u);
  EXPECT_EQ(e.bucket_size, 24u);
}

// --- Header ---------------------------------------------------------------

TEST_F(ClassicMapTest, HeaderReportsEveryHmapField) {
  uint64_t array = new_buckets(4);
  uint64_t old = new_buckets(2);
  set_header(3, 2, array, old, runtime::kFlagHashWriting | runtime::kFlagSameSizeGrow, 1);
  mem.put_u16(hmap + 10, 7);           // noverflow
  mem.put_u32(hmap + 12, 0xdeadbeef);  // hash0
  mem.put_u64(hmap + 40, 0x1234);      // extra

  auto w = walker();
  const MapHeader& h = w->header();
  EXPECT_EQ(h.address, hmap);
  EXPECT_EQ(h.count, 3u);
  EXPECT_TRUE(h.writing);
  EXPECT_EQ(header_field(h, "count"), "3");
  EXPECT_EQ(header_field(h, "flags"), "0xc (hashWriting|sameSizeGrow)");
  EXPECT_EQ(header_field(h, "B"), "2");
  EXPECT_EQ(header_field(h, "noverflow"), "7");
  EXPECT_EQ(header_field(h, "hash0"), "0xdeadbeef");
  EXPECT_EQ(header_field(h, "buckets"), hex(array));
  EXPECT_EQ(header_field(h, "oldbuckets"), hex(old));
  EXPECT_EQ(header_field(h, "nevacuate"), "1");
  EXPECT_EQ(header_field(h, "extra"), "0x1234");
}

TEST_F(ClassicMapTest, HeaderWithoutClearSeqFieldOmitsIt) {
  set_header(0, 0, 0);
  auto w = walker();
  for (const auto& f : w->header().fields) EXPECT_NE(f.name, "clearSeq");
  EXPECT_FALSE(w->header().writing);
}

TEST_F(ClassicMapTest, NegativeCountIsReportedAsZeroEntries) {
  set_header(-1, 0, 0);
  auto w = walker();
  EXPECT_EQ(w->header().count, 0u);
  EXPECT_EQ(header_field(w->header(), "count"), "-1");
}

TEST_F(ClassicMapTest, UnreadableHeaderThrowsMemoryError) {
  EXPECT_THROW(make_map_walker(memory, layout, 0x10), MemoryError);
}

TEST_F(ClassicMapTest, MakeMapWalkerPicksClassicMapForClassicLayout) {
  set_header(0, 0, 0);
  EXPECT_NE(dynamic_cast<ClassicMap*>(walker().get()), nullptr);
}

// --- Empty maps -----------------------------------------------------------

TEST_F(ClassicMapTest, NilBucketsWithZeroCountIsAnEmptyMap) {
  set_header(0, 0, 0);
  test::Int64Walk result = walk();
  EXPECT_TRUE(result.entries.empty());
  EXPECT_EQ(result.stats.entries, 0u);
  EXPECT_FALSE(result.stats.stopped);
  EXPECT_TRUE(HasNoWarnings(result.stats));
}

TEST_F(ClassicMapTest, NilBucketsWithNonZeroCountWarns) {
  set_header(4, 0, 0);
  test::Int64Walk result = walk();
  EXPECT_TRUE(result.entries.empty());
  EXPECT_TRUE(HasWarning(result.stats, "buckets is nil but count is 4"));
}

TEST_F(ClassicMapTest, AllocatedButEmptyBucketsYieldNothing) {
  set_header(0, 1, new_buckets(2));
  test::Int64Walk result = walk();
  EXPECT_TRUE(result.entries.empty());
  EXPECT_TRUE(HasNoWarnings(result.stats));
}

// --- Buckets and chains ---------------------------------------------------

TEST_F(ClassicMapTest, SingleBucketMapYieldsEntriesInSlotOrder) {
  uint64_t array = new_buckets(1);
  put_entry(array, 0, 10, 100);
  put_entry(array, 3, 30, 300);
  put_entry(array, 7, 70, 700);
  set_header(3, 0, array);

  test::Int64Walk result = walk();
  EXPECT_EQ(result.entries, (Entries{{10, 100}, {30, 300}, {70, 700}}));
  EXPECT_EQ(result.stats.entries, 3u);
  EXPECT_TRUE(HasNoWarnings(result.stats));
}

TEST_F(ClassicMapTest, EveryBucketAndItsOverflowChainIsWalked) {
  uint64_t array = new_buckets(4);
  for (int s = 0; s < 8; ++s) put_entry(bucket(array, 0), s, s, s * 10);
  uint64_t overflow1 = new_buckets(1);
  uint64_t overflow2 = new_buckets(1);
  set_overflow(bucket(array, 0), overflow1);
  for (int s = 0; s < 8; ++s) put_entry(overflow1, s, 8 + s, (8 + s) * 10);
  set_overflow(overflow1, overflow2);
  put_entry(overflow2, 0, 16, 160);
  put_entry(bucket(array, 2), 5, 20, 200);
  uint64_t overflow3 = new_buckets(1);
  set_overflow(bucket(array, 3), overflow3);  // an empty head with a non-empty overflow
  put_entry(overflow3, 1, 30, 300);
  set_header(19, 2, array);

  test::Int64Walk result = walk();
  Entries expected;
  for (int k = 0; k <= 16; ++k) expected.push_back({k, k * 10});
  expected.push_back({20, 200});
  expected.push_back({30, 300});
  EXPECT_EQ(result.entries, expected);
  EXPECT_TRUE(HasNoWarnings(result.stats));
}

TEST_F(ClassicMapTest, EmptyTophashMarkersAreSkippedAndValuesFromFiveOnAreLive) {
  uint64_t array = new_buckets(1);
  put_slot(array, 0, runtime::kEmptyOne, 1, 1);    // deleted
  put_slot(array, 1, runtime::kMinTopHash, 2, 2);  // smallest live tophash
  put_slot(array, 2, runtime::kEmptyOne, 3, 3);
  put_slot(array, 3, 0xff, 4, 4);
  put_slot(array, 4, runtime::kEmptyRest, 5, 5);  // stale bytes behind emptyRest
  set_header(2, 0, array);

  test::Int64Walk result = walk();
  EXPECT_EQ(result.entries, (Entries{{2, 2}, {4, 4}}));
  EXPECT_TRUE(HasNoWarnings(result.stats));
}

TEST_F(ClassicMapTest, EvacuationMarkersInTheCurrentArrayAreNotLive) {
  uint64_t array = new_buckets(1);
  put_slot(array, 0, runtime::kEvacuatedX, 1, 1);
  put_slot(array, 1, runtime::kEvacuatedY, 2, 2);
  put_slot(array, 2, runtime::kEvacuatedEmpty, 3, 3);
  put_slot(array, 3, 0x80, 4, 4);
  set_header(1, 0, array);

  EXPECT_EQ(walk().entries, (Entries{{4, 4}}));
}

TEST_F(ClassicMapTest, WideBucketArraysAreReadInChunksWithoutLosingBuckets) {
  // 2^15 buckets of 144 bytes: 4.5 MiB, more than one 4 MiB read chunk.
  uint64_t array = new_buckets(uint64_t{1} << 15);
  for (uint64_t i : {uint64_t{0}, uint64_t{29126}, uint64_t{29127}, uint64_t{32767}})
    put_entry(bucket(array, i), 0, static_cast<int64_t>(i), 1);
  set_header(4, 15, array);

  test::Int64Walk result = walk();
  EXPECT_EQ(result.sorted(), (Entries{{0, 1}, {29126, 1}, {29127, 1}, {32767, 1}}));
  EXPECT_TRUE(HasNoWarnings(result.stats));
}

// --- Growth ---------------------------------------------------------------

TEST_F(ClassicMapTest, GrowingMapYieldsNewEntriesAndUnevacuatedOldEntries) {
  // Doubling grow from B=1 to B=2: old bucket 0 already evacuated (its
  // entries 1 and 2 now live in new buckets 0 and 2), old bucket 1 not yet.
  uint64_t array = new_buckets(4);
  uint64_t old = new_buckets(2);
  put_entry(bucket(array, 0), 0, 1, 10);
  put_entry(bucket(array, 2), 0, 2, 20);
  put_entry(bucket(array, 3), 0, 6, 60);  // inserted after the grow started
  put_slot(bucket(old, 0), 0, runtime::kEvacuatedX, 1, 10);
  put_slot(bucket(old, 0), 1, runtime::kEvacuatedY, 2, 20);
  put_slot(bucket(old, 0), 2, runtime::kEvacuatedEmpty, 999, 999);
  put_entry(bucket(old, 1), 0, 3, 30);
  put_entry(bucket(old, 1), 1, 4, 40);
  uint64_t old_overflow = new_buckets(1);
  set_overflow(bucket(old, 1), old_overflow);
  put_entry(old_overflow, 0, 5, 50);
  set_header(6, 2, array, old, 0, /*nevacuate=*/1);

  test::Int64Walk result = walk();
  EXPECT_EQ(result.sorted(), (Entries{{1, 10}, {2, 20}, {3, 30}, {4, 40}, {5, 50}, {6, 60}}));
  EXPECT_EQ(result.stats.entries, 6u);
  EXPECT_TRUE(HasNoWarnings(result.stats));
}

TEST_F(ClassicMapTest, OldBucketIsSkippedWhenEverySlotOfItsChainIsMarked) {
  for (uint8_t marker : {runtime::kEvacuatedX, runtime::kEvacuatedY, runtime::kEvacuatedEmpty}) {
    SCOPED_TRACE("marker " + std::to_string(marker));
    uint64_t array = new_buckets(2);
    uint64_t old = new_buckets(1);
    put_entry(bucket(array, 1), 0, 1, 1);
    uint64_t old_overflow = new_buckets(1);
    set_overflow(old, old_overflow);
    for (int s = 0; s < 8; ++s) {
      put_slot(old, s, marker, 7, 7);  // moved: the old keys stay until the chain is done
      put_slot(old_overflow, s, runtime::kEvacuatedEmpty, 9, 9);
    }
    set_header(1, 1, array, old);

    test::Int64Walk result = walk();
    EXPECT_EQ(result.entries, (Entries{{1, 1}}));
    EXPECT_TRUE(HasNoWarnings(result.stats));
  }
}

// The runtime stopped inside evacuate: old bucket 0 of a doubling grow
// (B=1 -> 2) has slots 0-2 marked (1 went to X = new bucket 0, 2 to Y = new
// bucket 2) and slot 3 and an overflow bucket still to go.
class HalfEvacuatedBucketTest : public ClassicMapTest {
 protected:
  void SetUp() override {
    array = new_buckets(4);
    old = new_buckets(2);
    put_slot(old, 0, runtime::kEvacuatedX, 1, 10);
    put_slot(old, 1, runtime::kEvacuatedY, 2, 20);
    put_slot(old, 2, runtime::kEvacuatedEmpty, 0, 0);
    put_entry(old, 3, 3, 30);
    uint64_t old_overflow = new_buckets(1);
    set_overflow(old, old_overflow);
    put_entry(old_overflow, 0, 4, 40);
    put_entry(bucket(array, 0), 0, 1, 10);  // copies
    put_entry(bucket(array, 2), 0, 2, 20);
    put_entry(bucket(old, 1), 0, 5, 50);  // old bucket 1 not yet touched
    set_header(5, 2, array, old);
  }
  uint64_t array = 0, old = 0;
};

TEST_F(HalfEvacuatedBucketTest, ItsMovedAndUnmovedEntriesAreReadFromTheOldChainOnce) {
  test::Int64Walk result = walk();
  EXPECT_EQ(result.sorted(), (Entries{{1, 10}, {2, 20}, {3, 30}, {4, 40}, {5, 50}}));
  EXPECT_TRUE(HasNoWarnings(result.stats));
}

TEST_F(HalfEvacuatedBucketTest, PhysicalViewMarksTheOldChainAndTheCopiesInItsDestinations) {
  struct Recorder : PhysicalVisitor {
    bool bucket(const BucketView& b) override {
      if (b.being_evacuated) being_evacuated.push_back({b.index, b.chain_position});
      if (b.copies_only) copies.push_back({b.index, b.copies_of});
      return true;
    }
    std::vector<std::pair<uint64_t, uint64_t>> being_evacuated, copies;
  } recorder;
  auto w = walker();
  WalkStats stats = w->walk_physical(recorder, nullptr);
  EXPECT_EQ(stats.entries, 5u);
  using Pairs = std::vector<std::pair<uint64_t, uint64_t>>;
  EXPECT_EQ(recorder.being_evacuated, (Pairs{{0, 0}, {0, 1}}));  // head and overflow
  EXPECT_EQ(recorder.copies, (Pairs{{0, 0}, {2, 0}}));
}

TEST_F(ClassicMapTest, HalfEvacuatedBucketOfASameSizeGrowSkipsOnlyItsOwnDestination) {
  uint64_t array = new_buckets(2);
  uint64_t old = new_buckets(2);
  for (int s = 0; s < 8; ++s) put_slot(bucket(old, 0), s, runtime::kEvacuatedEmpty, 0, 0);
  put_slot(bucket(old, 0), 0, runtime::kEvacuatedX, 1, 10);
  put_entry(bucket(array, 0), 0, 1, 10);  // old bucket 0 is done
  put_entry(bucket(array, 0), 1, 6, 60);  // and written since
  put_slot(bucket(old, 1), 0, runtime::kEvacuatedX, 2, 20);
  put_entry(bucket(old, 1), 1, 3, 30);
  put_entry(bucket(array, 1), 0, 2, 20);  // copy
  set_header(4, 1, array, old, runtime::kFlagSameSizeGrow);

  test::Int64Walk result = walk();
  EXPECT_EQ(result.sorted(), (Entries{{1, 10}, {2, 20}, {3, 30}, {6, 60}}));
  EXPECT_TRUE(HasNoWarnings(result.stats));
}

TEST_F(ClassicMapTest, ManyHalfEvacuatedOldBucketsWarn) {
  // The runtime evacuates one chain at a time: dozens at once is garbage.
  const uint64_t n = 128;  // B = 7, same-size grow
  static_assert(ClassicMap::kMaxBucketsBeingEvacuated < 128);
  uint64_t array = new_buckets(n);
  uint64_t old = new_buckets(n);
  for (uint64_t i = 0; i < n; ++i) {
    put_slot(bucket(old, i), 0, runtime::kEvacuatedX, 0, 0);
    put_entry(bucket(old, i), 1, static_cast<int64_t>(i), 0);
  }
  set_header(static_cast<int64_t>(n), 7, array, old, runtime::kFlagSameSizeGrow);

  test::Int64Walk result = walk();
  EXPECT_TRUE(HasWarning(result.stats, "at least " +
                                           std::to_string(ClassicMap::kMaxBucketsBeingEvacuated) +
                                           " old buckets are half evacuated (the runtime "
                                           "evacuates one at a time); the rest are taken as "
                                           "evacuated"));
}

TEST_F(ClassicMapTest, LastSlotMarkedButNotYetCopiedIsTheOneEntryMissed) {
  // The documented window: the chain reads as done while its last entry is
  // still on its way to the new array.
  uint64_t array = new_buckets(2);
  uint64_t old = new_buckets(1);
  for (int s = 0; s < 8; ++s) put_slot(old, s, runtime::kEvacuatedY, s, s);
  for (int s = 0; s < 7; ++s) put_entry(bucket(array, 1), s, s, s);
  set_header(8, 1, array, old);

  test::Int64Walk result = walk();
  EXPECT_EQ(result.stats.entries, 7u);
  EXPECT_TRUE(HasWarning(result.stats, "found 7 entries but count is 8"));
}

TEST_F(ClassicMapTest, OldBucketStartingWithAnEmptySlotIsNotEvacuated) {
  // evacuated() is tophash[0] in 2..4; emptyOne (a deleted first entry) is not.
  uint64_t array = new_buckets(2);
  uint64_t old = new_buckets(1);
  put_slot(old, 0, runtime::kEmptyOne, 0, 0);
  put_entry(old, 1, 5, 50);
  set_header(1, 1, array, old);

  test::Int64Walk result = walk();
  EXPECT_EQ(result.entries, (Entries{{5, 50}}));
  EXPECT_TRUE(HasNoWarnings(result.stats));
}

TEST_F(ClassicMapTest, SameSizeGrowWalksAsManyOldBucketsAsNewOnes) {
  uint64_t array = new_buckets(2);
  uint64_t old = new_buckets(2);
  put_entry(bucket(old, 0), 0, 1, 1);
  put_entry(bucket(old, 1), 0, 2, 2);
  set_header(2, 1, array, old, runtime::kFlagSameSizeGrow);

  test::Int64Walk result = walk();
  EXPECT_EQ(result.sorted(), (Entries{{1, 1}, {2, 2}}));
  EXPECT_TRUE(HasNoWarnings(result.stats));
}

TEST_F(ClassicMapTest, DoublingGrowWalksHalfAsManyOldBucketsAsNewOnes) {
  uint64_t array = new_buckets(4);
  uint64_t old = new_buckets(4);
  put_entry(bucket(old, 0), 0, 1, 1);
  put_entry(bucket(old, 1), 0, 2, 2);
  put_entry(bucket(old, 2), 0, 3, 3);  // past 1<<(B-1) old buckets: not part of the map
  put_entry(bucket(old, 3), 0, 4, 4);
  set_header(2, 2, array, old);

  test::Int64Walk result = walk();
  EXPECT_EQ(result.sorted(), (Entries{{1, 1}, {2, 2}}));
  EXPECT_TRUE(HasNoWarnings(result.stats));
}

TEST_F(ClassicMapTest, EveryEntryOfAGrowingMapIsVisitedExactlyOnce) {
  // B=3 doubling from B=2; old buckets 0, 1 (below nevacuate) and 3 (out of
  // order) evacuated, old bucket 2 still holding a two-bucket chain.
  uint64_t array = new_buckets(8);
  uint64_t old = new_buckets(4);
  std::map<int64_t, int64_t> expected;
  int64_t key = 1000;
  for (uint64_t i = 0; i < 8; ++i) {
    for (uint64_t n = 0; n < 3 + 2 * i; ++n) {  // bucket 7 needs two overflow buckets
      append(bucket(array, i), key, -key);
      expected[key] = -key;
      ++key;
    }
  }
  for (uint64_t j : {0, 1, 3}) {
    for (int s = 0; s < 8; ++s) put_slot(bucket(old, j), s, runtime::kEvacuatedX + s % 3, s, s);
  }
  for (int n = 0; n < 12; ++n) {
    append(bucket(old, 2), key, -key);
    expected[key] = -key;
    ++key;
  }
  set_header(static_cast<int64_t>(expected.size()), 3, array, old, 0, 2);

  test::Int64Walk result = walk();
  EXPECT_EQ(result.sorted(), Entries(expected.begin(), expected.end()));
  EXPECT_EQ(result.stats.entries, expected.size());
  EXPECT_TRUE(HasNoWarnings(result.stats));
}

// --- Corruption -----------------------------------------------------------

TEST_F(ClassicMapTest, OverflowCycleWarnsAndEndsTheChain) {
  uint64_t array = new_buckets(1);
  uint64_t a = new_buckets(1);
  uint64_t b = new_buckets(1);
  put_entry(array, 0, 1, 1);
  put_entry(a, 0, 2, 2);
  put_entry(b, 0, 3, 3);
  set_overflow(array, a);
  set_overflow(a, b);
  set_overflow(b, a);  // b -> a -> b -> ...
  set_header(3, 0, array);

  test::Int64Walk result = walk();
  EXPECT_EQ(result.entries, (Entries{{1, 1}, {2, 2}, {3, 3}}));
  EXPECT_TRUE(HasWarning(result.stats, "overflow chain revisits bucket " + hex(a)));
}

TEST_F(ClassicMapTest, OverflowBucketPointingToItselfWarnsAndEndsTheChain) {
  uint64_t array = new_buckets(1);
  uint64_t a = new_buckets(1);
  put_entry(a, 0, 2, 2);
  set_overflow(array, a);
  set_overflow(a, a);
  set_header(1, 0, array);

  test::Int64Walk result = walk();
  EXPECT_EQ(result.entries, (Entries{{2, 2}}));
  EXPECT_TRUE(HasWarning(result.stats, "cycle"));
}

TEST_F(ClassicMapTest, OverflowBucketSharedByTwoChainsIsVisitedOnce) {
  uint64_t array = new_buckets(2);
  uint64_t shared = new_buckets(1);
  put_entry(shared, 0, 9, 9);
  set_overflow(bucket(array, 0), shared);
  set_overflow(bucket(array, 1), shared);
  set_header(1, 1, array);

  test::Int64Walk result = walk();
  EXPECT_EQ(result.entries, (Entries{{9, 9}}));
  EXPECT_TRUE(HasWarning(result.stats, "revisits bucket " + hex(shared)));
}

TEST_F(ClassicMapTest, UnreadableBucketArrayWarnsAndKeepsEntriesBeforeIt) {
  // B=2 but only the first two of four buckets are mapped.
  uint64_t array = mem.alloc(2 * bucket_size(), 8);
  put_entry(bucket(array, 0), 0, 1, 1);
  put_entry(bucket(array, 1), 0, 2, 2);
  set_header(4, 2, array);

  test::Int64Walk result = walk();
  EXPECT_EQ(result.entries, (Entries{{1, 1}, {2, 2}}));
  EXPECT_TRUE(HasWarning(
      result.stats, "bucket array unreadable at " + hex(bucket(array, 2)) + " (bucket 2 of 4)"));
  EXPECT_TRUE(HasWarning(result.stats, "found 2 entries but count is 4"));
}

TEST_F(ClassicMapTest, UnreadableBucketArrayInALaterChunkNamesTheFirstLostBucket) {
  uint64_t array = mem.alloc(30000 * bucket_size(), 8);  // of 2^15 buckets
  put_entry(bucket(array, 29999), 0, 1, 1);
  set_header(1, 15, array);

  test::Int64Walk result = walk();
  EXPECT_EQ(result.entries, (Entries{{1, 1}}));
  EXPECT_TRUE(HasWarning(result.stats, "(bucket 30000 of 32768)"));
}

TEST_F(ClassicMapTest, UnreadableOldBucketArrayIsNamedOld) {
  uint64_t array = new_buckets(2);
  put_entry(bucket(array, 0), 0, 1, 1);
  set_header(1, 1, array, /*oldbuckets=*/0xdead0000);

  test::Int64Walk result = walk();
  EXPECT_EQ(result.entries, (Entries{{1, 1}}));
  EXPECT_TRUE(HasWarning(result.stats, "old bucket array unreadable at 0xdead0000"));
}

TEST_F(ClassicMapTest, UnreadableOverflowBucketWarnsAndTheWalkGoesOn) {
  uint64_t array = new_buckets(2);
  put_entry(bucket(array, 0), 0, 1, 1);
  set_overflow(bucket(array, 0), 0xdead0000);
  put_entry(bucket(array, 1), 0, 2, 2);
  set_header(2, 1, array);

  test::Int64Walk result = walk();
  EXPECT_EQ(result.entries, (Entries{{1, 1}, {2, 2}}));
  EXPECT_TRUE(HasWarning(result.stats, "overflow bucket unreadable at 0xdead0000"));
}

// An absurd B over a readable array: the array is walked from its start
// until count entries are found (a fourth bucket's stale bytes are never read).
TEST_F(ClassicMapTest, AbsurdLog2BucketsWalksTheArrayUntilCountEntries) {
  uint64_t array = new_buckets(4);
  put_entry(bucket(array, 0), 0, 1, 10);
  put_entry(bucket(array, 2), 3, 2, 20);
  put_entry(bucket(array, 3), 0, 99, 99);
  set_header(2, 200, array);
  test::Int64Walk result = walk();
  EXPECT_EQ(result.entries, (Entries{{1, 10}, {2, 20}}));
  EXPECT_TRUE(HasWarning(result.stats,
                         "B = 200 is absurd (at most 34); walked 3 buckets from "
                         "the start of the bucket array at " +
                             hex(array) + " until count (2) entries were found"));
  EXPECT_FALSE(HasWarning(result.stats, "but count is"));
}

// The runtime preallocates overflow buckets right after the array: a
// partial walk follows chains into them, and walks them once.
TEST_F(ClassicMapTest, AbsurdLog2BucketsFollowsChainsIntoPreallocatedOverflowBuckets) {
  uint64_t array = new_buckets(4);  // 2 buckets, then 2 preallocated overflow buckets
  for (int s = 0; s < 8; ++s) put_entry(bucket(array, 0), s, s, s);
  set_overflow(bucket(array, 0), bucket(array, 3));
  put_entry(bucket(array, 3), 0, 8, 8);
  put_entry(bucket(array, 1), 0, 9, 9);
  set_header(11, 200, array);  // one more than there is: the walk goes on to the end
  test::Int64Walk result = walk();
  EXPECT_EQ(
      result.sorted(),
      (Entries{{0, 0}, {1, 1}, {2, 2}, {3, 3}, {4, 4}, {5, 5}, {6, 6}, {7, 7}, {8, 8}, {9, 9}}));
  EXPECT_FALSE(HasWarning(result.stats, "cycle"));
  EXPECT_TRUE(HasWarning(result.stats, "walked 4 buckets"));
}

TEST_F(ClassicMapTest, AbsurdLog2BucketsStopsAtUnreadableMemory) {
  uint64_t array = new_buckets(2);
  put_entry(bucket(array, 1), 0, 7, 70);
  set_header(5, ClassicMap::kMaxLog2Buckets + 1, array);
  test::Int64Walk result = walk();
  EXPECT_EQ(result.entries, (Entries{{7, 70}}));
  EXPECT_TRUE(HasWarning(result.stats, "walked 2 buckets"));
  EXPECT_TRUE(HasWarning(result.stats, "until unreadable memory"));
  EXPECT_TRUE(HasWarning(result.stats, "found 1 entries but count is 5"));
}

TEST_F(ClassicMapTest, AbsurdLog2BucketsWithoutBucketsThrowsLayoutError) {
  set_header(1, 200, 0);
  auto w = walker();  // the header itself is readable
  try {
    w->walk([](const uint8_t*, const uint8_t*) { return true; });
    FAIL() << "expected LayoutError";
  } catch (const LayoutError& e) {
    EXPECT_NE(std::string(e.what()).find("B = 200 is absurd"), std::string::npos) << e.what();
  }
}

TEST_F(ClassicMapTest, Log2BucketsAtTheLimitIsWalkedAsFarAsReadable) {
  uint64_t array = new_buckets(1);
  put_entry(array, 0, 1, 1);
  set_header(1, ClassicMap::kMaxLog2Buckets, array);

  test::Int64Walk result = walk();
  EXPECT_EQ(result.entries, (Entries{{1, 1}}));
  EXPECT_TRUE(HasWarning(result.stats, "bucket array unreadable"));
}

TEST_F(ClassicMapTest, CountMismatchWarns) {
  uint64_t array = new_buckets(1);
  put_entry(array, 0, 1, 1);
  put_entry(array, 1, 2, 2);
  put_entry(array, 2, 3, 3);
  set_header(5, 0, array);

  test::Int64Walk result = walk();
  EXPECT_EQ(result.entries.size(), 3u);
  EXPECT_TRUE(HasWarning(result.stats, "found 3 entries but count is 5"));
  EXPECT_FALSE(HasWarning(result.stats, "being written"));
}

TEST_F(ClassicMapTest, CountMismatchDuringAWriteSaysSo) {
  uint64_t array = new_buckets(1);
  put_entry(array, 0, 1, 1);
  set_header(2, 0, array, 0, runtime::kFlagHashWriting);

  test::Int64Walk result = walk();
  EXPECT_TRUE(
      HasWarning(result.stats, "found 1 entries but count is 2 (the map was being written)"));
}

// --- Visitor --------------------------------------------------------------

TEST_F(ClassicMapTest, VisitorReturningFalseStopsTheWalk) {
  uint64_t array = new_buckets(2);
  put_entry(bucket(array, 0), 0, 1, 1);
  put_entry(bucket(array, 0), 1, 2, 2);
  put_entry(bucket(array, 1), 0, 3, 3);
  set_header(3, 1, array);

  test::Int64Walk result = walk(/*stop_after=*/2);
  EXPECT_EQ(result.entries, (Entries{{1, 1}, {2, 2}}));
  EXPECT_TRUE(result.stats.stopped);
  EXPECT_EQ(result.stats.entries, 2u);
  EXPECT_TRUE(HasNoWarnings(result.stats));  // no count mismatch for a stopped walk
}

TEST_F(ClassicMapTest, VisitorCanStopInsideTheOldBuckets) {
  uint64_t array = new_buckets(2);
  uint64_t old = new_buckets(1);
  put_entry(bucket(array, 0), 0, 1, 1);
  put_entry(old, 0, 2, 2);
  put_entry(old, 1, 3, 3);
  set_header(3, 1, array, old);

  test::Int64Walk result = walk(/*stop_after=*/2);
  EXPECT_EQ(result.entries, (Entries{{1, 1}, {2, 2}}));
  EXPECT_TRUE(result.stats.stopped);
}

TEST_F(ClassicMapTest, CompleteWalkIsNotStopped) {
  uint64_t array = new_buckets(1);
  put_entry(array, 0, 1, 1);
  set_header(1, 0, array);
  EXPECT_FALSE(walk(/*stop_after=*/2).stats.stopped);
}

// --- Indirect keys and values ---------------------------------------------

TEST_F(ClassicMapTest, IndirectKeySlotsAreFollowedToTheKeyBytes) {
  layout = test::classic_layout(types.int64(), types.int64(), /*indirect_key=*/true);
  uint64_t array = new_buckets(1);
  uint64_t key_a = mem.alloc(8), key_b = mem.alloc(8);
  mem.put_i64(key_a, 111);
  mem.put_i64(key_b, 222);
  put_slot(array, 0, kLive, static_cast<int64_t>(key_a), 1);
  put_slot(array, 1, kLive, static_cast<int64_t>(key_b), 2);
  set_header(2, 0, array);

  test::Int64Walk result = walk();
  EXPECT_EQ(result.entries, (Entries{{111, 1}, {222, 2}}));
  EXPECT_TRUE(HasNoWarnings(result.stats));
}

TEST_F(ClassicMapTest, IndirectKeyOfMoreThan128BytesIsReadWhole) {
  const GoType* big = types.array(types.int64(), 20);  // 160 bytes: stored as *[20]int64
  layout = test::classic_layout(big, types.int64(), /*indirect_key=*/true);
  EXPECT_EQ(layout.classic.key_slot, 8u);
  uint64_t array = new_buckets(1);
  uint64_t key = mem.alloc(big->size);
  for (int i = 0; i < 20; ++i) mem.put_i64(key + 8 * i, 100 + i);
  put_slot(array, 0, kLive, static_cast<int64_t>(key), 5);
  set_header(1, 0, array);

  std::vector<int64_t> seen;
  auto w = walker();
  WalkStats stats = w->walk([&](const uint8_t* k, const uint8_t* v) {
    for (int i = 0; i < 20; ++i) seen.push_back(load<int64_t>(k + 8 * i));
    seen.push_back(load<int64_t>(v));
    return true;
  });
  std::vector<int64_t> expected;
  for (int i = 0; i < 20; ++i) expected.push_back(100 + i);
  expected.push_back(5);
  EXPECT_EQ(seen, expected);
  EXPECT_TRUE(HasNoWarnings(stats));
}

TEST_F(ClassicMapTest, IndirectValueSlotsAreFollowedToTheValueBytes) {
  layout = test::classic_layout(types.int64(), types.int64(), false, /*indirect_value=*/true);
  uint64_t array = new_buckets(1);
  uint64_t value = mem.alloc(8);
  mem.put_i64(value, -42);
  put_slot(array, 0, kLive, 7, static_cast<int64_t>(value));
  set_header(1, 0, array);

  EXPECT_EQ(walk().entries, (Entries{{7, -42}}));
}

TEST_F(ClassicMapTest, UnreadableIndirectKeyIsSkippedWithAWarning) {
  layout = test::classic_layout(types.int64(), types.int64(), /*indirect_key=*/true);
  uint64_t array = new_buckets(1);
  uint64_t key = mem.alloc(8);
  mem.put_i64(key, 2);
  put_slot(array, 0, kLive, 0xdead0000, 1);
  put_slot(array, 1, kLive, static_cast<int64_t>(key), 2);
  set_header(2, 0, array);

  test::Int64Walk result = walk();
  EXPECT_EQ(result.entries, (Entries{{2, 2}}));
  EXPECT_EQ(result.stats.entries, 1u);
  EXPECT_TRUE(HasWarning(result.stats, "indirect slot unreadable"));
  EXPECT_TRUE(HasWarning(result.stats, "found 1 entries but count is 2"));
}

// A corrupt map can warn once per bucket: the first WalkStats::kMaxWarnings
// warnings are kept, the rest summed up in one line.
TEST_F(ClassicMapTest, WarningsPastTheLimitAreCounted) {
  uint64_t array = new_buckets(256);
  for (uint64_t i = 0; i < 256; ++i) set_overflow(bucket(array, i), 0xdead00000000 + i * 0x1000);
  set_header(0, 8, array);

  test::Int64Walk result = walk();
  EXPECT_TRUE(result.entries.empty());
  ASSERT_EQ(result.stats.warnings.size(), WalkStats::kMaxWarnings + 1);
  EXPECT_EQ(result.stats.warnings.front(), "overflow bucket unreadable at 0xdead00000000");
  EXPECT_EQ(result.stats.warnings.back(),
            std::to_string(256 - WalkStats::kMaxWarnings) + " more warnings not shown");
}

}  // namespace
}  // namespace gomapdbg
