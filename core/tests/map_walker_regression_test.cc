// Regression tests for bugs found by review; each was failing before its fix.
#include <gtest/gtest.h>

#include "errors.h"
#include "maps/classic_map.h"
#include "maps/swiss_map.h"
#include "synthetic_memory.h"

namespace gomapdbg {
namespace {

using test::HasNoWarnings;
using test::HasWarning;
using Entries = std::vector<std::pair<int64_t, int64_t>>;

class ClassicMapBugTest : public ::testing::Test, public test::ClassicMapImage {};
class SwissMapBugTest : public ::testing::Test, public test::SwissMapImage {};

// A second walk of the same walker yields the same entries and no warning.
// The bug: the set of overflow buckets already seen outlived a walk, so the
// second walk took every overflow bucket for a cycle ("overflow chain
// revisits bucket") and lost the overflow entries.
TEST_F(ClassicMapBugTest, WalkingTwiceYieldsTheSameEntries) {
  uint64_t array = new_buckets(1);
  uint64_t overflow = new_buckets(1);
  put_entry(array, 0, 1, 1);
  put_entry(overflow, 0, 2, 2);
  set_overflow(array, overflow);
  set_header(2, 0, array);

  auto w = walker();
  test::Int64Walk first = test::walk_int64(*w);
  test::Int64Walk second = test::walk_int64(*w);
  EXPECT_EQ(first.entries, (Entries{{1, 1}, {2, 2}}));
  EXPECT_EQ(second.entries, first.entries);
  EXPECT_TRUE(HasNoWarnings(second.stats));
}

// An overflow pointer back to the chain's head (a bucket of the array) is a
// cycle: each entry is visited once, with a warning. The bug: only overflow
// buckets were recorded as seen, never the head, so the head was re-read and
// its entries handed to the visitor a second time before the cycle was
// noticed.
TEST_F(ClassicMapBugTest, OverflowCycleBackToTheHeadBucketVisitsEachEntryOnce) {
  uint64_t array = new_buckets(1);
  uint64_t overflow = new_buckets(1);
  put_entry(array, 0, 1, 1);
  put_entry(overflow, 0, 2, 2);
  set_overflow(array, overflow);
  set_overflow(overflow, array);  // back to the head
  set_header(2, 0, array);

  test::Int64Walk result = walk();
  EXPECT_EQ(result.entries, (Entries{{1, 1}, {2, 2}}));
  EXPECT_TRUE(HasWarning(result.stats, "cycle"));
}

// An unreadable small map group (dirPtr) ends the walk with a warning, as
// map_walker.h promises for corrupt structures ("with a warning and whatever
// was found"), like an unreadable bucket array, table or group. The bug: the
// walk threw MemoryError, and the map command lost the entry count and all
// warnings.
TEST_F(SwissMapBugTest, UnreadableSmallMapGroupWarnsInsteadOfThrowing) {
  set_header(3, 0xdead0000, /*dir_len=*/0);

  test::Int64Walk result;
  ASSERT_NO_THROW(result = walk());
  EXPECT_TRUE(result.entries.empty());
  EXPECT_TRUE(HasWarning(result.stats, "0xdead0000"));
}

// An unreadable directory ends the walk with a warning (same contract as
// above); the readable entries before a hole are walked. The bug: the walk
// threw MemoryError.
TEST_F(SwissMapBugTest, UnreadableDirectoryWarnsInsteadOfThrowing) {
  set_header(3, 0xdead0000, 4, 2);

  test::Int64Walk result;
  ASSERT_NO_THROW(result = walk());
  EXPECT_TRUE(result.entries.empty());
  EXPECT_TRUE(HasWarning(result.stats, "0xdead0000"));
}

TEST_F(SwissMapBugTest, PartlyReadableDirectoryKeepsTheTablesBeforeTheHole) {
  uint64_t g = new_groups(1);
  put_entry(g, 0, 1, 1);
  uint64_t dir = mem.alloc(8, 8);  // 1 of 2 directory entries mapped
  mem.put_u64(dir, new_table(g, 0, 1, 0));
  set_header(2, dir, 2, 1);

  test::Int64Walk result;
  ASSERT_NO_THROW(result = walk());
  EXPECT_EQ(result.entries, (Entries{{1, 1}}));
  EXPECT_TRUE(HasWarning(result.stats, hex(dir + 8)));
}

}  // namespace
}  // namespace gomapdbg
