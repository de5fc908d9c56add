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

// Regression: core/maps/classic_map.cc:54 ClassicMap::walk() never clears the member
// seen_overflow_ (classic_map.h:35), so a second walk() of the same walker
// takes every overflow bucket for a cycle: it warns "overflow chain revisits
// bucket" and loses the overflow entries. Fix: seen_overflow_.clear() at the
// start of walk() (or make the set a local of walk()).
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

// Regression: core/maps/classic_map.cc:106-119 walk_chain() records only overflow
// buckets in seen_overflow_, never the chain's head (a bucket of the array),
// so an overflow pointer back to the head re-reads the head and hands its
// entries to the visitor a second time before the cycle is noticed. Fix:
// insert the head's address (array + i * bucket_size) into the seen set
// before following its chain (pass the address into walk_chain).
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

// Regression: core/maps/swiss_map.cc:40 reads a small map's group with
// memory_.bytes(), which throws MemoryError when dirPtr is unreadable, while
// map_walker.h promises that corrupt structures end a walk "with a warning
// and whatever was found" (as ClassicMap does for an unreadable bucket array
// and SwissMap itself does for unreadable tables and groups). The caller
// (commands/map_command.cc:40) then loses the entry count and all warnings.
// Fix: read_prefix() the group and push a warning when it is short.
TEST_F(SwissMapBugTest, UnreadableSmallMapGroupWarnsInsteadOfThrowing) {
  set_header(3, 0xdead0000, /*dir_len=*/0);

  test::Int64Walk result;
  ASSERT_NO_THROW(result = walk());
  EXPECT_TRUE(result.entries.empty());
  EXPECT_TRUE(HasWarning(result.stats, "0xdead0000"));
}

// Regression: core/maps/swiss_map.cc:49 reads the directory with memory_.bytes(),
// which throws MemoryError when the directory is unreadable (same contract
// as above). Fix: read_prefix() the directory, warn, and walk the entries
// that were readable.
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
