#include "values/go_quote.h"

#include <gtest/gtest.h>

namespace gomapdbg {
namespace {

std::string quoted(std::string_view s) {
  std::string out;
  append_go_quoted(out, s);
  return out;
}

// Expected strings are what Go's strconv.Quote returns for the same input.
TEST(GoQuote, MatchesStrconvQuote) {
  EXPECT_EQ(quoted("plain"), "\"plain\"");
  EXPECT_EQ(quoted("tab\there"), "\"tab\\there\"");
  EXPECT_EQ(quoted("quote\"1\\"), "\"quote\\\"1\\\\\"");
  EXPECT_EQ(quoted("héllo, 世界"), "\"héllo, 世界\"");
  EXPECT_EQ(quoted(std::string_view("nl\n\x00\x7f", 5)), "\"nl\\n\\x00\\x7f\"");
  EXPECT_EQ(quoted("\xff"), "\"\\xff\"");
  EXPECT_EQ(quoted("\u2028"), "\"\\u2028\"");
}

// Every expectation below is strconv.Quote's output (go1.26.8) for the same bytes.

TEST(GoQuote, EmptyString) { EXPECT_EQ(quoted(""), R"("")"); }

TEST(GoQuote, ControlCharactersWithShortEscapes) {
  EXPECT_EQ(quoted("\a\b\f\r\v"), R"("\a\b\f\r\v")");
}

TEST(GoQuote, OtherAsciiControlsAsHexEscapes) {
  EXPECT_EQ(quoted("\x1b[0m"), R"("\x1b[0m")");
  EXPECT_EQ(quoted(std::string_view("a\0b", 3)), R"("a\x00b")");
}

TEST(GoQuote, SingleQuoteAndBacktickAreKept) { EXPECT_EQ(quoted("'`"), R"("'`")"); }

TEST(GoQuote, C1ControlsAsUnicodeEscapes) {
  EXPECT_EQ(quoted("\u0080"), R"("\u0080")");
  EXPECT_EQ(quoted("\u0085"), R"("\u0085")");
  EXPECT_EQ(quoted("\u009f"), R"("\u009f")");
}

TEST(GoQuote, InvisibleFormatCharactersAreEscaped) {
  EXPECT_EQ(quoted("\u00ad"), R"("\u00ad")");  // soft hyphen
  EXPECT_EQ(quoted("\ufeff"), R"("\ufeff")");  // byte order mark
  EXPECT_EQ(quoted("\u2029"), R"("\u2029")");  // paragraph separator
}

TEST(GoQuote, NoncharactersAndPrivateUseAreEscaped) {
  EXPECT_EQ(quoted("\ufffe"), R"("\ufffe")");
  EXPECT_EQ(quoted("\uffff"), R"("\uffff")");
  EXPECT_EQ(quoted("\ue000"), R"("\ue000")");
  EXPECT_EQ(quoted("\U0001fffe"), R"("\U0001fffe")");
  EXPECT_EQ(quoted("\U0010ffff"), R"("\U0010ffff")");
}

TEST(GoQuote, PrintableRunesAreKeptAsUtf8) {
  EXPECT_EQ(quoted("\u00e9"), "\"\u00e9\"");
  EXPECT_EQ(quoted("\ufffd"), "\"\ufffd\"");  // the replacement character itself
  EXPECT_EQ(quoted("\U0001F600"), "\"\U0001F600\"");
  EXPECT_EQ(quoted("\U0001F1FA\U0001F1F8"), "\"\U0001F1FA\U0001F1F8\"");
  EXPECT_EQ(quoted("e\u0301"), "\"e\u0301\"");        // combining mark
  EXPECT_EQ(quoted("\ufe0f"), "\"\ufe0f\"");          // variation selector
  EXPECT_EQ(quoted("\U000E0100"), "\"\U000E0100\"");  // variation selector supplement
}

TEST(GoQuote, InvalidUtf8IsEscapedBytewise) {
  EXPECT_EQ(quoted("\xe4\xb8"), R"("\xe4\xb8")");                  // truncated sequence
  EXPECT_EQ(quoted("\xc0\xaf"), R"("\xc0\xaf")");                  // overlong encoding
  EXPECT_EQ(quoted("\xed\xa0\x80"), R"("\xed\xa0\x80")");          // surrogate half
  EXPECT_EQ(quoted("\xf4\x90\x80\x80"), R"("\xf4\x90\x80\x80")");  // above U+10FFFF
  EXPECT_EQ(quoted("\xf8"), R"("\xf8")");
  EXPECT_EQ(quoted("ok\xffok"), R"("ok\xffok")");
}

}  // namespace
}  // namespace gomapdbg
