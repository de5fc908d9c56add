// Swiss-table maps (go1.24+ layout), walked from synthetic memory.
// Reference: /work/shared/reference/go-runtime-layouts.md §2.
#include "maps/swiss_map.h"

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
class SwissMapTest : public ::testing::Test, public test::SwissMapImage {};

// --- The hand-built layout itself -----------------------------------------

TEST(SwissLayoutFixture, Int64Int64GroupHasRuntimeOffsets) {
  TypeArena types;
  SwissLayout s = test::swiss_layout(types.int64(), types.int64()).swiss;
  EXPECT_EQ(s.header_size, 48u);
  EXPECT_EQ(s.table_size, 32u);
  EXPECT_EQ(s.ctrl, 0u);
  EXPECT_EQ(test::group_shape(s), (test::GroupShape{false, 8, 16, 16, 16, 136}));
}

// Reference §10: go1.27 mapsplitgroup keeps the 8 keys, then the 8 elems.
TEST(SwissLayoutFixture, SplitGroupsHaveKeysThenElems) {
  TypeArena types;
  SwissLayout s = test::swiss_split_layout(types.int64(), types.int32()).swiss;
  EXPECT_EQ(test::group_shape(s), (test::GroupShape{true, 8, 8, 72, 4, 104}));
}

// Reference §2.3: string keys put the elem at 16; map[int]struct{} slots are 16 bytes.
TEST(SwissLayoutFixture, MatchesSlotLayoutsOfTheCompiler) {
  TypeArena types;
  EXPECT_EQ(test::swiss_layout(types.string(), types.int_()).swiss.elems, 8u + 16u);
  EXPECT_EQ(test::swiss_layout(types.int_(), types.structure("struct {}", {})).swiss.key_stride,
            16u);
}

// --- Header ---------------------------------------------------------------

TEST_F(SwissMapTest, HeaderReportsEveryMapField) {
  set_header(5, 0x1000, 4, 2);
  mem.put_u8(map_addr + 35, 1);   // tombstonePossible
  mem.put_u64(map_addr + 40, 9);  // clearSeq

  auto w = walker();
  const MapHeader& h = w->header();
  EXPECT_EQ(h.address, map_addr);
  EXPECT_EQ(h.count, 5u);
  EXPECT_FALSE(h.writing);
  EXPECT_EQ(header_field(h, "used"), "5");
  EXPECT_EQ(header_field(h, "seed"), "0x5eed");
  EXPECT_EQ(header_field(h, "dirPtr"), "0x1000");
  EXPECT_EQ(header_field(h, "dirLen"), "4");
  EXPECT_EQ(header_field(h, "globalDepth"), "2");
  EXPECT_EQ(header_field(h, "globalShift"), "62");
  EXPECT_EQ(header_field(h, "writing"), "0");
  EXPECT_EQ(header_field(h, "tombstonePossible"), "true");
  EXPECT_EQ(header_field(h, "clearSeq"), "9");
}

TEST_F(SwissMapTest, Go124HeaderWithoutTombstonePossibleOmitsIt) {
  layout.swiss.tombstone_possible.reset();
  set_header(0, 0, 0);
  auto w = walker();
  for (const auto& f : w->header().fields) EXPECT_NE(f.name, "tombstonePossible");
}

TEST_F(SwissMapTest, WritingFlagSetsHeaderWriting) {
  set_header(0, 0, 0, 0, /*writing=*/1);
  auto w = walker();
  EXPECT_TRUE(w->header().writing);
  EXPECT_EQ(header_field(w->header(), "writing"), "1");
}

TEST_F(SwissMapTest, UnreadableHeaderThrowsMemoryError) {
  EXPECT_THROW(make_map_walker(memory, layout, 0x10), MemoryError);
}

TEST_F(SwissMapTest, MakeMapWalkerPicksSwissMapForSwissLayout) {
  set_header(0, 0, 0);
  EXPECT_NE(dynamic_cast<SwissMap*>(walker().get()), nullptr);
}

// --- Empty and small maps -------------------------------------------------

TEST_F(SwissMapTest, NilDirPtrIsAnEmptyMap) {
  set_header(0, 0, 0);
  test::Int64Walk result = walk();
  EXPECT_TRUE(result.entries.empty());
  EXPECT_TRUE(HasNoWarnings(result.stats));
}

TEST_F(SwissMapTest, NilDirPtrWithNonZeroUsedWarns) {
  set_header(3, 0, 0);
  test::Int64Walk result = walk();
  EXPECT_TRUE(result.entries.empty());
  EXPECT_TRUE(HasWarning(result.stats, "dirPtr is nil but used is 3"));
}

TEST_F(SwissMapTest, SmallMapYieldsOnlyFullSlots) {
  uint64_t g = new_groups(1);
  put_slot(g, 0, 0x00, 1, 10);                   // full, H2 = 0
  put_slot(g, 1, runtime::kCtrlEmpty, 2, 20);    // empty (stale bytes)
  put_slot(g, 2, 0x7f, 3, 30);                   // full, H2 = 0x7f
  put_slot(g, 3, runtime::kCtrlDeleted, 4, 40);  // tombstone
  put_slot(g, 5, 0x2a, 6, 60);
  set_header(3, g, /*dir_len=*/0);

  test::Int64Walk result = walk();
  EXPECT_EQ(result.entries, (Entries{{1, 10}, {3, 30}, {6, 60}}));
  EXPECT_EQ(result.stats.entries, 3u);
  EXPECT_TRUE(HasNoWarnings(result.stats));
}

TEST_F(SwissMapTest, SmallMapWithAllEightSlotsFull) {
  uint64_t g = new_groups(1);
  Entries expected;
  for (int s = 0; s < 8; ++s) {
    put_entry(g, s, s + 1, -(s + 1));
    expected.push_back({s + 1, -(s + 1)});
  }
  set_header(8, g, 0);

  test::Int64Walk result = walk();
  EXPECT_EQ(result.entries, expected);
  EXPECT_TRUE(HasNoWarnings(result.stats));
}

// go1.27 mapsplitgroup: the same entries read from the keys and elems arrays
// (the slot bytes an interleaved reading would take are other keys).
TEST_F(SwissMapTest, SplitGroupsAreReadFromTheKeyAndElemArrays) {
  layout = test::swiss_split_layout(types.int64(), types.int64());
  uint64_t g = new_groups(1);
  put_entry(g, 0, 5, 50);
  put_entry(g, 3, 8, 80);
  put_entry(g, 7, 12, 120);
  set_header(3, g, 0);

  test::Int64Walk result = walk();
  EXPECT_EQ(result.entries, (Entries{{5, 50}, {8, 80}, {12, 120}}));
  EXPECT_TRUE(HasNoWarnings(result.stats));
}

TEST_F(SwissMapTest, SmallMapCountMismatchWarns) {
  uint64_t g = new_groups(1);
  put_entry(g, 0, 1, 1);
  set_header(2, g, 0);

  EXPECT_TRUE(HasWarning(walk().stats, "found 1 entries but used is 2"));
}

// --- Directories of tables ------------------------------------------------

TEST_F(SwissMapTest, TableSpanningTwoDirectoryEntriesIsWalkedOnce) {
  // globalDepth 2: table a (localDepth 1) fills entries 0 and 1.
  uint64_t ga = new_groups(2), gb = new_groups(1), gc = new_groups(1);
  put_entry(group(ga, 0), 0, 1, 10);
  put_entry(group(ga, 1), 7, 2, 20);
  put_entry(gb, 3, 3, 30);
  put_entry(gc, 0, 4, 40);
  put_entry(gc, 1, 5, 50);
  uint64_t a = new_table(ga, 1, 1, 0, 2);
  uint64_t b = new_table(gb, 0, 2, 2, 1);
  uint64_t c = new_table(gc, 0, 2, 3, 2);
  set_header(5, new_directory({a, a, b, c}), 4, 2);

  test::Int64Walk result = walk();
  EXPECT_EQ(result.entries, (Entries{{1, 10}, {2, 20}, {3, 30}, {4, 40}, {5, 50}}));
  EXPECT_TRUE(HasNoWarnings(result.stats));
}

// installTableSplit stopped after replaceTable(left): table a (localDepth 1,
// entries 0-1) was split into left and right (localDepth 2); left already
// fills entry 0, right is not installed, a still fills entry 1.
class TableSplitInProgressTest : public SwissMapTest {
 protected:
  void SetUp() override {
    uint64_t ga = new_groups(1), gl = new_groups(1), gr = new_groups(1), gb = new_groups(1);
    put_entry(ga, 0, 1, 10);
    put_entry(ga, 1, 2, 20);
    put_entry(ga, 2, 3, 30);
    put_entry(gl, 0, 1, 10);  // copies
    put_entry(gl, 1, 3, 30);
    put_entry(gr, 0, 2, 20);
    put_entry(gb, 0, 4, 40);
    a = new_table(ga, 0, 1, 0, 3);
    left = new_table(gl, 0, 2, 0, 2);
    right = new_table(gr, 0, 2, 1, 1);
    b = new_table(gb, 0, 1, 2, 1);
    set_header(4, new_directory({left, a, b, b}), 4, 2, /*writing=*/1);
  }
  uint64_t a = 0, left = 0, right = 0, b = 0;
};

TEST_F(TableSplitInProgressTest, TheOldTableIsReadAndTheHalfInstalledOneSkipped) {
  test::Int64Walk result = walk();
  EXPECT_EQ(result.sorted(), (Entries{{1, 10}, {2, 20}, {3, 30}, {4, 40}}));
  EXPECT_TRUE(HasNoWarnings(result.stats));
}

TEST_F(TableSplitInProgressTest, PhysicalViewSaysWhichTableIsBeingInstalledOverWhich) {
  struct Recorder : PhysicalVisitor {
    void table(const TableView& t) override { tables.push_back({t.address, t.replacing}); }
    bool bucket(const BucketView& g) override {
      groups_of.push_back(g.table);
      return true;
    }
    std::vector<std::pair<uint64_t, uint64_t>> tables;
    std::vector<uint64_t> groups_of;
  } recorder;
  auto w = walker();
  w->walk_physical(recorder, nullptr);
  using Pairs = std::vector<std::pair<uint64_t, uint64_t>>;
  EXPECT_EQ(recorder.tables, (Pairs{{left, a}, {a, 0}, {b, 0}}));
  EXPECT_EQ(recorder.groups_of, (std::vector<uint64_t>{a, b}));  // left's groups not walked
}

TEST_F(SwissMapTest, TableGrowInProgressReadsEachEntryOnce) {
  // (*table).grow stopped inside replaceTable(newTable): the new table
  // (same localDepth 1, twice the capacity) fills entry 2, the old one still
  // entry 3; both hold every entry.
  uint64_t gold = new_groups(1), gnew = new_groups(2), gb = new_groups(1);
  put_entry(gold, 0, 1, 10);
  put_entry(gold, 1, 2, 20);
  put_entry(group(gnew, 0), 0, 2, 20);
  put_entry(group(gnew, 1), 0, 1, 10);
  put_entry(gb, 0, 3, 30);
  uint64_t old_table = new_table(gold, 0, 1, 2, 2);
  uint64_t new_table_ = new_table(gnew, 1, 1, 2, 2);
  uint64_t b = new_table(gb, 0, 1, 0, 1);
  set_header(3, new_directory({b, b, new_table_, old_table}), 4, 2, /*writing=*/1);

  test::Int64Walk result = walk();
  EXPECT_EQ(result.sorted(), (Entries{{1, 10}, {2, 20}, {3, 30}}));
  EXPECT_TRUE(HasNoWarnings(result.stats));
}

TEST_F(SwissMapTest, SplitWhileTheDirectoryGrewReadsEachEntryOnce) {
  // installTableSplit grew the directory (globalDepth 1 -> 2, dirLen 4) for
  // a (localDepth 1, now entries 2-3), and replaceTable(left) has set entry 2.
  uint64_t ga = new_groups(1), gl = new_groups(1), gb = new_groups(1);
  put_entry(ga, 0, 1, 10);
  put_entry(ga, 1, 2, 20);
  put_entry(gl, 0, 1, 10);
  put_entry(gb, 0, 3, 30);
  uint64_t a = new_table(ga, 0, 1, 2, 2);
  uint64_t left = new_table(gl, 0, 2, 2, 1);
  uint64_t b = new_table(gb, 0, 1, 0, 1);
  set_header(3, new_directory({b, b, left, a}), 4, 2, /*writing=*/1);

  test::Int64Walk result = walk();
  EXPECT_EQ(result.sorted(), (Entries{{1, 10}, {2, 20}, {3, 30}}));
  EXPECT_TRUE(HasNoWarnings(result.stats));
}

TEST_F(SwissMapTest, EveryEntryOfALargeMapIsVisitedExactlyOnce) {
  // globalDepth 3 with tables of 1, 2 and 4 directory entries and up to 128 groups.
  std::map<int64_t, int64_t> expected;
  int64_t key = 1;
  auto fill_table = [&](uint64_t length_mask, uint8_t local_depth, int64_t index) {
    uint64_t groups = new_groups(length_mask + 1);
    for (uint64_t g = 0; g <= length_mask; ++g) {
      for (int s = 0; s < 8; ++s) {
        if ((g + s) % 3 == 0) continue;  // leave holes
        if ((g + s) % 5 == 0) {
          put_slot(group(groups, g), s, runtime::kCtrlDeleted, 0, 0);
          continue;
        }
        put_entry(group(groups, g), s, key, key * 7);
        expected[key] = key * 7;
        ++key;
      }
    }
    return new_table(groups, length_mask, local_depth, index);
  };
  uint64_t t0 = fill_table(127, 1, 0);  // entries 0..3
  uint64_t t4 = fill_table(15, 2, 4);   // entries 4, 5
  uint64_t t6 = fill_table(0, 3, 6);
  uint64_t t7 = fill_table(3, 3, 7);
  set_header(expected.size(), new_directory({t0, t0, t0, t0, t4, t4, t6, t7}), 8, 3);

  test::Int64Walk result = walk();
  EXPECT_EQ(result.sorted(), Entries(expected.begin(), expected.end()));
  EXPECT_EQ(result.stats.entries, expected.size());
  EXPECT_TRUE(HasNoWarnings(result.stats));
}

TEST_F(SwissMapTest, DirectoryLengthNotMatchingGlobalDepthWarns) {
  uint64_t g = new_groups(1);
  put_entry(g, 0, 1, 1);
  uint64_t t = new_table(g, 0, 0, 0);
  set_header(1, new_directory({t, t}), 2, /*global_depth=*/3);

  test::Int64Walk result = walk();
  EXPECT_EQ(result.entries, (Entries{{1, 1}}));
  EXPECT_TRUE(HasWarning(result.stats, "dirLen 2 does not match globalDepth 3"));
}

// An absurd dirLen over a readable directory: its entries are walked from
// dirPtr until used entries are found.
TEST_F(SwissMapTest, NegativeDirectoryLengthWalksTheDirectoryUntilUsedEntries) {
  uint64_t ga = new_groups(1), gb = new_groups(1);
  put_entry(ga, 0, 1, 10);
  put_entry(gb, 2, 2, 20);
  uint64_t ta = new_table(ga, 0, 1, 0), tb = new_table(gb, 0, 1, 1);
  uint64_t dir = new_directory({ta, tb});
  set_header(2, dir, -4, 1);
  test::Int64Walk result = walk();
  EXPECT_EQ(result.entries, (Entries{{1, 10}, {2, 20}}));
  EXPECT_TRUE(HasWarning(result.stats,
                         "dirLen = -4 is absurd; walked 2 directory entries from "
                         "dirPtr " +
                             hex(dir) + " until used entries were found"));
  EXPECT_FALSE(HasWarning(result.stats, "does not match"));
}

TEST_F(SwissMapTest, HugeDirectoryLengthStopsAtUnreadableMemory) {
  uint64_t g = new_groups(1);
  put_entry(g, 0, 1, 10);
  uint64_t t = new_table(g, 0, 0, 0);
  set_header(3, new_directory({t}), SwissMap::kMaxDirectoryLength + 1, 24);
  test::Int64Walk result = walk();
  EXPECT_EQ(result.entries, (Entries{{1, 10}}));
  EXPECT_TRUE(HasWarning(result.stats, "walked 1 directory entries"));
  EXPECT_TRUE(HasWarning(result.stats, "until unreadable memory"));
  EXPECT_TRUE(HasWarning(result.stats, "found 1 entries but used is 3"));
}

TEST_F(SwissMapTest, AbsurdDirectoryLengthOverUnreadableDirectoryThrowsLayoutError) {
  set_header(1, 0xdead0000, -4, 2);
  auto w = walker();
  try {
    w->walk([](const uint8_t*, const uint8_t*) { return true; });
    FAIL() << "expected LayoutError";
  } catch (const LayoutError& e) {
    EXPECT_NE(std::string(e.what()).find("dirLen = -4 is absurd"), std::string::npos) << e.what();
  }
}

TEST_F(SwissMapTest, NilDirectoryEntryWarnsAndTheOtherTablesAreWalked) {
  uint64_t ga = new_groups(1), gb = new_groups(1);
  put_entry(ga, 0, 1, 1);
  put_entry(gb, 0, 2, 2);
  uint64_t a = new_table(ga, 0, 1, 0);
  uint64_t b = new_table(gb, 0, 1, 2);
  set_header(2, new_directory({a, 0, b, b}), 4, 2);

  test::Int64Walk result = walk();
  EXPECT_EQ(result.entries, (Entries{{1, 1}, {2, 2}}));
  EXPECT_TRUE(HasWarning(result.stats, "directory entry 1 is nil"));
}

TEST_F(SwissMapTest, UnreadableTableWarns) {
  uint64_t g = new_groups(1);
  put_entry(g, 0, 1, 1);
  uint64_t t = new_table(g, 0, 1, 0);
  set_header(1, new_directory({t, 0xdead0000}), 2, 1);

  test::Int64Walk result = walk();
  EXPECT_EQ(result.entries, (Entries{{1, 1}}));
  EXPECT_TRUE(HasWarning(result.stats, "table unreadable at 0xdead0000"));
}

TEST_F(SwissMapTest, AbsurdLengthMaskSkipsTheTableWithAWarning) {
  for (uint64_t mask : {uint64_t{128}, uint64_t{5}, uint64_t{200}, ~uint64_t{0}}) {
    SCOPED_TRACE("lengthMask " + std::to_string(mask));
    uint64_t good_groups = new_groups(1);
    put_entry(good_groups, 0, 1, 1);
    uint64_t good = new_table(good_groups, 0, 1, 0);
    uint64_t bad_groups = new_groups(1);
    put_entry(bad_groups, 0, 2, 2);
    uint64_t bad = new_table(bad_groups, mask, 1, 1);
    set_header(1, new_directory({good, bad}), 2, 1);

    test::Int64Walk result = walk();
    EXPECT_EQ(result.entries, (Entries{{1, 1}}));
    EXPECT_TRUE(HasWarning(result.stats, "table at " + hex(bad) +
                                             " has an absurd group count (lengthMask " +
                                             std::to_string(mask) + "); skipped"));
  }
}

TEST_F(SwissMapTest, LengthMaskOfAFullSizeTableIsAccepted) {
  // maxTableCapacity 1024 slots = 128 groups.
  uint64_t groups = new_groups(128);
  put_entry(group(groups, 127), 7, 1, 1);
  set_header(1, new_directory({new_table(groups, 127, 0, 0)}), 1, 0);

  test::Int64Walk result = walk();
  EXPECT_EQ(result.entries, (Entries{{1, 1}}));
  EXPECT_TRUE(HasNoWarnings(result.stats));
}

TEST_F(SwissMapTest, UnreadableGroupsWarnAndKeepTheGroupsBeforeThem) {
  uint64_t groups = mem.alloc(group_size(), 8);  // 1 of 4 groups mapped
  mem.put_u64(groups, 0x8080808080808080);
  put_entry(groups, 2, 1, 1);
  uint64_t t = new_table(groups, 3, 0, 0);
  set_header(4, new_directory({t}), 1, 0);

  test::Int64Walk result = walk();
  EXPECT_EQ(result.entries, (Entries{{1, 1}}));
  EXPECT_TRUE(HasWarning(
      result.stats, "groups of table " + hex(t) + " unreadable at " + hex(groups + group_size())));
  EXPECT_TRUE(HasWarning(result.stats, "found 1 entries but used is 4"));
}

TEST_F(SwissMapTest, CountMismatchDuringAWriteSaysSo) {
  uint64_t g = new_groups(1);
  put_entry(g, 0, 1, 1);
  set_header(2, g, 0, 0, /*writing=*/1);

  EXPECT_TRUE(
      HasWarning(walk().stats, "found 1 entries but used is 2 (the map was being written)"));
}

// --- Visitor --------------------------------------------------------------

TEST_F(SwissMapTest, VisitorReturningFalseStopsASmallMapWalk) {
  uint64_t g = new_groups(1);
  put_entry(g, 0, 1, 1);
  put_entry(g, 1, 2, 2);
  put_entry(g, 2, 3, 3);
  set_header(3, g, 0);

  test::Int64Walk result = walk(/*stop_after=*/1);
  EXPECT_EQ(result.entries, (Entries{{1, 1}}));
  EXPECT_TRUE(result.stats.stopped);
  EXPECT_TRUE(HasNoWarnings(result.stats));
}

TEST_F(SwissMapTest, VisitorReturningFalseStopsADirectoryWalk) {
  uint64_t ga = new_groups(1), gb = new_groups(1);
  put_entry(ga, 0, 1, 1);
  put_entry(ga, 1, 2, 2);
  put_entry(gb, 0, 3, 3);
  set_header(3, new_directory({new_table(ga, 0, 1, 0), new_table(gb, 0, 1, 1)}), 2, 1);

  test::Int64Walk result = walk(/*stop_after=*/2);
  EXPECT_EQ(result.entries, (Entries{{1, 1}, {2, 2}}));
  EXPECT_TRUE(result.stats.stopped);
  EXPECT_TRUE(HasNoWarnings(result.stats));
}

// --- Indirect keys and values ---------------------------------------------

TEST_F(SwissMapTest, IndirectKeysAndValuesAreFollowed) {
  layout = test::swiss_layout(types.int64(), types.int64(), true, true);
  uint64_t key = mem.alloc(8), value = mem.alloc(8);
  mem.put_i64(key, 123);
  mem.put_i64(value, 456);
  uint64_t g = new_groups(1);
  put_slot(g, 4, 0x11, static_cast<int64_t>(key), static_cast<int64_t>(value));
  set_header(1, g, 0);

  test::Int64Walk result = walk();
  EXPECT_EQ(result.entries, (Entries{{123, 456}}));
  EXPECT_TRUE(HasNoWarnings(result.stats));
}

TEST_F(SwissMapTest, UnreadableIndirectValueIsSkippedWithAWarning) {
  layout = test::swiss_layout(types.int64(), types.int64(), false, true);
  uint64_t g = new_groups(1);
  put_slot(g, 0, 0x11, 1, 0xdead0000);
  set_header(1, g, 0);

  test::Int64Walk result = walk();
  EXPECT_TRUE(result.entries.empty());
  EXPECT_TRUE(HasWarning(result.stats, "indirect slot unreadable"));
}

// A directory of garbage (every entry a different unreadable pointer) stops
// after kMaxBadDirectoryEntries: it used to try all 2^23 allowed entries,
// one failed read and one warning each (seconds under the fuzzer, minutes
// through a debugger).
TEST_F(SwissMapTest, GarbageDirectoryIsCutAfterTooManyBadEntries) {
  class CountingReader : public MemoryReader {
   public:
    explicit CountingReader(MemoryReader& inner) : inner_(inner) {}
    size_t read(uint64_t address, void* out, size_t size) override {
      ++calls;
      return inner_.read(address, out, size);
    }
    size_t calls = 0;

   private:
    MemoryReader& inner_;
  };
  uint64_t g = new_groups(1);
  put_entry(g, 0, 1, 1);
  std::vector<uint64_t> tables(4096);
  tables[0] = new_table(g, 0, 12, 0);
  for (size_t i = 1; i < tables.size(); ++i) tables[i] = 0xdead00000000 + i * 0x1000;
  set_header(1, new_directory(tables), 4096, 12);

  CountingReader counting(mem);
  Memory counted(counting);
  auto w = make_map_walker(counted, layout, map_addr);
  test::Int64Walk result = test::walk_int64(*w);
  EXPECT_EQ(result.entries, (Entries{{1, 1}}));
  EXPECT_TRUE(HasWarning(result.stats, "table unreadable at 0xdead00001000"));
  uint64_t bad = SwissMap::kMaxBadDirectoryEntries;
  EXPECT_TRUE(HasWarning(result.stats, "more than " + std::to_string(bad) +
                                           " directory entries are nil or point to unreadable "
                                           "tables; walk cut at entry " +
                                           std::to_string(bad + 2) + " of 4096"));
  EXPECT_LT(counting.calls, bad + 10);  // header, directory, one table and its groups, the bad
}

TEST_F(SwissMapTest, NilDirectoryEntriesCountAsBad) {
  uint64_t g = new_groups(1);
  put_entry(g, 0, 1, 1);
  std::vector<uint64_t> tables(1024, 0);
  tables[1023] = new_table(g, 0, 10, 1023);
  set_header(1, new_directory(tables), 1024, 10);

  test::Int64Walk result = walk();
  EXPECT_TRUE(result.entries.empty());  // the one table is past the cut
  EXPECT_TRUE(HasWarning(result.stats, "walk cut at entry 65 of 1024"));
  EXPECT_TRUE(HasWarning(result.stats, "found 0 entries but used is 1"));
}

}  // namespace
}  // namespace gomapdbg
