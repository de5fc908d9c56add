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

}  // namespace
}  // namespace gomapdbg
