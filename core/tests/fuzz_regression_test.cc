// Regression tests for bugs the fuzz targets of core/fuzz found; each input
// is the crashing one, reduced and rebuilt by hand, and failed (under
// ASan+UBSan: build-asan, scripts/test) before its fix.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <string>

#include "binary/dwarf_location.h"
#include "binary/pclntab.h"
#include "elf/elf_image.h"
#include "errors.h"
#include "maps/map_walker.h"
#include "synthetic_memory.h"
#include "types/runtime_types.h"
#include "values/json_renderer.h"
#include "values/value_access.h"
#include "values/value_renderer.h"

namespace gomapdbg {
namespace {

void put64(std::vector<uint8_t>& d, size_t off, uint64_t v) { std::memcpy(&d[off], &v, 8); }
void put32(std::vector<uint8_t>& d, size_t off, uint32_t v) { std::memcpy(&d[off], &v, 4); }

// A slice header {data, len, cap = len}, as a value's bytes.
std::vector<uint8_t> slice_header(uint64_t data, uint64_t len) {
  std::vector<uint8_t> d(24);
  put64(d, 0, data);
  put64(d, 8, len);
  put64(d, 16, len);
  return d;
}

// A go1.20+ pclntab header (72 bytes) followed by `extra` zero bytes.
std::vector<uint8_t> pclntab_header(uint64_t nfunc, uint64_t functab, size_t extra) {
  std::vector<uint8_t> d(72 + extra, 0);
  put32(d, 0, 0xfffffff1);
  d[6] = 1;
  d[7] = 8;
  put64(d, 8, nfunc);
  put64(d, 64, functab);
  return d;
}

// pclntab_fuzz: nfunc = 2^64-1 made `functab + (nfunc + 1) * 8` wrap to a
// small number, the size check passed and function() read out of bounds.
TEST(PclntabFuzzRegression, HugeFunctionCountIsTruncatedNotWrapped) {
  EXPECT_THROW(Pclntab(pclntab_header(~uint64_t{0}, 72, 64), 0x401000), LayoutError);
  EXPECT_THROW(Pclntab(pclntab_header(uint64_t{1} << 61, 72, 64), 0x401000), LayoutError);
  EXPECT_THROW(Pclntab(pclntab_header(1, ~uint64_t{0} - 3, 64), 0x401000), LayoutError);
}

// pclntab_fuzz: a funcoff near 2^64 made u32()'s `off + 4 > size` wrap, and
// the _func record was read far outside the table.
TEST(PclntabFuzzRegression, OffsetsNearTheTopOfTheAddressSpaceAreOutOfBounds) {
  std::vector<uint8_t> d = pclntab_header(1, 72, 16);
  put32(d, 72, 0);           // entry 0: entryoff 0
  put32(d, 76, 0xfffffffe);  // funcoff: the _func record is far past the end
  put32(d, 80, 0x100);       // end sentinel
  put64(d, 64, 72);
  Pclntab tab(d, 0x401000);
  EXPECT_THROW(tab.function(0x401010), LayoutError);
}

// pclntab_fuzz (UBSan): pc-value deltas summed in an int64 overflowed.
TEST(PclntabFuzzRegression, PcValueDeltasWrapInsteadOfOverflowing) {
  std::vector<uint8_t> d = pclntab_header(1, 72, 96);
  put32(d, 72, 0);
  put32(d, 76, 24);      // _func at functab + 24 = 96
  put32(d, 80, 0x40);    // end sentinel
  put64(d, 56, 120);     // pctab at 120
  put32(d, 96 + 16, 1);  // pcsp table at pctab + 1
  // Two value deltas of 2^62 - 1 each, the first pc delta 1 so that the
  // lookup at entry + 1 needs both.
  std::vector<uint8_t> table = {0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 1,
                                0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 1};
  std::copy(table.begin(), table.end(), d.begin() + 121);
  Pclntab tab(d, 0x401000);
  auto fn = tab.function(0x401001);
  ASSERT_TRUE(fn);
  auto delta = tab.sp_delta(*fn, 0x401001);
  ASSERT_TRUE(delta);
}

// pclntab_fuzz: a PC below the first function's entry was attributed to
// the first function (the binary search starts at index 0).
TEST(PclntabFuzzRegression, PcBeforeTheFirstFunctionHasNone) {
  std::vector<uint8_t> d = pclntab_header(1, 72, 96);
  put32(d, 72, 0x20);  // the only function starts at text + 0x20
  put32(d, 76, 24);
  put32(d, 80, 0x40);  // end sentinel
  Pclntab tab(d, 0x401000);
  EXPECT_FALSE(tab.function(0x401010));
  ASSERT_TRUE(tab.function(0x401020));
  EXPECT_EQ(tab.function(0x401020)->entry, 0x401020u);
}

// core_file_fuzz (LeakSanitizer): a 32-bit ELF made ElfFile's constructor
// throw after elf_begin() and open(), leaking both (no destructor runs).
TEST(ElfFileFuzzRegression, ThirtyTwoBitElfLeaksNothing) {
  std::string path = ::testing::TempDir() + "elf32";
  std::vector<char> header(64, 0);
  const char ident[] = {0x7f, 'E', 'L', 'F', 1, 1, 1};
  std::copy(ident, ident + sizeof ident, header.begin());
  std::ofstream(path, std::ios::binary).write(header.data(), header.size());
  int before = ::dup(0);
  ::close(before);
  EXPECT_THROW(ElfFile file(path), Error);
  int after = ::dup(0);
  ::close(after);
  EXPECT_EQ(after, before) << "a file descriptor leaked";
}

// core_file_fuzz (timeout): e_phnum = PN_XNUM takes the real count from
// section 0's sh_info, here 0xffffffff; ElfFile looped over four billion
// unreadable program headers. The fuzzer's input, its first 72 bytes (the
// ELF header and section 0, which overlaps it) padded with zeros.
TEST(ElfFileFuzzRegression, ProgramHeaderCountFromSectionZeroIsBounded) {
  const char* hex_bytes =
      "7f454c4602010100000049010000000002003e000100000060ec45000000000040000061a000905f"
      "0800000000000000d8110000ffffffffffffff0f000000000000000040003800";
  std::vector<char> file(1024, 0);
  for (size_t i = 0; hex_bytes[2 * i]; ++i)
    file[i] = static_cast<char>(std::stoi(std::string(hex_bytes + 2 * i, 2), nullptr, 16));
  std::string path = ::testing::TempDir() + "pn_xnum";
  std::ofstream(path, std::ios::binary).write(file.data(), file.size());
  ElfFile elf(path);
  EXPECT_LE(elf.program_headers().size(), file.size() / sizeof(Elf64_Phdr));
}

// runtime_types_fuzz (ASan heap-buffer-overflow): a descriptor saying
// "slice" with size 8 made the renderer read a slice's three words from an
// 8-byte buffer. A decoded type whose size disagrees with its kind or parts
// is now Invalid, and the renderers never see it.
TEST(RuntimeTypesFuzzRegression, SizeThatDisagreesWithTheKindIsADamagedType) {
  constexpr uint64_t kTypes = 0x500000, kSlice = 0x500100, kStruct = 0x500200, kFields = 0x500300;
  test::SyntheticMemory synthetic;
  synthetic.map(kTypes, 0x400);
  const uint8_t name[] = {0, 1, 'T'};  // abi.Name: flags, length 1, "T"
  synthetic.put_bytes(kTypes + 0x10, name, sizeof name);
  auto descriptor = [&](uint64_t at, uint64_t size, GoKind kind) {
    synthetic.put_u64(at, size);
    synthetic.put_bytes(at + 23, &kind, 1);
    synthetic.put_u32(at + 40, 0x10);
  };
  descriptor(kSlice, 8, GoKind::Slice);  // a slice header is 24 bytes
  synthetic.put_u64(kSlice + 48, kSlice);
  descriptor(kStruct, 8, GoKind::Struct);  // one field of 24 bytes in 8
  synthetic.put_u64(kStruct + 56, kFields);
  synthetic.put_u64(kStruct + 64, 1);
  synthetic.put_u64(kFields, kTypes + 0x10);
  synthetic.put_u64(kFields + 8, kSlice + 0x80);  // a well-formed 24-byte slice type
  descriptor(kSlice + 0x80, 24, GoKind::Slice);
  synthetic.put_u64(kSlice + 0x80 + 48, kSlice + 0x80);
  Memory memory(synthetic);
  RuntimeTypes types(kTypes, GoVersion{1, 22, 0});
  const GoType* slice = types.decode(kSlice, memory);
  EXPECT_EQ(slice->kind, GoKind::Invalid);
  EXPECT_NE(slice->name.find("damaged type"), std::string::npos) << slice->name;
  EXPECT_EQ(types.decode(kSlice + 0x80, memory)->kind, GoKind::Slice);
  EXPECT_EQ(types.decode(kStruct, memory)->kind, GoKind::Invalid);
}

// runtime_types_fuzz (std::length_error): a slice whose element type is
// 2^40 bytes made both renderers allocate 64 elements of it at once. They
// now read at most kMaxReadSize bytes of elements and say how many are left.
TEST(ValueRendererFuzzRegression, SliceOfHugeElementsReadsABoundedPrefix) {
  test::SyntheticMemory mem;
  Memory memory(mem);
  test::TypeArena types;
  const GoType* huge = types.slice(types.array(types.uint8(), uint64_t{1} << 40));
  uint64_t data = mem.alloc(64, 8);
  std::vector<uint8_t> header = slice_header(data, 2);
  std::string text;
  ValueRenderer(memory, nullptr).render(text, *huge, header.data());
  EXPECT_EQ(text, "len 2 cap 2 [...+2]");
  std::string json;
  JsonRenderer(memory, nullptr).render(json, *huge, header.data());
  EXPECT_NE(json.find("\"elements\": []"), std::string::npos) << json;
}

// runtime_types_fuzz (UBSan): an interface holding a zero-size value of a
// type flagged direct memcpy'd its data word into the null data() of an
// empty vector.
TEST(RuntimeTypesFuzzRegression, ZeroSizeDirectValueCopiesNothing) {
  test::SyntheticMemory mem;
  Memory memory(mem);
  test::TypeArena types;
  const GoType* empty = types.structure("main.E", {});
  DynamicValue value = read_dynamic_value(memory, empty, true, 0x1234);
  EXPECT_TRUE(value.bytes.empty());
}

// dwarf_location_fuzz (UBSan): DW_OP_reg0 for a value of size 0 memcpy'd
// into the null data() of an empty vector.
TEST(DwarfLocationFuzzRegression, RegisterLocationOfAZeroSizeValue) {
  test::SyntheticMemory mem;
  Memory memory(mem);
  FrameState frame;
  frame.registers[0] = 42;
  std::string why;
  const uint8_t reg0[] = {0x50};  // DW_OP_reg0
  auto loc = evaluate_location_block(reg0, sizeof reg0, frame, 0, memory, why);
  ASSERT_TRUE(loc);
  EXPECT_TRUE(loc->bytes.empty());
  const uint8_t piece0[] = {0x50, 0x93, 0x00};  // DW_OP_reg0 DW_OP_piece 0
  loc = evaluate_location_block(piece0, sizeof piece0, frame, 0, memory, why);
  ASSERT_TRUE(loc);
  EXPECT_TRUE(loc->bytes.empty());
}

// dwarf_location_fuzz: DW_OP_piece with a uleb of 2^62 allocated that many
// bytes (std::bad_alloc / ASan allocation-size-too-big).
TEST(DwarfLocationFuzzRegression, HugePieceIsRejected) {
  test::SyntheticMemory mem;
  Memory memory(mem);
  FrameState frame;
  frame.registers[0] = 42;
  std::string why;
  const uint8_t huge[] = {0x50, 0x93, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40};
  EXPECT_FALSE(evaluate_location_block(huge, sizeof huge, frame, 16, memory, why));
  EXPECT_EQ(why, "location pieces are larger than the value");
}

// type S []S whose 64 slice headers {data, 64, 64} all point at their own
// array: the value of S read from it nests without end.
const GoType& self_referential_slice(test::SyntheticMemory& mem, test::TypeArena& types,
                                     std::vector<uint8_t>& value) {
  auto* s = const_cast<GoType*>(types.slice(types.int_()));
  s->name = "main.S";
  s->elem = s;
  uint64_t data = mem.alloc(64 * 24, 8);
  for (int i = 0; i < 64; ++i) {
    mem.put_u64(data + i * 24, data);
    mem.put_u64(data + i * 24 + 8, 64);
    mem.put_u64(data + i * 24 + 16, 64);
  }
  value.resize(24);
  mem.read(data, value.data(), value.size());
  return *s;
}

// value_renderer_fuzz (timeout): a slice of slices renders 64 elements per
// level for 8 levels, 64^8 values. With a recursive type (type S []S, legal
// Go) whose data points at itself, one map value took forever. Rendering
// now stops at RenderLimits::max_output bytes per value.
TEST(ValueRendererFuzzRegression, SelfReferentialSliceOfSlicesIsBounded) {
  test::SyntheticMemory mem;
  Memory memory(mem);
  test::TypeArena types;
  std::vector<uint8_t> value;
  const GoType& s = self_referential_slice(mem, types, value);
  ValueRenderer renderer(memory, nullptr);
  std::string out = "key: ";
  renderer.render(out, s, value.data());
  EXPECT_LT(out.size(), RenderLimits{}.max_output + 1024);
  EXPECT_NE(out.find("...+"), std::string::npos);
  // The budget is per value: the next one renders in full again.
  std::string small;
  const GoType* ints = types.slice(types.int_());
  uint64_t three = mem.alloc(24, 8);
  mem.put_u64(three, 1);
  mem.put_u64(three + 8, 2);
  mem.put_u64(three + 16, 3);
  std::vector<uint8_t> header = slice_header(three, 3);
  renderer.render(out, *ints, header.data());
  EXPECT_TRUE(out.ends_with("len 3 cap 3 [1, 2, 3]")) << out.substr(out.size() - 64);
}

// A nested named type renders in place: each level of main.S used to render
// into a string of its own, checked against a budget set for the outer one
// (so the output overshot it), and then be copied into it (8 levels, 8
// copies per value: the value_renderer fuzzer spent its time there).
TEST(ValueRendererFuzzRegression, NestedNamedTypesShareOneBudget) {
  test::SyntheticMemory mem;
  Memory memory(mem);
  test::TypeArena types;
  std::vector<uint8_t> value;
  const GoType& s = self_referential_slice(mem, types, value);
  RenderLimits limits;
  limits.max_output = 1000;
  std::string out;
  ValueRenderer(memory, nullptr, limits).render(out, s, value.data());
  EXPECT_TRUE(out.starts_with("main.S(len 64 cap 64 [main.S(len 64 cap 64 [")) << out.substr(0, 80);
  EXPECT_TRUE(out.ends_with("])")) << out.substr(out.size() - 80);
  // Past the budget each open level only closes: ", ...+63])", under 16
  // bytes a level (1094 bytes here; 1286 when each level had its own string).
  EXPECT_LT(out.size(), limits.max_output + 16 * (limits.max_depth + 1));
}

// runtime_types_fuzz: a decoded map type whose indirect key type claimed
// 0x7ffeaa291c710008 bytes made the walker size its scratch buffer to it.
TEST(MapWalkerFuzzRegression, AHugeIndirectKeyIsNotCopied) {
  test::TypeArena types;
  GoType huge;
  huge.name = "[...]uint8";
  huge.kind = GoKind::Array;
  huge.size = 0x7ffeaa291c710008;
  MapLayout layout = test::classic_layout(&huge, types.int64(), true, false);
  test::SyntheticMemory mem;
  Memory memory(mem);
  uint64_t target = mem.alloc(64, 8);
  uint8_t key[8], value[8] = {};
  std::memcpy(key, &target, 8);
  SlotReader reader(memory, layout);
  WalkStats stats;
  bool keep_going = true;
  EXPECT_FALSE(reader.visit(key, value, nullptr, stats, keep_going));
  ASSERT_EQ(stats.warnings.size(), 1u);
  EXPECT_NE(stats.warnings[0].find("is not read"), std::string::npos) << stats.warnings[0];
}

}  // namespace
}  // namespace gomapdbg
