// Regression tests for bugs found by review; each was failing before its fix.
#include <gtest/gtest.h>

#include "values/go_quote.h"

namespace gomapdbg {
namespace {

std::string quoted(std::string_view s) {
  std::string out;
  append_go_quoted(out, s);
  return out;
}

// Every rune Go does not print is escaped as strconv.Quote escapes it:
// space separators other than U+0020 (Zs), format characters (Cf) such as
// zero-width space/joiner, unassigned code points and supplementary private
// use. The bug: printability was approximated by excluding only controls, a
// few format characters, noncharacters and BMP private use, which hid
// exactly the characters worth seeing in a forensics tool. Quoting uses Go's
// strconv.IsPrint tables (go1.26 src/strconv/isprint.go:
// isPrint16/isNotPrint16/isPrint32/isNotPrint32).
// Expectations are strconv.Quote's output from go1.26.8.
TEST(GoQuoteBug, SpaceSeparatorsOtherThanSpaceAreEscaped) {
  EXPECT_EQ(quoted("\u00a0x"), R"("\u00a0x")");  // no-break space
  EXPECT_EQ(quoted("\u1680"), R"("\u1680")");
  EXPECT_EQ(quoted("\u3000"), R"("\u3000")");  // ideographic space
}

TEST(GoQuoteBug, FormatCharactersAreEscaped) {
  EXPECT_EQ(quoted("\u200b"), R"("\u200b")");          // zero-width space
  EXPECT_EQ(quoted("\u2060"), R"("\u2060")");          // word joiner
  EXPECT_EQ(quoted("\u061c"), R"("\u061c")");          // Arabic letter mark
  EXPECT_EQ(quoted("\U000E0001"), R"("\U000e0001")");  // language tag
  EXPECT_EQ(quoted("\U0001F468\u200D\U0001F469"), "\"\U0001F468\\u200d\U0001F469\"");
}

TEST(GoQuoteBug, UnassignedAndSupplementaryPrivateUseRunesAreEscaped) {
  EXPECT_EQ(quoted("\u0378"), R"("\u0378")");
  EXPECT_EQ(quoted("\U000F0000"), R"("\U000f0000")");
}

}  // namespace
}  // namespace gomapdbg
