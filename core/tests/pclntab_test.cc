// Pclntab over a hand-built .gopclntab (go1.20+ format, magic 0xfffffff1).
// Reference: /work/shared/reference/go-runtime-layouts.md §6.2–6.3.
#include "binary/pclntab.h"

#include <gtest/gtest.h>

#include <cstring>

#include "errors.h"

namespace gomapdbg {
namespace {

constexpr uint64_t kTextStart = 0x401000;

// Bytes of a pclntab: a 72-byte pcHeader, then the tables it points to.
class PclntabBuilder {
 public:
  struct Func {
    uint32_t entry_off;
    std::string name;
    std::vector<uint8_t> pcsp, pcfile, pcln;  // encoded pc-value tables
    uint32_t cu_offset = 0;
  };

  // Encodes a pc-value table from (value, pc_length) runs starting at the
  // function entry: zig-zag value deltas from -1 and pc deltas / quantum.
  static std::vector<uint8_t> pcvalue(std::vector<std::pair<int64_t, uint64_t>> runs,
                                      uint8_t quantum = 1) {
    std::vector<uint8_t> out;
    int64_t value = -1;
    for (auto [v, length] : runs) {
      int64_t delta = v - value;
      uvarint(out, delta < 0 ? (static_cast<uint64_t>(-delta - 1) << 1) | 1
                             : static_cast<uint64_t>(delta) << 1);
      uvarint(out, length / quantum);
      value = v;
    }
    out.push_back(0);  // end of table
    return out;
  }

  std::vector<uint8_t> build(uint32_t magic = 0xfffffff1, uint8_t quantum = 1,
                             uint64_t text_start = kTextStart, uint32_t text_size = 0x100) {
    std::vector<uint8_t> d(72, 0);
    put32(d, 0, magic);
    d[6] = quantum;
    d[7] = 8;
    put64(d, 8, funcs.size());
    put64(d, 16, files.size());
    put64(d, 24, text_start);

    uint64_t funcname = d.size();
    std::vector<uint32_t> name_offsets;
    for (const auto& f : funcs) {
      name_offsets.push_back(static_cast<uint32_t>(d.size() - funcname));
      d.insert(d.end(), f.name.begin(), f.name.end());
      d.push_back(0);
    }
    uint64_t filetab = d.size();
    std::vector<uint32_t> file_offsets;
    for (const auto& f : files) {
      file_offsets.push_back(static_cast<uint32_t>(d.size() - filetab));
      d.insert(d.end(), f.begin(), f.end());
      d.push_back(0);
    }
    uint64_t cutab = d.size();
    for (uint32_t off : file_offsets) append32(d, off);
    uint64_t pctab = d.size();
    d.push_back(0);  // offset 0 means "no table"
    struct Tables {
      uint32_t pcsp, pcfile, pcln;
    };
    std::vector<Tables> tables;
    for (const auto& f : funcs) {
      Tables t{};
      auto add = [&](const std::vector<uint8_t>& table, uint32_t& at) {
        if (table.empty()) return;
        at = static_cast<uint32_t>(d.size() - pctab);
        d.insert(d.end(), table.begin(), table.end());
      };
      add(f.pcsp, t.pcsp);
      add(f.pcfile, t.pcfile);
      add(f.pcln, t.pcln);
      tables.push_back(t);
    }
    while (d.size() % 8) d.push_back(0);
    uint64_t functab = d.size();
    uint64_t func_data = (funcs.size() + 1) * 8;  // _func records follow functab
    for (size_t i = 0; i < funcs.size(); ++i) {
      append32(d, funcs[i].entry_off);
      append32(d, static_cast<uint32_t>(func_data + i * 44));
    }
    append32(d, text_size);  // end sentinel
    append32(d, 0);
    for (size_t i = 0; i < funcs.size(); ++i) {
      size_t at = d.size();
      d.resize(at + 44, 0);
      put32(d, at + 0, funcs[i].entry_off);
      put32(d, at + 4, name_offsets[i]);
      put32(d, at + 16, tables[i].pcsp);
      put32(d, at + 20, tables[i].pcfile);
      put32(d, at + 24, tables[i].pcln);
      put32(d, at + 32, funcs[i].cu_offset);
    }
    put64(d, 32, funcname);
    put64(d, 40, cutab);
    put64(d, 48, filetab);
    put64(d, 56, pctab);
    put64(d, 64, functab);
    return d;
  }

  std::vector<Func> funcs;
  std::vector<std::string> files;

 private:
  static void uvarint(std::vector<uint8_t>& out, uint64_t v) {
    while (v >= 0x80) {
      out.push_back(static_cast<uint8_t>(v | 0x80));
      v >>= 7;
    }
    out.push_back(static_cast<uint8_t>(v));
  }
  static void put32(std::vector<uint8_t>& d, size_t at, uint32_t v) { std::memcpy(&d[at], &v, 4); }
  static void put64(std::vector<uint8_t>& d, size_t at, uint64_t v) { std::memcpy(&d[at], &v, 8); }
  static void append32(std::vector<uint8_t>& d, uint32_t v) {
    d.resize(d.size() + 4);
    put32(d, d.size() - 4, v);
  }
};

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

}  // namespace
}  // namespace gomapdbg
