// ValueRenderer: Go values rendered from their bytes, with strings and slice
// elements read from synthetic memory. Float expectations are the output of
// fmt.Sprintf("%v", x) from go1.26.8 (see the comment above each test).
#include "values/value_renderer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "synthetic_memory.h"
#include "types/runtime_types.h"

namespace gomapdbg {
namespace {

using test::SyntheticMemory;
using test::TypeArena;

class ValueRendererTest : public ::testing::Test {
 protected:
  template <typename T>
  std::string render_value(const GoType* type, T value, RenderLimits limits = {}) {
    std::vector<uint8_t> bytes(sizeof value);
    std::memcpy(bytes.data(), &value, sizeof value);
    return render_bytes(type, bytes, limits);
  }
  std::string render_bytes(const GoType* type, const std::vector<uint8_t>& bytes,
                           RenderLimits limits = {}) {
    std::string out;
    ValueRenderer(memory, nullptr, limits).render(out, *type, bytes.data());
    return out;
  }
  // The 16 bytes of a string header {data, len}.
  static std::vector<uint8_t> string_header(uint64_t data, uint64_t len) {
    std::vector<uint8_t> bytes(16);
    std::memcpy(&bytes[0], &data, 8);
    std::memcpy(&bytes[8], &len, 8);
    return bytes;
  }
  // A Go string's data placed in memory; returns its header bytes.
  std::vector<uint8_t> go_string(std::string_view text) {
    uint64_t data = mem.alloc(text.size());
    mem.put_string(data, text);
    return string_header(data, text.size());
  }
  static std::vector<uint8_t> words(std::initializer_list<uint64_t> values) {
    std::vector<uint8_t> bytes;
    for (uint64_t v : values)
      for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<uint8_t>(v >> (8 * i)));
    return bytes;
  }

  SyntheticMemory mem;
  Memory memory{mem};
  TypeArena types;
};

// --- Integers and booleans ------------------------------------------------

TEST_F(ValueRendererTest, SignedIntegersOfEverySizeAreSignExtended) {
  EXPECT_EQ(render_value(types.int8(), int8_t{-1}), "-1");
  EXPECT_EQ(render_value(types.int8(), int8_t{-128}), "-128");
  EXPECT_EQ(render_value(types.int8(), int8_t{127}), "127");
  EXPECT_EQ(render_value(types.int16(), int16_t{-32768}), "-32768");
  EXPECT_EQ(render_value(types.int16(), int16_t{12345}), "12345");
  EXPECT_EQ(render_value(types.int32(), int32_t{-2147483647 - 1}), "-2147483648");
  EXPECT_EQ(render_value(types.int32(), int32_t{-7}), "-7");
  EXPECT_EQ(render_value(types.int64(), std::numeric_limits<int64_t>::min()),
            "-9223372036854775808");
  EXPECT_EQ(render_value(types.int64(), int64_t{42}), "42");
  EXPECT_EQ(render_value(types.int_(), int64_t{-3}), "-3");
}

TEST_F(ValueRendererTest, SignedIntegerIgnoresBytesPastItsSize) {
  // An int8 followed by unrelated bytes, as in a struct.
  EXPECT_EQ(render_bytes(types.int8(), {0xfe, 0x12, 0x34, 0x56}), "-2");
  EXPECT_EQ(render_bytes(types.int16(), {0x00, 0x80, 0xff, 0xff}), "-32768");
}

TEST_F(ValueRendererTest, UnsignedIntegersOfEverySizeAreZeroExtended) {
  EXPECT_EQ(render_value(types.uint8(), uint8_t{255}), "255");
  EXPECT_EQ(render_value(types.uint16(), uint16_t{65535}), "65535");
  EXPECT_EQ(render_value(types.uint32(), uint32_t{4294967295u}), "4294967295");
  EXPECT_EQ(render_value(types.uint64(), std::numeric_limits<uint64_t>::max()),
            "18446744073709551615");
  EXPECT_EQ(render_value(types.uintptr(), uint64_t{0xc000012345}), "824633795397");
  EXPECT_EQ(render_bytes(types.uint8(), {0x80, 0xff}), "128");
}

TEST_F(ValueRendererTest, BoolIsTrueForAnyNonZeroByte) {
  EXPECT_EQ(render_value(types.bool_(), uint8_t{0}), "false");
  EXPECT_EQ(render_value(types.bool_(), uint8_t{1}), "true");
  EXPECT_EQ(render_value(types.bool_(), uint8_t{2}), "true");
}

// --- Strings --------------------------------------------------------------

TEST_F(ValueRendererTest, StringIsReadFromMemoryAndQuoted) {
  EXPECT_EQ(render_bytes(types.string(), go_string("hello")), "\"hello\"");
}

TEST_F(ValueRendererTest, StringIsQuotedLikeStrconvQuote) {
  EXPECT_EQ(render_bytes(types.string(), go_string("a\"b\\c\n\t\x01")),
            "\"a\\\"b\\\\c\\n\\t\\x01\"");
}

TEST_F(ValueRendererTest, EmptyStringNeedsNoMemory) {
  EXPECT_EQ(render_bytes(types.string(), string_header(0, 0)), "\"\"");
  EXPECT_EQ(render_bytes(types.string(), string_header(0xdead0000, 0)), "\"\"");
}

TEST_F(ValueRendererTest, UnreadableStringDataRendersAsUnreadable) {
  EXPECT_EQ(render_bytes(types.string(), string_header(0xdead0000, 5)),
            "<unreadable string 0xdead0000 len 5>");
}

TEST_F(ValueRendererTest, NilStringDataWithLengthRendersAsUnreadable) {
  EXPECT_EQ(render_bytes(types.string(), string_header(0, 3)), "<unreadable string 0x0 len 3>");
}

TEST_F(ValueRendererTest, PartlyReadableStringRendersAsUnreadable) {
  uint64_t data = mem.alloc(4);
  mem.put_string(data, "abcd");
  EXPECT_EQ(render_bytes(types.string(), string_header(data, 10)),
            "<unreadable string " + hex(data) + " len 10>");
}

TEST_F(ValueRendererTest, LongStringIsCutAtMaxStringWithTheRestCounted) {
  RenderLimits limits;
  limits.max_string = 4;
  EXPECT_EQ(render_bytes(types.string(), go_string("abcdefghij"), limits), "\"abcd\"...+6 bytes");
  EXPECT_EQ(render_bytes(types.string(), go_string("abcd"), limits), "\"abcd\"");
}

TEST_F(ValueRendererTest, HugeCorruptStringLengthReadsOnlyMaxString) {
  uint64_t data = mem.alloc(1024);
  mem.put_string(data, std::string(1024, 'z'));
  std::string out = render_bytes(types.string(), string_header(data, uint64_t{1} << 62));
  EXPECT_EQ(out, "\"" + std::string(1024, 'z') + "\"...+" +
                     std::to_string((uint64_t{1} << 62) - 1024) + " bytes");
}

// --- Structs, arrays, slices ----------------------------------------------

TEST_F(ValueRendererTest, StructRendersFieldNamesAndValues) {
  const GoType* t =
      types.structure("struct { A int; B string }", {{"A", types.int_()}, {"B", types.string()}});
  ASSERT_EQ(t->size, 24u);
  std::vector<uint8_t> bytes = words({1});
  std::vector<uint8_t> b = go_string("x");
  bytes.insert(bytes.end(), b.begin(), b.end());
  EXPECT_EQ(render_bytes(t, bytes), "{A: 1, B: \"x\"}");
}

TEST_F(ValueRendererTest, NamedTypesShowTheirName) {
  const GoType* t = types.structure("main.T", {{"A", types.int_()}});
  EXPECT_EQ(render_bytes(t, words({1})), "main.T{A: 1}");
  GoType celsius = *types.int_();
  celsius.name = "main.Celsius";
  EXPECT_EQ(render_bytes(&celsius, words({37})), "main.Celsius(37)");
  EXPECT_TRUE(is_named_type("main.Pair[int,string]"));
  EXPECT_TRUE(is_named_type("example.com/pkg.T"));
  EXPECT_FALSE(is_named_type("map[main.K]int"));
  EXPECT_FALSE(is_named_type("*main.T"));
  EXPECT_FALSE(is_named_type("int"));
}

TEST_F(ValueRendererTest, StructFieldsAreReadAtTheirOffsets) {
  // struct { A int8; B int32; C bool } → A@0, B@4, C@8.
  const GoType* t =
      types.structure("main.P", {{"A", types.int8()}, {"B", types.int32()}, {"C", types.bool_()}});
  ASSERT_EQ(t->size, 12u);
  std::vector<uint8_t> bytes = {0xff, 0xee, 0xee, 0xee, 0x10, 0, 0, 0, 1, 0, 0, 0};
  EXPECT_EQ(render_bytes(t, bytes), "main.P{A: -1, B: 16, C: true}");
}

TEST_F(ValueRendererTest, EmptyStructRendersAsBraces) {
  EXPECT_EQ(render_bytes(types.structure("struct {}", {}), {}), "{}");
}

TEST_F(ValueRendererTest, NestedStructs) {
  const GoType* inner = types.structure("main.In", {{"X", types.int_()}});
  const GoType* outer = types.structure("main.Out", {{"I", inner}, {"Y", types.int_()}});
  EXPECT_EQ(render_bytes(outer, words({5, 6})), "main.Out{I: main.In{X: 5}, Y: 6}");
}

TEST_F(ValueRendererTest, ArrayRendersEveryElement) {
  EXPECT_EQ(render_bytes(types.array(types.int64(), 3), words({1, 2, uint64_t(-3)})), "[1, 2, -3]");
  EXPECT_EQ(render_bytes(types.array(types.uint8(), 2), {7, 8}), "[7, 8]");
}

TEST_F(ValueRendererTest, EmptyArrayRendersAsBrackets) {
  EXPECT_EQ(render_bytes(types.array(types.int64(), 0), {}), "[]");
}

TEST_F(ValueRendererTest, LongArrayIsCutAtMaxElementsWithTheRestCounted) {
  RenderLimits limits;
  limits.max_elements = 2;
  EXPECT_EQ(render_bytes(types.array(types.int64(), 5), words({1, 2, 3, 4, 5}), limits),
            "[1, 2, ...+3]");
}

TEST_F(ValueRendererTest, ArrayOfStrings) {
  std::vector<uint8_t> bytes = go_string("a");
  std::vector<uint8_t> b = go_string("bc");
  bytes.insert(bytes.end(), b.begin(), b.end());
  EXPECT_EQ(render_bytes(types.array(types.string(), 2), bytes), "[\"a\", \"bc\"]");
}

TEST_F(ValueRendererTest, NilSliceRendersAsNil) {
  EXPECT_EQ(render_bytes(types.slice(types.int64()), words({0, 0, 0})), "nil");
}

TEST_F(ValueRendererTest, SliceShowsLengthCapacityAndElements) {
  uint64_t data = mem.alloc(32);
  mem.put_i64(data, 10);
  mem.put_i64(data + 8, 20);
  mem.put_i64(data + 16, 30);
  EXPECT_EQ(render_bytes(types.slice(types.int64()), words({data, 3, 4})),
            "len 3 cap 4 [10, 20, 30]");
}

TEST_F(ValueRendererTest, LongSliceIsCutAtMaxElementsWithTheRestCounted) {
  uint64_t data = mem.alloc(40);
  for (int i = 0; i < 5; ++i) mem.put_i64(data + 8 * i, i);
  RenderLimits limits;
  limits.max_elements = 2;
  EXPECT_EQ(render_bytes(types.slice(types.int64()), words({data, 5, 5}), limits),
            "len 5 cap 5 [0, 1, ...+3]");
}

TEST_F(ValueRendererTest, UnreadableSliceDataRendersAsUnreadable) {
  EXPECT_EQ(render_bytes(types.slice(types.int64()), words({0xdead0000, 2, 2})),
            "len 2 cap 2 <unreadable 0xdead0000>");
}

TEST_F(ValueRendererTest, NestingDeeperThanMaxDepthIsElided) {
  const GoType* c = types.structure("C", {{"V", types.int_()}});
  const GoType* b = types.structure("B", {{"C", c}});
  const GoType* a = types.structure("A", {{"B", b}});
  RenderLimits limits;
  limits.max_depth = 1;
  EXPECT_EQ(render_bytes(a, words({9}), limits), "{B: {C: ...}}");
  limits.max_depth = 2;
  EXPECT_EQ(render_bytes(a, words({9}), limits), "{B: {C: {V: ...}}}");
  limits.max_depth = 3;
  EXPECT_EQ(render_bytes(a, words({9}), limits), "{B: {C: {V: 9}}}");
}

// --- Caps a user sets (--max-elements, --max-string, --max-depth) ---------

TEST_F(ValueRendererTest, UnsetCapsKeepTheDefaults) {
  RenderLimits limits = ValueCaps{}.applied_to({});
  EXPECT_EQ(limits.max_elements, RenderLimits{}.max_elements);
  EXPECT_EQ(limits.max_string, RenderLimits{}.max_string);
  EXPECT_EQ(limits.max_depth, RenderLimits{}.max_depth);
  EXPECT_EQ(limits.max_output, RenderLimits{}.max_output);
  EXPECT_FALSE(limits.stop_at_cycles);
}

TEST_F(ValueRendererTest, FiniteCapsReplaceTheDefaultsAndKeepTheOutputBudget) {
  RenderLimits limits = ValueCaps{3, 5, 2}.applied_to({});
  EXPECT_EQ(limits.max_elements, 3u);
  EXPECT_EQ(limits.max_string, 5u);
  EXPECT_EQ(limits.max_depth, 2);
  EXPECT_EQ(limits.max_output, RenderLimits{}.max_output);
  EXPECT_EQ(render_bytes(types.string(), go_string("abcdefghij"), limits), "\"abcde\"...+5 bytes");
}

TEST_F(ValueRendererTest, ZeroCapsShowEveryElementAndByte) {
  uint64_t data = mem.alloc(8 * 100);
  for (int i = 0; i < 100; ++i) mem.put_i64(data + 8 * i, i);
  RenderLimits limits = ValueCaps{0, 0, std::nullopt}.applied_to({});
  std::string all = render_bytes(types.slice(types.int64()), words({data, 100, 100}), limits);
  EXPECT_EQ(all.find("..."), std::string::npos) << all;
  EXPECT_NE(all.find(", 99]"), std::string::npos) << all;
  std::string long_text(5000, 'q');
  EXPECT_EQ(render_bytes(types.string(), go_string(long_text), limits), "\"" + long_text + "\"");
  EXPECT_EQ(limits.max_output, SIZE_MAX);
}

TEST_F(ValueRendererTest, UnlimitedDepthCutsASliceThatHoldsItself) {
  // type T []T; t := make(T, 2); t[0], t[1] = t, t: followed to any depth
  // the rendering would never end (and default depth doubles per level).
  GoType* t = const_cast<GoType*>(types.slice(types.int64()));
  t->elem = t;
  uint64_t data = mem.alloc(48);
  for (int i = 0; i < 2; ++i) {
    mem.put_i64(data + 24 * i, static_cast<int64_t>(data));
    mem.put_i64(data + 24 * i + 8, 2);
    mem.put_i64(data + 24 * i + 16, 2);
  }
  RenderLimits limits = ValueCaps{std::nullopt, std::nullopt, 0}.applied_to({});
  EXPECT_TRUE(limits.stop_at_cycles);
  EXPECT_EQ(render_bytes(t, words({data, 2, 2}), limits), "len 2 cap 2 [..., ...]");
}

// --- Pointers and other reference kinds -----------------------------------

TEST_F(ValueRendererTest, NilPointerRendersAsNil) {
  EXPECT_EQ(render_value(types.pointer(types.int_()), uint64_t{0}), "nil");
}

TEST_F(ValueRendererTest, PointerRendersItsTypeAndAddress) {
  const GoType* t = types.pointer(types.structure("main.T", {}));
  EXPECT_EQ(render_value(t, uint64_t{0xc000010000}), "(*main.T)(0xc000010000)");
}

TEST_F(ValueRendererTest, NilMapChanAndFuncRenderAsNil) {
  for (GoKind kind : {GoKind::Map, GoKind::Chan, GoKind::Func})
    EXPECT_EQ(render_value(types.basic(kind, 8, "x"), uint64_t{0}), "nil") << kind_name(kind);
}

// The text says why, as the JSON's "error" does.
TEST_F(ValueRendererTest, NonNilMapWithoutLayoutRendersItsTypeAddressAndWhy) {
  EXPECT_EQ(render_value(types.basic(GoKind::Map, 8, "map[string]int"), uint64_t{0xc0000a0000}),
            "(map[string]int)(0xc0000a0000 <unreadable: no layout>)");
}

// DWARF's runtime.eface starts with _type, runtime.iface with tab: that, not
// the name, tells them apart (a named `type Any interface{}` is an eface).
TEST(InterfaceShape, EmptyInterfaceIsKnownByItsFirstWordNotItsName) {
  GoType any{"main.Any", GoKind::Interface, 16};
  any.fields = {{"_type", 0, nullptr, false}, {"data", 8, nullptr, false}};
  EXPECT_TRUE(is_empty_interface(any));
  GoType shape{"interface {}", GoKind::Interface, 16};
  shape.fields = {{"tab", 0, nullptr, false}, {"data", 8, nullptr, false}};
  EXPECT_FALSE(is_empty_interface(shape));
  EXPECT_TRUE(is_empty_interface(GoType{"interface {}", GoKind::Interface, 16}));
}

// Decoded interface types get the same two words, by their method count
// (abi.InterfaceType.Methods at 56, reference §7.5).
TEST(InterfaceShape, DecodedInterfaceTypesHaveTheDwarfShape) {
  constexpr uint64_t kTypes = 0x500000, kEmpty = 0x500100, kShape = 0x500200;
  SyntheticMemory synthetic;
  synthetic.map(kTypes, 0x400);
  const uint8_t name[] = {0, 1, 'I'};  // abi.Name: flags, length 1, "I"
  synthetic.put_bytes(kTypes + 0x10, name, sizeof name);
  for (uint64_t at : {kEmpty, kShape}) {
    GoKind kind = GoKind::Interface;
    synthetic.put_u64(at, 16);
    synthetic.put_bytes(at + 23, &kind, 1);
    synthetic.put_u32(at + 40, 0x10);
  }
  synthetic.put_u64(kShape + 56, kTypes + 0x300);  // one method
  synthetic.put_u64(kShape + 64, 1);
  Memory memory(synthetic);
  RuntimeTypes types(kTypes, GoVersion{1, 26, 0});
  EXPECT_TRUE(is_empty_interface(*types.decode(kEmpty, memory)));
  EXPECT_FALSE(is_empty_interface(*types.decode(kShape, memory)));
}

TEST_F(ValueRendererTest, InterfaceWithoutBinaryRendersNilOrItsTwoWords) {
  const GoType* t = types.basic(GoKind::Interface, 16, "interface {}");
  EXPECT_EQ(render_bytes(t, words({0, 0})), "nil");
  EXPECT_EQ(render_bytes(t, words({0x4a0000, 0xc000012000})),
            "(interface {})(0x4a0000, 0xc000012000)");
}

TEST_F(ValueRendererTest, UnsafePointerRendersItsAddress) {
  EXPECT_EQ(render_value(types.basic(GoKind::UnsafePointer, 8, "unsafe.Pointer"), uint64_t{0x10}),
            "unsafe.Pointer(0x10)");
}

// --- Floats ---------------------------------------------------------------

TEST_F(ValueRendererTest, Float64AndFloat32RenderLikeGo) {
  // Go: fmt.Sprintf("%v", 3.14159) == "3.14159"; float32(0.1) → "0.1".
  EXPECT_EQ(render_value(types.float64(), 3.14159), "3.14159");
  EXPECT_EQ(render_value(types.float32(), 0.1f), "0.1");
  EXPECT_EQ(render_value(types.float32(), 1.0f / 3), "0.33333334");
}

TEST_F(ValueRendererTest, ComplexRendersLikeGo) {
  // Go: complex(1, 2) → "(1+2i)"; complex(1.5, -0.25) → "(1.5-0.25i)";
  // complex(+Inf, NaN) → "(+Inf+NaNi)".
  struct C128 {
    double re, im;
  };
  EXPECT_EQ(render_value(types.complex128(), C128{1, 2}), "(1+2i)");
  EXPECT_EQ(render_value(types.complex128(), C128{1.5, -0.25}), "(1.5-0.25i)");
  EXPECT_EQ(
      render_value(types.complex128(), C128{std::numeric_limits<double>::infinity(), std::nan("")}),
      "(+Inf+NaNi)");
}

TEST_F(ValueRendererTest, Complex64UsesFloat32Precision) {
  struct C64 {
    float re, im;
  };
  // Go: complex64(complex(0.1, 0.5)) → "(0.1+0.5i)".
  EXPECT_EQ(render_value(types.complex64(), C64{0.1f, 0.5f}), "(0.1+0.5i)");
}

// Expectations from fmt.Sprintf("%v", x) with go1.26.8.
TEST(FormatGoFloat, SmallIntegersAndShortFractions) {
  EXPECT_EQ(format_go_float(0, 64), "0");
  EXPECT_EQ(format_go_float(1, 64), "1");
  EXPECT_EQ(format_go_float(100, 64), "100");
  EXPECT_EQ(format_go_float(123456, 64), "123456");
  EXPECT_EQ(format_go_float(100000, 64), "100000");
  EXPECT_EQ(format_go_float(0.1, 64), "0.1");
  EXPECT_EQ(format_go_float(-2.5, 64), "-2.5");
  EXPECT_EQ(format_go_float(12345.678, 64), "12345.678");
  EXPECT_EQ(format_go_float(1.0 / 3, 64), "0.3333333333333333");
}

TEST(FormatGoFloat, NegativeZeroKeepsItsSign) { EXPECT_EQ(format_go_float(-0.0, 64), "-0"); }

TEST(FormatGoFloat, SmallMagnitudesSwitchToExponentBelowOneTenThousandth) {
  EXPECT_EQ(format_go_float(0.0001, 64), "0.0001");
  EXPECT_EQ(format_go_float(0.000123, 64), "0.000123");
  EXPECT_EQ(format_go_float(0.00001, 64), "1e-05");
  EXPECT_EQ(format_go_float(1.5e-5, 64), "1.5e-05");
  EXPECT_EQ(format_go_float(1e-7, 64), "1e-07");
  EXPECT_EQ(format_go_float(5e-324, 64), "5e-324");
}

TEST(FormatGoFloat, VeryLargeMagnitudesUseExponentWithAtLeastTwoDigits) {
  EXPECT_EQ(format_go_float(1e21, 64), "1e+21");
  EXPECT_EQ(format_go_float(1e100, 64), "1e+100");
  EXPECT_EQ(format_go_float(std::numeric_limits<double>::max(), 64), "1.7976931348623157e+308");
}

TEST(FormatGoFloat, NonFiniteValues) {
  EXPECT_EQ(format_go_float(std::nan(""), 64), "NaN");
  EXPECT_EQ(format_go_float(std::numeric_limits<double>::infinity(), 64), "+Inf");
  EXPECT_EQ(format_go_float(-std::numeric_limits<double>::infinity(), 64), "-Inf");
}

TEST(FormatGoFloat, Float32UsesTheShortestFloat32Representation) {
  EXPECT_EQ(format_go_float(0.1f, 32), "0.1");
  EXPECT_EQ(format_go_float(1.0f / 3, 32), "0.33333334");
  EXPECT_EQ(format_go_float(2.5f, 32), "2.5");
  EXPECT_EQ(format_go_float(1e-10f, 32), "1e-10");
  EXPECT_EQ(format_go_float(3.4028235e38f, 32), "3.4028235e+38");
}

}  // namespace
}  // namespace gomapdbg
