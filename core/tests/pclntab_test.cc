// Pclntab over a hand-built .gopclntab (go1.20+ format, magic 0xfffffff1,
// and the go1.18/1.19 _func layout).
// Reference: /work/shared/reference/go-runtime-layouts.md §6.2–6.3.
#include "binary/pclntab.h"

#include <gtest/gtest.h>

#include <cstring>

#include "errors.h"
#include "tests/pclntab_builder.h"

namespace gomapdbg {
namespace {

using test::kTextStart;
using test::PclntabBuilder;

// main.a at [0, 0x40): frame 0 for 4 bytes, then 0x18; a.go line 10 then 12.
// main.b at [0x40, 0x100): frame 0x28 throughout; b.go line 100.
PclntabBuilder two_functions(uint8_t quantum = 1) {
  PclntabBuilder b;
  b.files = {"/src/a.go", "/src/b.go"};
  b.funcs.push_back({0x0, "main.a", PclntabBuilder::pcvalue({{0, 4}, {0x18, 0x3c}}, quantum),
                     PclntabBuilder::pcvalue({{0, 0x40}}, quantum),
                     PclntabBuilder::pcvalue({{10, 8}, {12, 0x38}}, quantum)});
  b.funcs.push_back({0x40, "main.b", PclntabBuilder::pcvalue({{0x28, 0xc0}}, quantum),
                     PclntabBuilder::pcvalue({{1, 0xc0}}, quantum),
                     PclntabBuilder::pcvalue({{100, 0xc0}}, quantum)});
  return b;
}

TEST(Pclntab, ReadsTheHeader) {
  Pclntab tab(two_functions().build(), 0);
  EXPECT_EQ(tab.magic(), 0xfffffff1u);
}

TEST(Pclntab, Go118MagicIsAccepted) {
  EXPECT_EQ(Pclntab(two_functions().build(0xfffffff0), 0).magic(), 0xfffffff0u);
}

TEST(Pclntab, OlderMagicIsALayoutError) {
  EXPECT_THROW(Pclntab(two_functions().build(0xfffffffa), 0), LayoutError);
}

TEST(Pclntab, TooShortDataIsALayoutError) {
  EXPECT_THROW(Pclntab(std::vector<uint8_t>(71, 0), 0), LayoutError);
}

TEST(Pclntab, TruncatedFunctionTableIsALayoutError) {
  std::vector<uint8_t> data = two_functions().build();
  uint64_t functab;
  std::memcpy(&functab, &data[64], 8);
  data.resize(functab + 16);  // room for 2 of the 3 functab entries
  EXPECT_THROW(Pclntab(data, 0), LayoutError);
}

TEST(Pclntab, FindsTheFunctionContainingAPc) {
  Pclntab tab(two_functions().build(), 0);
  auto a = tab.function(kTextStart);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->name, "main.a");
  EXPECT_EQ(a->entry, kTextStart);
  EXPECT_EQ(tab.function(kTextStart + 0x3f)->name, "main.a");
  auto b = tab.function(kTextStart + 0x40);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->name, "main.b");
  EXPECT_EQ(b->entry, kTextStart + 0x40);
  EXPECT_EQ(tab.function(kTextStart + 0xff)->name, "main.b");
}

TEST(Pclntab, PcOutsideTheTextHasNoFunction) {
  Pclntab tab(two_functions().build(), 0);
  EXPECT_FALSE(tab.function(kTextStart - 1));
  EXPECT_FALSE(tab.function(kTextStart + 0x100));  // the end sentinel
  EXPECT_FALSE(tab.function(0));
}

TEST(Pclntab, CallerTextStartOverridesTheHeader) {
  // go1.26 writes 0 in the header's textStart.
  Pclntab tab(two_functions().build(0xfffffff1, 1, /*text_start=*/0), 0x500000);
  EXPECT_FALSE(tab.function(kTextStart));
  auto b = tab.function(0x500040);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->name, "main.b");
  EXPECT_EQ(b->entry, 0x500040u);
}

TEST(Pclntab, SpDeltaFollowsThePcspTable) {
  Pclntab tab(two_functions().build(), 0);
  GoFunc a = *tab.function(kTextStart);
  EXPECT_EQ(tab.sp_delta(a, kTextStart), 0);
  EXPECT_EQ(tab.sp_delta(a, kTextStart + 3), 0);
  EXPECT_EQ(tab.sp_delta(a, kTextStart + 4), 0x18);
  EXPECT_EQ(tab.sp_delta(a, kTextStart + 0x3f), 0x18);
  EXPECT_FALSE(tab.sp_delta(a, kTextStart + 0x40));  // past the table's end
}

TEST(Pclntab, FileAndLineFollowThePcfileAndPclnTables) {
  Pclntab tab(two_functions().build(), 0);
  GoFunc a = *tab.function(kTextStart);
  EXPECT_EQ(tab.file_line(a, kTextStart + 7),
            std::make_pair(std::string("/src/a.go"), int64_t{10}));
  EXPECT_EQ(tab.file_line(a, kTextStart + 8),
            std::make_pair(std::string("/src/a.go"), int64_t{12}));
  GoFunc b = *tab.function(kTextStart + 0x80);
  EXPECT_EQ(tab.file_line(b, kTextStart + 0x80),
            std::make_pair(std::string("/src/b.go"), int64_t{100}));
  EXPECT_EQ(tab.sp_delta(b, kTextStart + 0x80), 0x28);
}

TEST(Pclntab, PcDeltasAreScaledByTheQuantum) {
  // arm64: minLC 4, pc deltas stored divided by 4.
  Pclntab tab(two_functions(4).build(0xfffffff1, 4), 0);
  GoFunc a = *tab.function(kTextStart);
  EXPECT_EQ(tab.sp_delta(a, kTextStart + 3), 0);
  EXPECT_EQ(tab.sp_delta(a, kTextStart + 4), 0x18);
  EXPECT_EQ(tab.file_line(a, kTextStart + 8)->second, 12);
}

TEST(Pclntab, MissingTableHasNoValue) {
  PclntabBuilder b = two_functions();
  b.funcs[0].pcsp.clear();  // table offset 0
  Pclntab tab(b.build(), 0);
  EXPECT_FALSE(tab.sp_delta(*tab.function(kTextStart), kTextStart));
}

TEST(Pclntab, FlagsFuncIdAndPcdataOfGo120Records) {
  PclntabBuilder b = two_functions();
  b.funcs[1].flag = kFuncFlagTopFrame;
  b.funcs[1].func_id = 7;
  b.funcs[1].pcdata = {{}, {}, PclntabBuilder::pcvalue({{-1, 0x10}, {3, 0xb0}})};
  b.funcs[1].funcdata = {0xffffffff, 0xffffffff, 0xffffffff, 0x120};
  Pclntab tab(b.build(), 0);
  GoFunc fb = *tab.function(kTextStart + 0x40);
  EXPECT_EQ(fb.flag, kFuncFlagTopFrame);
  EXPECT_EQ(fb.func_id, 7);
  EXPECT_EQ(fb.npcdata, 3u);
  EXPECT_EQ(fb.nfuncdata, 4);
  EXPECT_EQ(tab.pcdata(fb, kPcdataInlTreeIndex, kTextStart + 0x40), -1);
  EXPECT_EQ(tab.pcdata(fb, kPcdataInlTreeIndex, kTextStart + 0x50), 3);
  EXPECT_FALSE(tab.pcdata(fb, 0, kTextStart + 0x50));  // table offset 0
  EXPECT_FALSE(tab.pcdata(fb, 5, kTextStart + 0x50));  // beyond npcdata
  EXPECT_EQ(tab.funcdata(fb, kFuncdataInlTree), 0x120u);
  EXPECT_FALSE(tab.funcdata(fb, 0));  // 0xffffffff: none
  EXPECT_FALSE(tab.funcdata(fb, 9));
  GoFunc fa = *tab.function(kTextStart);
  EXPECT_EQ(fa.flag, 0);
  EXPECT_FALSE(tab.funcdata(fa, kFuncdataInlTree));
}

TEST(Pclntab, Go118RecordsKeepFlagsFourBytesEarlier) {
  PclntabBuilder b = two_functions();
  b.funcs[0].flag = kFuncFlagSpWrite;
  b.funcs[0].pcdata = {{}, {}, PclntabBuilder::pcvalue({{2, 0x40}})};
  b.funcs[0].funcdata = {0xffffffff, 0xffffffff, 0xffffffff, 0x40};
  Pclntab tab(b.build(0xfffffff0), 0);
  EXPECT_TRUE(tab.is_go118());
  GoFunc fa = *tab.function(kTextStart + 1);
  EXPECT_EQ(fa.flag, kFuncFlagSpWrite);
  EXPECT_EQ(tab.pcdata(fa, kPcdataInlTreeIndex, kTextStart + 1), 2);
  EXPECT_EQ(tab.funcdata(fa, kFuncdataInlTree), 0x40u);
  EXPECT_EQ(tab.file_line(fa, kTextStart + 8)->second, 12);
}

TEST(Pclntab, EntryOfFindsFunctionsByName) {
  Pclntab tab(two_functions().build(), 0);
  EXPECT_EQ(tab.entry_of("main.b"), kTextStart + 0x40);
  EXPECT_EQ(tab.entry_of("main.a"), kTextStart);
  EXPECT_FALSE(tab.entry_of("main.c"));
}

TEST(Pclntab, FunctionsCanBeWalkedByIndex) {
  Pclntab tab(two_functions().build(), 0);
  ASSERT_EQ(tab.nfunc(), 2u);
  EXPECT_EQ(tab.function_at(0)->name, "main.a");
  EXPECT_EQ(tab.function_at(1)->name, "main.b");
  EXPECT_EQ(tab.function_at(1)->entry, kTextStart + 0x40);
  EXPECT_FALSE(tab.function_at(2));
  EXPECT_EQ(tab.entry_at(2), kTextStart + 0x100);  // the end sentinel: where main.b ends
  EXPECT_THROW(tab.entry_at(3), LayoutError);
}

}  // namespace
}  // namespace gomapdbg
