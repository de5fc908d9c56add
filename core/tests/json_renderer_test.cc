// JsonRenderer: the JSON mapping of README "JSON output", value by value on
// synthetic memory, and the string escaping it relies on. Also the pointer
// levels that --deref counts, in both renderers.
#include "values/json_renderer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "synthetic_memory.h"

namespace gomapdbg {
namespace {

using test::SyntheticMemory;
using test::TypeArena;

class JsonRendererTest : public ::testing::Test {
 protected:
  template <typename T>
  std::string json_value(const GoType* type, T value, RenderLimits limits = {}) {
    std::vector<uint8_t> bytes(sizeof value);
    std::memcpy(bytes.data(), &value, sizeof value);
    return json_bytes(type, bytes, limits);
  }
  std::string json_bytes(const GoType* type, const std::vector<uint8_t>& bytes,
                         RenderLimits limits = {}) {
    std::string out;
    JsonRenderer(memory, nullptr, limits).render(out, *type, bytes.data());
    return out;
  }
  std::string text_bytes(const GoType* type, const std::vector<uint8_t>& bytes,
                         RenderLimits limits = {}) {
    std::string out;
    ValueRenderer(memory, nullptr, limits).render(out, *type, bytes.data());
    return out;
  }
  std::vector<uint8_t> go_string(std::string_view text) {
    uint64_t data = mem.alloc(text.size());
    mem.put_string(data, text);
    return words({data, text.size()});
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

TEST_F(JsonRendererTest, IntegersAreNumbersWhileADoubleHoldsThemExactly) {
  EXPECT_EQ(json_value(types.int8(), int8_t{-128}), "-128");
  EXPECT_EQ(json_value(types.int64(), int64_t{(1LL << 53) - 1}), "9007199254740991");
  EXPECT_EQ(json_value(types.int64(), int64_t{-((1LL << 53) - 1)}), "-9007199254740991");
  EXPECT_EQ(json_value(types.int64(), int64_t{1LL << 53}), "\"9007199254740992\"");
  EXPECT_EQ(json_value(types.int64(), std::numeric_limits<int64_t>::min()),
            "\"-9223372036854775808\"");
  EXPECT_EQ(json_value(types.uint64(), std::numeric_limits<uint64_t>::max()),
            "\"18446744073709551615\"");
  EXPECT_EQ(json_value(types.uint16(), uint16_t{65535}), "65535");
  EXPECT_EQ(json_value(types.bool_(), uint8_t{1}), "true");
}

TEST_F(JsonRendererTest, FloatsAreNumbersAndNonFiniteOnesStrings) {
  EXPECT_EQ(json_value(types.float64(), 1e21), "1e+21");
  EXPECT_EQ(json_value(types.float64(), -0.5), "-0.5");
  EXPECT_EQ(json_value(types.float32(), 0.1f), "0.1");
  EXPECT_EQ(json_value(types.float64(), std::nan("")), "\"NaN\"");
  EXPECT_EQ(json_value(types.float64(), -std::numeric_limits<double>::infinity()), "\"-Inf\"");
  struct {
    double re, im;
  } c{1.5, INFINITY};
  EXPECT_EQ(json_value(types.complex128(), c), "{\"real\": 1.5, \"imag\": \"+Inf\"}");
}

TEST_F(JsonRendererTest, StringsAreEscapedForJson) {
  EXPECT_EQ(json_bytes(types.string(), go_string("a\"b\\c\n\t\x01\x7f")),
            "\"a\\\"b\\\\c\\n\\t\\u0001\x7f\"");
  EXPECT_EQ(json_bytes(types.string(), go_string("h\xc3\xa9llo \xe4\xb8\x96")),
            "\"h\xc3\xa9llo \xe4\xb8\x96\"");
  EXPECT_EQ(json_bytes(types.string(), words({0, 0})), "\"\"");
}

TEST_F(JsonRendererTest, InvalidUtf8BytesBecomeOneReplacementCharacterEach) {
  // A lone continuation byte, a surrogate (ED A0 80), a truncated sequence.
  EXPECT_EQ(json_string("a\x80"
                        "b\xed\xa0\x80"
                        "c\xe4\xb8"),
            "\"a\\ufffdb\\ufffd\\ufffd\\ufffdc\\ufffd\\ufffd\"");
}

TEST_F(JsonRendererTest, LongStringsShowAPrefixAndTheLength) {
  RenderLimits limits;
  limits.max_string = 4;
  EXPECT_EQ(json_bytes(types.string(), go_string("abcdefghij"), limits),
            "{\"prefix\": \"abcd\", \"len\": 10}");
}

TEST_F(JsonRendererTest, UnreadableValuesAreErrorObjects) {
  EXPECT_EQ(json_bytes(types.string(), words({0xdead0000, 5})),
            "{\"error\": \"unreadable string 0xdead0000 len 5\"}");
  EXPECT_EQ(json_bytes(types.slice(types.int64()), words({0xdead0000, 2, 2})),
            "{\"error\": \"unreadable slice 0xdead0000 len 2 cap 2\"}");
}

TEST_F(JsonRendererTest, StructsAreObjectsWithUniqueBlankFieldKeys) {
  const GoType* t = types.structure(
      "main.T",
      {{"A", types.int_()}, {"_", types.int_()}, {"_", types.int_()}, {"B", types.bool_()}});
  std::vector<uint8_t> bytes = words({1, 2, 3, 1});
  EXPECT_EQ(json_bytes(t, bytes), "{\"A\": 1, \"_\": 2, \"_2\": 3, \"B\": true}");
  EXPECT_EQ(json_bytes(types.structure("struct {}", {}), {}), "{}");
}

TEST_F(JsonRendererTest, ArraysAreArraysAndCutOnesSayTheirLength) {
  const GoType* t = types.array(types.int64(), 3);
  EXPECT_EQ(json_bytes(t, words({1, 2, 3})), "[1, 2, 3]");
  RenderLimits limits;
  limits.max_elements = 2;
  EXPECT_EQ(json_bytes(t, words({1, 2, 3}), limits), "{\"len\": 3, \"elements\": [1, 2]}");
}

TEST_F(JsonRendererTest, SlicesAreArraysAndCutOnesSayLengthAndCapacity) {
  uint64_t data = mem.alloc(24);
  for (int i = 0; i < 3; ++i) mem.put_i64(data + 8 * i, 10 * (i + 1));
  const GoType* t = types.slice(types.int64());
  EXPECT_EQ(json_bytes(t, words({data, 3, 4})), "[10, 20, 30]");
  EXPECT_EQ(json_bytes(t, words({data, 0, 4})), "[]");
  RenderLimits limits;
  limits.max_elements = 1;
  EXPECT_EQ(json_bytes(t, words({data, 3, 4}), limits),
            "{\"len\": 3, \"cap\": 4, \"elements\": [10]}");
  EXPECT_EQ(json_bytes(t, words({0, 0, 0})), "null");
}

TEST_F(JsonRendererTest, PointersAreHexStringsAndNilIsNull) {
  const GoType* t = types.pointer(types.int_());
  EXPECT_EQ(json_value(t, uint64_t{0xc000010000}), "\"0xc000010000\"");
  EXPECT_EQ(json_value(t, uint64_t{0}), "null");
  GoType unsafe_pointer{"unsafe.Pointer", GoKind::UnsafePointer, 8};
  EXPECT_EQ(json_value(&unsafe_pointer, uint64_t{0x1000}), "\"0x1000\"");
}

TEST_F(JsonRendererTest, NilReferenceKindsAreNull) {
  GoType chan{"chan int", GoKind::Chan, 8};
  GoType func{"func()", GoKind::Func, 8};
  GoType map{"map[int]int", GoKind::Map, 8};
  GoType iface{"interface {}", GoKind::Interface, 16};
  EXPECT_EQ(json_value(&chan, uint64_t{0}), "null");
  EXPECT_EQ(json_value(&func, uint64_t{0}), "null");
  EXPECT_EQ(json_value(&map, uint64_t{0}), "null");
  EXPECT_EQ(json_bytes(&iface, words({0, 0})), "null");
}

TEST_F(JsonRendererTest, ChanShowsItsAddressAndCounts) {
  uint64_t hchan = mem.alloc(16);
  mem.put_i64(hchan, 1);
  mem.put_i64(hchan + 8, 4);
  GoType chan{"chan int", GoKind::Chan, 8};
  EXPECT_EQ(json_value(&chan, hchan),
            "{\"address\": \"" + hex(hchan) + "\", \"len\": 1, \"cap\": 4}");
}

TEST_F(JsonRendererTest, NestingDeeperThanMaxDepthIsAnError) {
  const GoType* b = types.structure("B", {{"V", types.int_()}});
  const GoType* a = types.structure("A", {{"B", b}});
  RenderLimits limits;
  limits.max_depth = 1;
  EXPECT_EQ(json_bytes(a, words({9}), limits),
            "{\"B\": {\"V\": {\"error\": \"nested too deep\"}}}");
}

// A linked list a -> b -> c: --deref N follows N pointers along the path,
// whatever the nesting of structs between them.
TEST_F(JsonRendererTest, DerefFollowsThatManyPointerLevelsInBothRenderers) {
  GoType node{"main.Node", GoKind::Struct, 16};
  const GoType* next = types.pointer(&node);
  node.fields = {{"V", 0, types.int_(), false}, {"Next", 8, next, false}};
  uint64_t c = mem.alloc(16), b = mem.alloc(16);
  mem.put_i64(c, 3);
  mem.put_i64(b, 2);
  mem.put_i64(b + 8, static_cast<int64_t>(c));
  RenderLimits limits;
  limits.deref_depth = 1;
  EXPECT_EQ(text_bytes(next, words({b}), limits),
            "&main.Node{V: 2, Next: (*main.Node)(" + hex(c) + ")}");
  EXPECT_EQ(
      json_bytes(next, words({b}), limits),
      "{\"address\": \"" + hex(b) + "\", \"value\": {\"V\": 2, \"Next\": \"" + hex(c) + "\"}}");
  limits.deref_depth = 2;
  EXPECT_EQ(text_bytes(next, words({b}), limits),
            "&main.Node{V: 2, Next: &main.Node{V: 3, Next: nil}}");
}

// A pointer followed to memory that cannot be read says so, in both
// renderers, instead of showing the pointer as if it had not been followed.
TEST_F(JsonRendererTest, DerefOfAnUnreadablePointeeSaysItIsUnreadable) {
  const GoType* t = types.pointer(types.int_());
  RenderLimits limits;
  limits.deref_depth = 1;
  EXPECT_EQ(text_bytes(t, words({0x3039}), limits), "&<unreadable int 0x3039>");
  EXPECT_EQ(json_bytes(t, words({0x3039}), limits),
            "{\"address\": \"0x3039\", \"value\": {\"error\": \"unreadable int 0x3039\"}}");
}

// A pointer of a shape type (a generic function's value whose dictionary
// was not found) says nothing of its pointee: --deref says so rather than
// reading the pointee as the shape's element (go.shape.*uint8: one byte).
TEST_F(JsonRendererTest, DerefOfAShapePointerSaysThePointeeIsUnknown) {
  GoType shape{"go.shape.*uint8", GoKind::Pointer, 8};
  shape.elem = types.uint8();
  uint64_t pointee = mem.alloc(8);
  RenderLimits limits;
  limits.deref_depth = 1;
  std::string why = "unknown pointee: its generic function's dictionary was not found";
  EXPECT_EQ(text_bytes(&shape, words({pointee}), limits),
            "(go.shape.*uint8)(" + hex(pointee) + " <" + why + ">)");
  EXPECT_EQ(json_bytes(&shape, words({pointee}), limits),
            "{\"error\": \"go.shape.*uint8 " + hex(pointee) + ": " + why + "\"}");
  limits.deref_depth = 0;
  EXPECT_EQ(text_bytes(&shape, words({pointee}), limits),
            "(go.shape.*uint8)(" + hex(pointee) + ")");
}

// A slice with a length but no array (damaged, or made with unsafe) is not
// nil: it is unreadable, with its length and capacity.
TEST_F(JsonRendererTest, SliceWithoutArrayButWithLengthIsUnreadableNotNil) {
  const GoType* t = types.slice(types.int64());
  EXPECT_EQ(text_bytes(t, words({0, 3, 3})), "len 3 cap 3 <unreadable 0x0>");
  EXPECT_EQ(json_bytes(t, words({0, 3, 3})), "{\"error\": \"unreadable slice 0x0 len 3 cap 3\"}");
  EXPECT_EQ(text_bytes(t, words({0, 0, 0})), "nil");
}

}  // namespace
}  // namespace gomapdbg
