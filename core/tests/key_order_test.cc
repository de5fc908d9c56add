// fmt_sort_key: map keys ordered as Go's fmt prints them (internal/fmtsort),
// e.g. fmt.Sprint(map[int]bool{10: true, 2: true, -1: true}) is
// "map[-1:true 2:true 10:true]".
#include "values/key_order.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "synthetic_memory.h"

namespace gomapdbg {
namespace {

using test::SyntheticMemory;
using test::TypeArena;

class KeyOrderTest : public ::testing::Test {
 protected:
  template <typename T>
  static std::vector<uint8_t> bytes_of(T value) {
    std::vector<uint8_t> bytes(sizeof value);
    std::memcpy(bytes.data(), &value, sizeof value);
    return bytes;
  }
  std::vector<uint8_t> go_string(std::string_view text) {
    uint64_t data = mem.alloc(text.size() + 1);
    mem.put_string(data, text);
    std::vector<uint8_t> header = bytes_of(data);
    std::vector<uint8_t> len = bytes_of(uint64_t{text.size()});
    header.insert(header.end(), len.begin(), len.end());
    return header;
  }
  // The indexes of `keys` in fmt's order.
  std::vector<size_t> order(const GoType* type, const std::vector<std::vector<uint8_t>>& keys) {
    std::vector<SortKey> sort_keys;
    for (const auto& k : keys) sort_keys.push_back(fmt_sort_key(memory, nullptr, *type, k.data()));
    std::vector<size_t> out(keys.size());
    for (size_t i = 0; i < out.size(); ++i) out[i] = i;
    std::stable_sort(out.begin(), out.end(),
                     [&](size_t a, size_t b) { return sort_keys[a] < sort_keys[b]; });
    return out;
  }

  SyntheticMemory mem;
  Memory memory{mem};
  TypeArena types;
};

TEST_F(KeyOrderTest, IntegersByValueNotByText) {
  EXPECT_EQ(order(types.int_(), {bytes_of(int64_t{10}), bytes_of(int64_t{2}), bytes_of(int64_t{-1}),
                                 bytes_of(int64_t{100})}),
            (std::vector<size_t>{2, 1, 0, 3}));
  EXPECT_EQ(order(types.int8(), {bytes_of(int8_t{1}), bytes_of(int8_t{-128})}),
            (std::vector<size_t>{1, 0}));
  EXPECT_EQ(order(types.uint64(),
                  {bytes_of(std::numeric_limits<uint64_t>::max()), bytes_of(uint64_t{9})}),
            (std::vector<size_t>{1, 0}));
}

TEST_F(KeyOrderTest, FloatsByValueWithNaNFirst) {
  double nan = std::nan("");
  EXPECT_EQ(
      order(types.float64(), {bytes_of(2.5), bytes_of(-1e300), bytes_of(nan),
                              bytes_of(-std::numeric_limits<double>::infinity()), bytes_of(nan)}),
      (std::vector<size_t>{2, 4, 3, 1, 0}));
}

TEST_F(KeyOrderTest, ZeroBetweenNegativesAndPositivesWhateverItsSign) {
  EXPECT_EQ(order(types.float64(), {bytes_of(1.0), bytes_of(0.0), bytes_of(-0.5), bytes_of(-0.0)}),
            (std::vector<size_t>{2, 1, 3, 0}));
}

TEST_F(KeyOrderTest, StringsByBytesAndFalseBeforeTrue) {
  EXPECT_EQ(order(types.string(), {go_string("b"), go_string("ab"), go_string(""), go_string("a")}),
            (std::vector<size_t>{2, 3, 1, 0}));
  EXPECT_EQ(order(types.bool_(), {bytes_of(uint8_t{1}), bytes_of(uint8_t{0})}),
            (std::vector<size_t>{1, 0}));
}

TEST_F(KeyOrderTest, StructsAndArraysFieldByField) {
  const GoType* point = types.structure("main.P", {{"X", types.int_()}, {"Y", types.int_()}});
  auto p = [](int64_t x, int64_t y) {
    std::vector<uint8_t> b = bytes_of(x), tail = bytes_of(y);
    b.insert(b.end(), tail.begin(), tail.end());
    return b;
  };
  EXPECT_EQ(order(point, {p(2, 0), p(1, 10), p(1, 9)}), (std::vector<size_t>{2, 1, 0}));
  EXPECT_EQ(order(types.array(types.int_(), 2), {p(0, 10), p(0, 2)}), (std::vector<size_t>{1, 0}));
}

TEST_F(KeyOrderTest, InterfacesNilFirst) {
  const GoType* any = types.basic(GoKind::Interface, 16, "interface {}");
  std::vector<uint8_t> nil(16, 0), some = bytes_of(uint64_t{0x500000});
  some.resize(16);
  EXPECT_EQ(order(any, {some, nil}), (std::vector<size_t>{1, 0}));
}

}  // namespace
}  // namespace gomapdbg
