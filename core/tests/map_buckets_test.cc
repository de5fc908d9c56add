// The physical view (`go map --buckets`, `--key`, and their --json form) on
// hand-built maps in synthetic memory: addresses, chains, control bytes,
// tombstones, summary, histograms and the occupancy picture.
#include "commands/map_buckets.h"

#include <gtest/gtest.h>

#include <string>

#include "synthetic_memory.h"
#include "values/json_renderer.h"
#include "values/value_renderer.h"

namespace gomapdbg {
namespace {

bool has_line(const std::string& text, const std::string& line) {
  return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

std::string run(MapWalker& walker, const MapLayout& layout, const Memory& memory,
                BucketViewRequest listing, bool json = false) {
  std::string text;
  Output out([&](const std::string& s) { text += s; });
  ValueRenderer renderer(memory, nullptr);
  JsonRenderer json_renderer(memory, nullptr);
  if (json) listing.json = &json_renderer;
  print_buckets(walker, layout, renderer, listing, out);
  out.flush();
  return text;
}

// 4 buckets: 0 holds two entries around a tombstone, 1 is empty, 2 is full
// with one more entry in an overflow bucket, 3 holds one entry.
class ClassicBucketsTest : public ::testing::Test, public test::ClassicMapImage {
 protected:
  void SetUp() override {
    array = new_buckets(4);
    set_header(12, 2, array);
    put_entry(bucket(array, 0), 0, 10, 100);
    put_slot(bucket(array, 0), 1, runtime_empty_one, 0, 0);
    put_entry(bucket(array, 0), 2, 11, 110);
    for (int s = 0; s < 8; ++s) put_entry(bucket(array, 2), s, 20 + s, 200 + s);
    overflow = new_buckets(1);
    set_overflow(bucket(array, 2), overflow);
    put_entry(overflow, 0, 28, 208);
    put_entry(bucket(array, 3), 0, 30, 300);
  }
  static constexpr uint8_t runtime_empty_one = 1;
  uint64_t array = 0, overflow = 0;
};

TEST_F(ClassicBucketsTest, TextShowsChainsTombstonesAndSummary) {
  auto w = walker();
  std::string text = run(*w, layout, memory, BucketViewRequest{});
  EXPECT_TRUE(has_line(text, "bucket 0 @ " + hex(bucket(array, 0)))) << text;
  EXPECT_TRUE(has_line(text, "  tophash a5 01 a5 00 00 00 00 00")) << text;
  EXPECT_TRUE(has_line(text, "  [0] a5  10: 100")) << text;
  EXPECT_TRUE(has_line(text, "  [1] emptyOne")) << text;
  EXPECT_TRUE(has_line(text, "  [3-7] emptyRest")) << text;
  EXPECT_TRUE(has_line(text, "  overflow -> " + hex(overflow))) << text;
  EXPECT_TRUE(has_line(text, "bucket 2 overflow 1 @ " + hex(overflow))) << text;
  EXPECT_TRUE(has_line(text, "  [0] a5  28: 208")) << text;
  EXPECT_TRUE(has_line(text,
                       "summary: 4 buckets + 1 overflow, 12 live, 1 tombstones (emptyOne); load "
                       "factor 3.00 entries/bucket (the runtime grows at 6.5)"))
      << text;
  EXPECT_TRUE(has_line(text, "chain lengths: 1×3 2×1")) << text;
  EXPECT_TRUE(has_line(text, "live slots per bucket: 0×1 1×2 2×1 8×1")) << text;
  EXPECT_TRUE(has_line(text, "  2.+1")) << text;
  EXPECT_EQ(text.find("warning"), std::string::npos) << text;
}

TEST_F(ClassicBucketsTest, LimitCountsBucketsAndSaysWhatIsLeft) {
  auto w = walker();
  BucketViewRequest listing;
  listing.limit = 2;
  std::string text = run(*w, layout, memory, listing);
  EXPECT_TRUE(has_line(text, "(3 more buckets not shown; --all shows every one)")) << text;
  EXPECT_EQ(text.find("bucket 2 @"), std::string::npos) << text;
  EXPECT_NE(text.find("12 live"), std::string::npos) << text;  // the summary covers all
}

TEST_F(ClassicBucketsTest, KeyFindsItsBucketInAnOverflowChain) {
  auto w = walker();
  BucketViewRequest listing;
  listing.key = "28";
  std::string text = run(*w, layout, memory, listing);
  EXPECT_TRUE(has_line(text, "key 28 is in bucket 2 overflow 1, slot 0")) << text;
  EXPECT_TRUE(has_line(text, "bucket 2 overflow 1 @ " + hex(overflow))) << text;
  EXPECT_EQ(text.find("summary"), std::string::npos) << text;
}

TEST_F(ClassicBucketsTest, AbsentKeyShowsWhereItsHashGoes) {
  auto w = walker();
  BucketViewRequest listing;
  listing.key = "99";
  listing.hash = 0x1233;
  listing.home = HashHome{0, 3};
  std::string text = run(*w, layout, memory, listing);
  EXPECT_TRUE(has_line(text, "key 99 is not in the map")) << text;
  EXPECT_TRUE(has_line(text, "a key with its hash 0x1233 goes to bucket 3:")) << text;
  EXPECT_TRUE(has_line(text, "bucket 3 @ " + hex(bucket(array, 3)))) << text;
}

TEST_F(ClassicBucketsTest, JsonHasChainsSlotsAndSummary) {
  auto w = walker();
  std::string text = run(*w, layout, memory, BucketViewRequest{}, true);
  EXPECT_NE(text.find("{\"index\": 2, \"old\": false, \"evacuated\": false, \"address\": \"" +
                      hex(bucket(array, 2)) + "\", \"chain\": [{\"address\": \"" +
                      hex(bucket(array, 2)) + "\", \"chain_position\": 0"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("{\"address\": \"" + hex(overflow) + "\", \"chain_position\": 1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("{\"index\": 1, \"state\": \"emptyOne\", \"control\": 1}"), std::string::npos)
      << text;
  EXPECT_NE(text.find("{\"index\": 0, \"state\": \"live\", \"control\": 165, \"key\": 28, "
                      "\"value\": 208}"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\"summary\": {\"buckets\": 4, \"overflow_buckets\": 1, \"live\": 12, "
                      "\"tombstones\": 1, \"load_factor\": 3.0000"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\"chain_lengths\": {\"1\": 3, \"2\": 1}"), std::string::npos) << text;
  EXPECT_NE(text.find("\"occupancy\": \"2.+1\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"shown\": 5, \"complete\": true"), std::string::npos) << text;
  EXPECT_NE(text.find("\"warnings\": []}"), std::string::npos) << text;
}

TEST_F(ClassicBucketsTest, JsonKeyGivesItsBucketAndAbsentKeyItsHome) {
  {
    auto w = walker();
    BucketViewRequest listing;
    listing.key = "11";
    std::string text = run(*w, layout, memory, listing, true);
    // An int key is a number, as in the listing.
    EXPECT_NE(text.find("\"key\": 11, \"found\": true, \"bucket\": {\"index\": 0"),
              std::string::npos)
        << text;
  }
  auto w = walker();
  BucketViewRequest listing;
  listing.key = "99";
  listing.hash = 0x1233;
  listing.home = HashHome{0, 2};
  std::string text = run(*w, layout, memory, listing, true);
  EXPECT_NE(text.find("\"key\": 99, \"found\": false, \"hash\": \"0x1233\""), std::string::npos)
      << text;
  EXPECT_NE(text.find("\"home\": {\"index\": 2, \"table\": \"0x0\", \"chain\": [{\"address\": \"" +
                      hex(bucket(array, 2)) + "\""),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("{\"address\": \"" + hex(overflow) + "\""), std::string::npos) << text;
}

// Two tables (globalDepth 1): A with two groups, three entries and a
// deleted slot; B with one group and one entry.
class SwissBucketsTest : public ::testing::Test, public test::SwissMapImage {
 protected:
  void SetUp() override {
    groups_a = new_groups(2);
    put_entry(group(groups_a, 0), 0, 1, 10);
    put_entry(group(groups_a, 0), 1, 2, 20);
    put_slot(group(groups_a, 0), 2, 0xFE, 0, 0);
    put_entry(group(groups_a, 1), 5, 3, 30);
    groups_b = new_groups(1);
    put_entry(group(groups_b, 0), 7, 4, 40);
    table_a = new_table(groups_a, 1, 1, 0, 3);
    table_b = new_table(groups_b, 0, 1, 1, 1);
    set_header(4, new_directory({table_a, table_b}), 2, 1);
  }
  uint64_t groups_a = 0, groups_b = 0, table_a = 0, table_b = 0;
};

TEST_F(SwissBucketsTest, TextShowsTablesGroupsAndSummary) {
  auto w = walker();
  std::string text = run(*w, layout, memory, BucketViewRequest{});
  EXPECT_TRUE(has_line(text, "table 0 @ " + hex(table_a) +
                                 ": directory entry 0, localDepth 1, used 3, capacity 16, "
                                 "growthLeft 0, 2 groups @ " +
                                 hex(groups_a)))
      << text;
  EXPECT_TRUE(has_line(text, "group 1 of table " + hex(table_a) + " @ " + hex(group(groups_a, 1))))
      << text;
  EXPECT_TRUE(has_line(text, "  ctrl    01 02 fe 80 80 80 80 80")) << text;
  EXPECT_TRUE(has_line(text, "  [2] deleted")) << text;
  EXPECT_TRUE(has_line(text,
                       "summary: 2 tables, 3 groups, 24 slots, 4 live, 1 deleted; load 16.7% "
                       "(tables grow at 87.5%)"))
      << text;
  EXPECT_TRUE(has_line(text, "live slots per group: 1×2 2×1")) << text;
  EXPECT_TRUE(has_line(text, "  211")) << text;
}

TEST_F(SwissBucketsTest, JsonHasTablesGroupsAndSummary) {
  auto w = walker();
  std::string text = run(*w, layout, memory, BucketViewRequest{}, true);
  EXPECT_NE(text.find("{\"address\": \"" + hex(table_b) +
                      "\", \"directory_first\": 1, \"directory_entries\": 1, \"local_depth\": 1, "
                      "\"used\": 1, \"capacity\": 8"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("{\"index\": 0, \"table\": \"" + hex(table_a) + "\", \"address\": \"" +
                      hex(group(groups_a, 0)) + "\", \"ctrl\": [1, 2, 254, 128"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("{\"index\": 2, \"state\": \"deleted\", \"control\": 254}"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\"summary\": {\"tables\": 2, \"groups\": 3, \"slots\": 24, \"live\": 4, "
                      "\"deleted\": 1, \"load\": 0.1667, \"tables_being_installed\": 0, "
                      "\"live_per_group\": {\"1\": 2, \"2\": 1}, "
                      "\"occupancy\": \"211\"}"),
            std::string::npos)
      << text;
}

TEST(SwissSmallBuckets, SmallMapIsOneGroupWithoutTables) {
  test::SwissMapImage m;
  uint64_t g = m.new_groups(1);
  m.put_entry(g, 0, 5, 50);
  m.set_header(1, g, 0);
  auto w = m.walker();
  std::string text = run(*w, m.layout, m.memory, BucketViewRequest{});
  EXPECT_TRUE(has_line(text, "group 0 @ " + hex(g))) << text;
  EXPECT_TRUE(has_line(text,
                       "summary: 0 tables, 1 group, 8 slots, 1 live, 0 deleted; load 12.5% "
                       "(tables grow at 87.5%)"))
      << text;
}

}  // namespace
}  // namespace gomapdbg
