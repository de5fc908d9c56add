#include "commands/text_style.h"

#include <gtest/gtest.h>

namespace gomapdbg {
namespace {

std::string rendered(std::string_view line, TextStyle style) {
  std::string out;
  render_line(line, style, out);
  return out;
}

std::string frame() {
  return "  #0  " + styled(Role::Address, "0x0000000000401000") + " in " +
         styled(Role::Function, "main.worker") + std::string(kBreakHere) + " at " +
         styled(Role::File, "/src/app/main.go:42");
}

TEST(TextStyle, PlainDropsTheMarks) {
  EXPECT_EQ(rendered(frame(), {}),
            "  #0  0x0000000000401000 in main.worker at /src/app/main.go:42\n");
}

TEST(TextStyle, ColourPaintsEachSpanWithGdbDefaultStyles) {
  EXPECT_EQ(rendered(frame(), {true, 0}),
            "  #0  \x1b[34m0x0000000000401000\x1b[m in \x1b[33mmain.worker\x1b[m at "
            "\x1b[32m/src/app/main.go:42\x1b[m\n");
}

TEST(TextStyle, ALineThatFitsIsNotBroken) {
  EXPECT_EQ(rendered(frame(), {false, 64}),
            "  #0  0x0000000000401000 in main.worker at /src/app/main.go:42\n");
}

TEST(TextStyle, ATooLongFrameBreaksBeforeAtLikeGdbBt) {
  EXPECT_EQ(rendered(frame(), {false, 40}),
            "  #0  0x0000000000401000 in main.worker\n      at /src/app/main.go:42\n");
}

TEST(TextStyle, EveryBreakMarkBreaksOnceTheLineIsTooLong) {
  std::string settings = "build settings:";
  for (const char* s : {"-buildmode=exe", "-compiler=gc", "CGO_ENABLED=1"})
    settings += std::string(kBreakHere) + " " + s;
  EXPECT_EQ(rendered(settings, {false, 40}),
            "build settings:\n    -buildmode=exe\n    -compiler=gc\n    CGO_ENABLED=1\n");
  EXPECT_EQ(rendered(settings, {false, 80}),
            "build settings: -buildmode=exe -compiler=gc CGO_ENABLED=1\n");
}

TEST(TextStyle, WordsWrapAtSpacesNeverInsideAWord) {
  EXPECT_EQ(rendered("  one two three four", {false, 12}), "  one two\n      three\n      four\n");
  EXPECT_EQ(rendered("averyveryverylongword and", {false, 10}), "averyveryverylongword\n    and\n");
}

TEST(TextStyle, ColumnsCountCharactersNotBytes) {
  EXPECT_EQ(rendered("chains: 1×8 2×3", {false, 15}), "chains: 1×8 2×3\n");
}

TEST(TextStyle, ASpanBrokenAcrossLinesIsClosedAndReopened) {
  std::string line = styled(Role::Warning, "warning: aa bb");
  EXPECT_EQ(rendered(line, {true, 11}), "\x1b[1;33mwarning: aa\x1b[m\n    \x1b[1;33mbb\x1b[m\n");
}

TEST(TextStyle, OnlyMarkedOrWideLinesNeedRendering) {
  EXPECT_FALSE(needs_rendering("plain", {true, 0}));
  EXPECT_TRUE(needs_rendering(styled(Role::Heading, "goroutines:"), {}));
  EXPECT_TRUE(needs_rendering("0123456789", {false, 8}));
}

}  // namespace
}  // namespace gomapdbg
