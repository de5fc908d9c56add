// Where a hash leads in a map (maps/hash_home.h), on hand-built maps.
// Reference: /work/shared/reference/go-runtime-layouts.md §1, §2.
#include "maps/hash_home.h"

#include <gtest/gtest.h>

#include "synthetic_memory.h"

namespace gomapdbg {
namespace {

class ClassicHashHome : public ::testing::Test, public test::ClassicMapImage {};
class SwissHashHome : public ::testing::Test, public test::SwissMapImage {};

TEST_F(ClassicHashHome, BucketIsTheHashMaskedToBBits) {
  set_header(0, 3, new_buckets(8));
  mem.put_u32(hmap + 12, 0xdeadbeef);  // hash0
  EXPECT_EQ(map_hash_seed(memory, layout, hmap), 0xdeadbeefu);
  auto home = hash_home(memory, layout, hmap, 0xabcdef0123456789);
  ASSERT_TRUE(home);
  EXPECT_EQ(home->index, 0x89u & 7);
  EXPECT_EQ(home->table, 0u);
}

TEST_F(ClassicHashHome, AbsurdBHasNoHome) {
  set_header(0, 200, 0);
  EXPECT_FALSE(hash_home(memory, layout, hmap, 1));
}

TEST_F(SwissHashHome, SmallMapHasOneGroup) {
  set_header(3, new_groups(1), 0);
  EXPECT_EQ(map_hash_seed(memory, layout, map_addr), 0x5eedu);
  auto home = hash_home(memory, layout, map_addr, ~uint64_t{0});
  ASSERT_TRUE(home);
  EXPECT_EQ(home->table, 0u);
  EXPECT_EQ(home->index, 0u);
}

TEST_F(SwissHashHome, TopBitsPickTheTableAndH1PicksTheFirstGroup) {
  // Two tables, globalDepth 1: the top bit of the hash picks the entry.
  uint64_t low = new_table(new_groups(4), 3, 1, 0), high = new_table(new_groups(8), 7, 1, 1);
  set_header(0, new_directory({low, high}), 2, 1);
  uint64_t hash = (uint64_t{1} << 63) | (uint64_t{5} << 7) | 0x2a;  // H1 low bits 5, H2 0x2a
  auto home = hash_home(memory, layout, map_addr, hash);
  ASSERT_TRUE(home);
  EXPECT_EQ(home->table, high);
  EXPECT_EQ(home->index, 5u);
  home = hash_home(memory, layout, map_addr, hash & ~(uint64_t{1} << 63));
  ASSERT_TRUE(home);
  EXPECT_EQ(home->table, low);
  EXPECT_EQ(home->index, 5u & 3);
}

TEST_F(SwissHashHome, UnreadableDirectoryHasNoHome) {
  set_header(0, 0x10, 4, 2);
  EXPECT_FALSE(hash_home(memory, layout, map_addr, 1));
}

}  // namespace
}  // namespace gomapdbg
