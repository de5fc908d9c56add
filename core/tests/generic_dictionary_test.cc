// A generic function's dictionary read at its call site: the caller loads a
// static dictionary into RAX (LEA rax, [rip+d]) before calling the shaped
// function directly. Hand-built program:
//   main.caller  [0x000,0x040)  code at 0x00 below, returns to 0x11
//   main.keyed   [0x040,0x080)  the shaped function, stopped at 0x48
#include "code/generic_dictionary.h"

#include <gtest/gtest.h>

#include "tests/pclntab_builder.h"
#include "tests/synthetic_memory.h"

namespace gomapdbg {
namespace {

using test::kTextStart;
using test::PclntabBuilder;
using test::SyntheticMemory;

constexpr uint64_t kCaller = kTextStart, kKeyed = kTextStart + 0x40;
constexpr uint64_t kDictionary = 0x500000;
constexpr uint64_t kStack = 0x7f0000010000;

std::vector<uint8_t> program_table() {
  using B = PclntabBuilder;
  B b;
  b.files = {"/src/main.go"};
  for (auto [off, name] :
       {std::pair<uint32_t, const char*>{0x00, "main.caller"}, {0x40, "main.keyed[go.shape.int]"}})
    b.funcs.push_back(B::Func{off, name, B::pcvalue({{0x20, 0x40}}), B::pcvalue({{0, 0x40}}),
                              B::pcvalue({{10, 0x40}})});
  return b.build(0xfffffff1, 1, kTextStart, 0x80);
}

class GenericDictionaryTest : public ::testing::Test {
 protected:
  GenericDictionaryTest() : table_(program_table(), 0), memory_(synthetic_) {
    synthetic_.map(kTextStart, 0x80);
    synthetic_.map(kStack, 0x100);
    synthetic_.put_u64(kStack + 0x20 - 8, kCaller + 0x11);  // keyed's return address
  }

  // The caller's code: `first` (7 bytes), mov rbx, [rsp+0x48] (5 bytes),
  // call rel32 to `callee` ending at 0x11.
  void caller_code(std::vector<uint8_t> first, uint64_t callee = kKeyed) {
    std::vector<uint8_t> code = first;
    for (uint8_t b : {0x48, 0x8b, 0x5c, 0x24, 0x48}) code.push_back(b);
    int32_t rel = static_cast<int32_t>(callee - (kCaller + 0x11));
    code.push_back(0xe8);
    for (int i = 0; i < 4; ++i) code.push_back(static_cast<uint8_t>(rel >> (8 * i)));
    ASSERT_EQ(code.size(), 0x11u);
    synthetic_.put_bytes(kCaller, code.data(), code.size());
  }

  static std::vector<uint8_t> lea_rax(uint64_t target) {
    int32_t disp = static_cast<int32_t>(target - (kCaller + 7));
    std::vector<uint8_t> out{0x48, 0x8d, 0x05};
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(disp >> (8 * i)));
    return out;
  }

  std::optional<uint64_t> dictionary() {
    FrameState frame;
    frame.pc = kKeyed + 0x08;
    frame.cfa = kStack + 0x20;
    return dictionary_from_call_site(amd64_architecture(), table_, memory_, frame);
  }

  Pclntab table_;
  SyntheticMemory synthetic_;
  Memory memory_;
};

TEST_F(GenericDictionaryTest, TheAddressTheCallerLoadsIntoRax) {
  caller_code(lea_rax(kDictionary));
  EXPECT_EQ(dictionary(), kDictionary);
}

TEST_F(GenericDictionaryTest, NoneWhenRaxComesFromElsewhere) {
  caller_code({0x48, 0x8b, 0x44, 0x24, 0x08, 0x90, 0x90});  // mov rax, [rsp+8]; nop; nop
  EXPECT_EQ(dictionary(), std::nullopt);
}

TEST_F(GenericDictionaryTest, NoneWhenTheCallIsNotOfThisFunction) {
  caller_code(lea_rax(kDictionary), kCaller);
  EXPECT_EQ(dictionary(), std::nullopt);
}

// arm64: ADRP X0, dict; ADD X0, X0, :lo12:dict; BL keyed, returning to
// caller+12, which keyed's prologue stored at 0(SP) (SP = CFA - 0x20).
TEST_F(GenericDictionaryTest, Arm64TheAddressTheCallerBuildsInX0) {
  auto page = [](uint64_t a) { return static_cast<int64_t>(a >> 12); };
  int64_t pages = page(kDictionary) - page(kCaller);
  uint32_t adrp = 0x90000000u | static_cast<uint32_t>((pages & 3) << 29) |
                  static_cast<uint32_t>(((pages >> 2) & 0x7ffff) << 5);             // ADRP X0
  uint32_t add = 0x91000000u | static_cast<uint32_t>((kDictionary & 0xfff) << 10);  // ADD X0, X0
  uint32_t bl = 0x94000000u | static_cast<uint32_t>(((kKeyed - (kCaller + 8)) / 4) & 0x3ffffff);
  uint32_t words[3] = {adrp, add, bl};
  synthetic_.put_bytes(kCaller, reinterpret_cast<const uint8_t*>(words), sizeof words);
  synthetic_.put_u64(kStack, kCaller + 12);
  FrameState frame;
  frame.pc = kKeyed + 0x08;
  frame.cfa = kStack + 0x20;
  EXPECT_EQ(dictionary_from_call_site(arm64_architecture(), table_, memory_, frame), kDictionary);
  words[1] = 0x91000021u;  // ADD X1, X1, #0: X0 holds just the page
  synthetic_.put_bytes(kCaller, reinterpret_cast<const uint8_t*>(words), sizeof words);
  EXPECT_EQ(dictionary_from_call_site(arm64_architecture(), table_, memory_, frame), std::nullopt);
}

TEST_F(GenericDictionaryTest, NoneWhenTheReturnAddressIsUnreadable) {
  caller_code(lea_rax(kDictionary));
  FrameState frame;
  frame.pc = kKeyed + 0x08;
  frame.cfa = 0x10;  // the stack slot below it is not mapped
  EXPECT_EQ(dictionary_from_call_site(amd64_architecture(), table_, memory_, frame), std::nullopt);
}

}  // namespace
}  // namespace gomapdbg
