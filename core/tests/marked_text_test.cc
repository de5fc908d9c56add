#include "commands/marked_text.h"

#include <gtest/gtest.h>

namespace gomapdbg {
namespace {

std::string painted(std::string_view line) {
  std::string out;
  render_line(line, {true, 0}, out);
  return out;
}

std::string plain(std::string_view line) {
  std::string out;
  render_line(line, {false, 0}, out);
  return out;
}

TEST(MarkedText, ProseMarksItsAddressesPositionsAndFunctionAtsFunction) {
  std::string text = "frame 2 main.writer (main.go:42); its stack slot 0xc000012340 holds it";
  EXPECT_EQ(painted(marked_prose(text)),
            "frame 2 \x1b[33mmain.writer\x1b[m (\x1b[32mmain.go:42\x1b[m); its stack slot "
            "\x1b[34m0xc000012340\x1b[m holds it\n");
  EXPECT_EQ(plain(marked_prose(text)), text + "\n");
}

TEST(MarkedText, ProseMarksTheFunctionsItNamesAsTheAnalysisWritesThem) {
  EXPECT_EQ(painted(marked_prose("inside runtime.mapassign_fast64 on this map (argument of "
                                 "runtime.(*mheap).alloc.func1)")),
            "inside \x1b[33mruntime.mapassign_fast64\x1b[m on this map (argument of "
            "\x1b[33mruntime.(*mheap).alloc.func1\x1b[m)\n");
  EXPECT_EQ(painted(marked_prose("main.main's call of runtime.mapassign in goroutine 1")),
            "\x1b[33mmain.main\x1b[m's call of \x1b[33mruntime.mapassign\x1b[m in goroutine 1\n");
  EXPECT_EQ(painted(marked_prose("caught in runtime.fatal: it")),
            "caught in \x1b[33mruntime.fatal\x1b[m: it\n");
  EXPECT_EQ(painted(marked_prose("wrote in main.go:12")), "wrote in \x1b[32mmain.go:12\x1b[m\n");
  EXPECT_EQ(painted(marked_prose("the layout of map[main.key]int, in asm_amd64.s:1695")),
            "the layout of map[main.key]int, in \x1b[32masm_amd64.s:1695\x1b[m\n");
}

TEST(MarkedText, ShortHexAndNumbersStayPlainInProse) {
  EXPECT_EQ(painted(marked_prose("flags 0x4, count 12, si_code 0x80")),
            "flags 0x4, count 12, si_code 0x80\n");
}

TEST(MarkedText, AWarningsPrefixAndItsAddressesAreMarked) {
  EXPECT_EQ(painted(warning_line("the memory at 0x7f0000001000 differs")),
            "\x1b[1;33mwarning:\x1b[m the memory at \x1b[34m0x7f0000001000\x1b[m differs\n");
}

TEST(MarkedText, AFunctionAndItsPositionAreMarkedApart) {
  EXPECT_EQ(painted(function_position_text("main.f", "/src/app/main.go", 7)),
            "\x1b[33mmain.f\x1b[m \x1b[32mmain.go:7\x1b[m\n");
  EXPECT_EQ(painted(address_text(0xc000010000)), "\x1b[34m0xc000010000\x1b[m\n");
}

}  // namespace
}  // namespace gomapdbg
