// Regression tests for bugs found by review; each was failing before its fix.
#include <gtest/gtest.h>

#include "synthetic_memory.h"
#include "values/value_renderer.h"

namespace gomapdbg {
namespace {

// Floats print as Go's %v does: %g with the shortest precision, where
// strconv uses exponent form when exp < -4 || exp >= 6 ("if precision was
// the shortest possible, use precision 6 for this decision", go1.26
// src/internal/strconv/ftoa.go; fmt/print.go maps %v to 'g' with precision
// -1). The bug: exponent form only from exponent 21 on, encoding/json's
// (ES6) rule.
// Expectations are fmt.Sprintf("%v", x) printed by go1.26.8.
TEST(FormatGoFloatBug, ExponentFormFromOneMillionOn) {
  EXPECT_EQ(format_go_float(1e6, 64), "1e+06");
  EXPECT_EQ(format_go_float(1234567, 64), "1.234567e+06");
  EXPECT_EQ(format_go_float(123456789.0, 64), "1.23456789e+08");
  EXPECT_EQ(format_go_float(1e20, 64), "1e+20");
}

TEST(FormatGoFloatBug, Float32ExponentFormFromOneMillionOn) {
  EXPECT_EQ(format_go_float(16777216.0f, 32), "1.6777216e+07");
  EXPECT_EQ(format_go_float(1e7f, 32), "1e+07");
}

TEST(FormatGoFloatBug, ComplexPartsUseTheSameRule) {
  // Go: fmt.Sprintf("%v", complex64(complex(0.1, 1e6))) == "(0.1+1e+06i)".
  test::SyntheticMemory mem;
  Memory memory(mem);
  test::TypeArena types;
  const float parts[2] = {0.1f, 1e6f};
  std::vector<uint8_t> bytes(8);
  std::memcpy(bytes.data(), parts, 8);
  std::string out;
  ValueRenderer(memory, nullptr).render(out, *types.complex64(), bytes.data());
  EXPECT_EQ(out, "(0.1+1e+06i)");
}

}  // namespace
}  // namespace gomapdbg
