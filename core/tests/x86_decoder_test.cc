// The x86-64 decoder on encodings taken from `objdump -d -w` of Go test
// binaries (go1.26 crash_writers unless noted) and on hand-made ones for
// the corner cases of the length rules.
#include "arch/x86_decoder.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace gomapdbg {
namespace {

constexpr uint64_t kAt = 0x401000;

std::optional<Instruction> decode(const std::vector<uint8_t>& bytes, uint64_t at = kAt) {
  return decode_x86(bytes, at);
}

struct Encoding {
  const char* what;
  std::vector<uint8_t> bytes;
};

// Each decodes to exactly its bytes (a trailing byte is added to show that
// the decoder stops at the end of the instruction).
const std::vector<Encoding> kLengths = {
    {"lea 0xcd703(%rip),%rax", {0x48, 0x8d, 0x05, 0x03, 0xd7, 0x0c, 0x00}},
    {"mov 0x1c74ce(%rip),%rbx", {0x48, 0x8b, 0x1d, 0xce, 0x74, 0x1c, 0x00}},
    {"call runtime.mapassign_fast64", {0xe8, 0xa1, 0x75, 0xf7, 0xff}},
    {"cmpl $0x0,0x1e77f2(%rip)", {0x83, 0x3d, 0xf2, 0x77, 0x1e, 0x00, 0x00}},
    {"cmpb $0x0,0x1e7502(%rip)", {0x80, 0x3d, 0x02, 0x75, 0x1e, 0x00, 0x00}},
    {"movl $0x1,0x8(%rsp)", {0xc7, 0x44, 0x24, 0x08, 0x01, 0x00, 0x00, 0x00}},
    {"movw $0x0,0x4d(%rsp)", {0x66, 0xc7, 0x44, 0x24, 0x4d, 0x00, 0x00}},
    {"movups %xmm15,0x8(%rcx)", {0x44, 0x0f, 0x11, 0x79, 0x08}},
    {"movsd 0x90(%rsp),%xmm0", {0xf2, 0x0f, 0x10, 0x84, 0x24, 0x90, 0x00, 0x00, 0x00}},
    {"movq %xmm0,%rdx", {0x66, 0x48, 0x0f, 0x7e, 0xc2}},
    {"pmovmskb %xmm1,%eax", {0x66, 0x0f, 0xd7, 0xc1}},
    {"pshufb (%rax,%rcx,8),%xmm1", {0x66, 0x0f, 0x38, 0x00, 0x0c, 0xc8}},
    {"popcnt %edx,%edx", {0xf3, 0x0f, 0xb8, 0xd2}},
    {"rep stos %rax,%es:(%rdi)", {0xf3, 0x48, 0xab}},
    {"lock xadd %rbx,(%rdx)", {0xf0, 0x48, 0x0f, 0xc1, 0x1a}},
    {"lock cmpxchg %r9d,0x178(%r8)", {0xf0, 0x45, 0x0f, 0xb1, 0x88, 0x78, 0x01, 0x00, 0x00}},
    {"movabs $0xe38e38e38e38e38f,%rax",
     {0x48, 0xb8, 0x8f, 0xe3, 0x38, 0x8e, 0xe3, 0x38, 0x8e, 0xe3}},
    {"nopw 0x0(%rax,%rax,1)", {0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00}},
    {"xchg %ax,%ax", {0x66, 0x90}},
    {"jmp *(%rcx,%rdx,8)", {0xff, 0x24, 0xd1}},
    {"vmovdqu (%rsi),%ymm2", {0xc5, 0xfe, 0x6f, 0x16}},
    {"vzeroupper", {0xc5, 0xf8, 0x77}},
    {"vpbroadcastb %xmm0,%ymm1", {0xc4, 0xe2, 0x7d, 0x78, 0xc8}},
    {"kmovw %k1,%r15d", {0xc5, 0x78, 0x93, 0xf9}},
    {"vmovdqu64 0x40(%rax),%zmm2", {0x62, 0xf1, 0xfe, 0x48, 0x6f, 0x50, 0x01}},
    {"vmovdqu64 0xe7ef6(%rip),%zmm0", {0x62, 0xf1, 0xfe, 0x48, 0x6f, 0x05, 0xf6, 0x7e, 0x0e, 0x00}},
    {"vpternlogd $0x96,%zmm11,%zmm5,%zmm1 (go command)",
     {0x62, 0xd3, 0x55, 0x48, 0x25, 0xcb, 0x96}},
    {"vinserti128 $1,%xmm1,%ymm0,%ymm0", {0xc4, 0xe3, 0x7d, 0x38, 0xc1, 0x01}},
    {"syscall", {0x0f, 0x05}},
    {"rdtscp", {0x0f, 0x01, 0xf9}},
    {"endbr64", {0xf3, 0x0f, 0x1e, 0xfa}},
    {"fnstcw 0x8(%rsp)", {0xd9, 0x7c, 0x24, 0x08}},
    {"fldl 0x10(%rip)", {0xdd, 0x05, 0x10, 0x00, 0x00, 0x00}},
    {"fnstsw %ax", {0xdf, 0xe0}},
    {"test $0x1,%cl (F6 /0 takes imm8)", {0xf6, 0xc1, 0x01}},
    {"not %cl (F6 /2 takes none)", {0xf6, 0xd1}},
    {"test $0x1234,%cx (F7 /0, 66: imm16)", {0x66, 0xf7, 0xc1, 0x34, 0x12}},
    {"test $0x12345678,%rcx (F7 /0, REX.W: imm32)", {0x48, 0xf7, 0xc1, 0x78, 0x56, 0x34, 0x12}},
    {"mov $0x1234,%ax (66 B8: imm16)", {0x66, 0xb8, 0x34, 0x12}},
    {"movabs $0x1234,%rax (66 REX.W B8: imm64)", {0x66, 0x48, 0xb8, 0x34, 0x12, 0, 0, 0, 0, 0, 0}},
    {"movabs 0x1122334455667788,%eax (A1 moffs64)",
     {0xa1, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11}},
    {"addr32 mov 0x12345678,%eax (67 A1 moffs32)", {0x67, 0xa1, 0x78, 0x56, 0x34, 0x12}},
    {"enter $0x10,$0x0", {0xc8, 0x10, 0x00, 0x00}},
    {"ret $0x8", {0xc2, 0x08, 0x00}},
    {"mov %cr0,%rax (mod ignored)", {0x0f, 0x20, 0x00}},
    {"palignr $0x4,%xmm1,%xmm0", {0x66, 0x0f, 0x3a, 0x0f, 0xc1, 0x04}},
    {"extrq $0x4,$0x8,%xmm0 (SSE4a: two imm8)", {0x66, 0x0f, 0x78, 0xc0, 0x04, 0x08}},
    {"cvtdq2pd %xmm1,%xmm0 (0F E6 needs F3, 66 or F2)", {0xf3, 0x0f, 0xe6, 0xc1}},
    {"crc32q %rax,%rcx", {0xf2, 0x48, 0x0f, 0x38, 0xf1, 0xc8}},
};

TEST(X86Decoder, LengthsOfRealEncodings) {
  for (const Encoding& e : kLengths) {
    std::vector<uint8_t> bytes = e.bytes;
    bytes.push_back(0x90);
    auto in = decode(bytes);
    ASSERT_TRUE(in) << e.what;
    EXPECT_EQ(in->length, e.bytes.size()) << e.what;
  }
}

TEST(X86Decoder, RipRelativeTargetIsFromTheEndOfTheInstruction) {
  // lea 0xcd703(%rip),%rax at 0x4010b6 -> 0x4ce7c0 (objdump's annotation).
  auto lea = decode({0x48, 0x8d, 0x05, 0x03, 0xd7, 0x0c, 0x00}, 0x4010b6);
  ASSERT_TRUE(lea && lea->pc_target);
  EXPECT_EQ(*lea->pc_target, 0x4ce7c0u);
  EXPECT_EQ(lea->transfer, Transfer::Address);
  EXPECT_EQ(lea->dest, gpr(Gpr::Rax));
  // cmpl $0x0,0x1e77f2(%rip) at 0x402087: the imm8 after disp32 moves the
  // next address, so the target is 0x5e9880 (runtime.writeBarrier).
  auto cmp = decode({0x83, 0x3d, 0xf2, 0x77, 0x1e, 0x00, 0x00}, 0x402087);
  ASSERT_TRUE(cmp && cmp->pc_target);
  EXPECT_EQ(*cmp->pc_target, 0x5e9880u);
  EXPECT_EQ(cmp->writes, 0);
  EXPECT_FALSE(cmp->writes_any);
  // vmovdqu64 0xe7ef6(%rip),%zmm0 at 0x411620 -> 0x4f9520: EVEX disp32 is not scaled.
  auto evex = decode({0x62, 0xf1, 0xfe, 0x48, 0x6f, 0x05, 0xf6, 0x7e, 0x0e, 0x00}, 0x411620);
  ASSERT_TRUE(evex && evex->pc_target);
  EXPECT_EQ(*evex->pc_target, 0x4f9520u);
}

TEST(X86Decoder, LoadFromAGlobal) {
  // mov 0x1c74ce(%rip),%rbx at 0x4020d3 -> 0x5c95a8.
  auto in = decode({0x48, 0x8b, 0x1d, 0xce, 0x74, 0x1c, 0x00}, 0x4020d3);
  ASSERT_TRUE(in);
  EXPECT_EQ(in->transfer, Transfer::LoadGlobal);
  EXPECT_EQ(in->dest, gpr(Gpr::Rbx));
  EXPECT_EQ(*in->pc_target, 0x5c95a8u);
  EXPECT_EQ(in->writes, gpr_bit(Gpr::Rbx));
  // A thread-local load (%fs) is not a global.
  auto tls = decode({0x64, 0x48, 0x8b, 0x1d, 0x00, 0x00, 0x00, 0x00});
  ASSERT_TRUE(tls);
  EXPECT_EQ(tls->transfer, Transfer::None);
}

TEST(X86Decoder, CallAndBranchTargets) {
  auto call = decode({0xe8, 0xa1, 0x75, 0xf7, 0xff}, 0x498a9a);
  ASSERT_TRUE(call);
  EXPECT_EQ(call->flow, Flow::Call);
  EXPECT_EQ(call->branch_target, 0x410040u);
  EXPECT_TRUE(call->writes_any);
  auto je = decode({0x74, 0x50}, 0x401188);
  ASSERT_TRUE(je);
  EXPECT_EQ(je->flow, Flow::ConditionalJump);
  EXPECT_EQ(je->branch_target, 0x4011dau);
  auto jmp = decode({0xeb, 0x0f}, 0x401060);
  EXPECT_EQ(jmp->flow, Flow::Jump);
  EXPECT_EQ(jmp->branch_target, 0x401071u);
  auto jne32 = decode({0x0f, 0x85, 0x10, 0x00, 0x00, 0x00}, 0x401000);
  EXPECT_EQ(jne32->flow, Flow::ConditionalJump);
  EXPECT_EQ(jne32->branch_target, 0x401016u);
  EXPECT_EQ(decode({0xc3})->flow, Flow::Return);
  EXPECT_EQ(decode({0xff, 0xd0})->flow, Flow::IndirectCall);
  EXPECT_EQ(decode({0xff, 0x24, 0xd1})->flow, Flow::IndirectJump);
  EXPECT_EQ(decode({0x0f, 0x0b})->flow, Flow::Trap);
}

TEST(X86Decoder, RegisterCopies) {
  auto mov = decode({0x48, 0x89, 0xc3});  // mov %rax,%rbx
  ASSERT_TRUE(mov);
  EXPECT_EQ(mov->transfer, Transfer::Copy);
  EXPECT_EQ(mov->dest, gpr(Gpr::Rbx));
  EXPECT_EQ(mov->source, gpr(Gpr::Rax));
  auto mov8b = decode({0x49, 0x8b, 0xd8});  // mov %r8,%rbx
  EXPECT_EQ(mov8b->transfer, Transfer::Copy);
  EXPECT_EQ(mov8b->dest, gpr(Gpr::Rbx));
  EXPECT_EQ(mov8b->source, gpr(Gpr::R8));
  auto mov32 = decode({0x89, 0xc3});  // mov %eax,%ebx: not a pointer copy
  EXPECT_EQ(mov32->transfer, Transfer::None);
  EXPECT_EQ(mov32->writes, gpr_bit(Gpr::Rbx));
}

TEST(X86Decoder, RegistersWritten) {
  auto writes = [](std::vector<uint8_t> bytes) {
    auto in = decode(bytes);
    EXPECT_TRUE(in);
    return in ? in->writes : 0xffff;
  };
  EXPECT_EQ(writes({0x31, 0xc0}), gpr_bit(Gpr::Rax));  // xor %eax,%eax
  EXPECT_EQ(writes({0x5d}), gpr_bit(Gpr::Rbp) | gpr_bit(Gpr::Rsp));
  EXPECT_EQ(writes({0x48, 0x99}), gpr_bit(Gpr::Rdx));                            // cqto
  EXPECT_EQ(writes({0x49, 0xf7, 0xf0}), gpr_bit(Gpr::Rax) | gpr_bit(Gpr::Rdx));  // div %r8
  EXPECT_EQ(writes({0x0f, 0x05}), gpr_bit(Gpr::Rax) | gpr_bit(Gpr::Rcx) | gpr_bit(Gpr::R11));
  EXPECT_EQ(writes({0x49, 0x0f, 0x4c, 0xf0}), gpr_bit(Gpr::Rsi));  // cmovl %r8,%rsi
  EXPECT_EQ(writes({0x0f, 0x94, 0xc1}), gpr_bit(Gpr::Rcx));        // sete %cl
  EXPECT_EQ(writes({0x0f, 0x94, 0xc7}), gpr_bit(Gpr::Rbx));        // sete %bh
  EXPECT_EQ(writes({0x40, 0x0f, 0x94, 0xc7}), gpr_bit(Gpr::Rdi));  // sete %dil
  EXPECT_EQ(writes({0x48, 0x87, 0x18}), gpr_bit(Gpr::Rbx));        // xchg %rbx,(%rax)
  EXPECT_EQ(writes({0xf3, 0x48, 0xab}), gpr_bit(Gpr::Rdi) | gpr_bit(Gpr::Rcx));
  EXPECT_EQ(writes({0x48, 0xc1, 0xe1, 0x04}), gpr_bit(Gpr::Rcx));        // shl $0x4,%rcx
  EXPECT_EQ(writes({0x48, 0x39, 0xc3}), 0);                              // cmp %rax,%rbx
  EXPECT_EQ(writes({0x44, 0x0f, 0x11, 0x79, 0x08}), 0);                  // movups %xmm15,8(%rcx)
  EXPECT_EQ(writes({0x48, 0x89, 0x44, 0x24, 0x08}), 0);                  // mov %rax,8(%rsp)
  EXPECT_EQ(writes({0x66, 0x48, 0x0f, 0x7e, 0xc2}), gpr_bit(Gpr::Rdx));  // movq %xmm0,%rdx
  // Not modelled: may write anything.
  auto bzhi = decode({0xc4, 0xe2, 0xf8, 0xf5, 0xc1});
  ASSERT_TRUE(bzhi);
  EXPECT_TRUE(bzhi->writes_any);
  auto kmov = decode({0xc5, 0x78, 0x93, 0xf9});
  ASSERT_TRUE(kmov);
  EXPECT_TRUE(kmov->may_write(gpr(Gpr::R15)));
}

TEST(X86Decoder, TruncatedInstructionsAreNotDecoded) {
  for (const Encoding& e : kLengths)
    for (size_t cut = 0; cut < e.bytes.size(); ++cut)
      EXPECT_FALSE(decode_x86(std::span(e.bytes).first(cut), kAt)) << e.what << " cut at " << cut;
}

TEST(X86Decoder, InvalidEncodingsAreNotDecoded) {
  const std::vector<std::vector<uint8_t>> invalid = {
      {0x06},                                // push %es: gone in 64-bit mode
      {0x82, 0xc0, 0x01},                    // 82 /0
      {0xd6},                                // salc
      {0x8d, 0xc0},                          // lea with a register operand
      {0xff, 0xff},                          // FF /7
      {0xfe, 0xd0},                          // FE /2
      {0xc7, 0xc8, 0, 0, 0, 0},              // C7 /1
      {0x48, 0xc5, 0xfe, 0x6f, 0x16},        // REX before VEX
      {0xc5, 0x9c, 0xf9, 0x11},              // VEX.0F F9 without 66 (data in go's boring/sig)
      {0x62, 0xf1, 0xfa, 0x48, 0x6f, 0x08},  // EVEX with the fixed P1 bit clear
      {0x0f, 0x04},
      {0x0f, 0x38, 0x7a, 0xc0},        // not an opcode of 0F38
      {0x0f, 0x3a, 0xef, 0xc0, 0x01},  // nor of 0F3A
      {0x0f, 0xe6, 0xc1},              // no mandatory prefix
  };
  for (const auto& bytes : invalid) EXPECT_FALSE(decode(bytes)) << int(bytes[0]);
}

TEST(X86Decoder, TooLongIsInvalid) {
  std::vector<uint8_t> bytes(14, 0x66);  // 14 prefixes + nop = 15 bytes: valid
  bytes.push_back(0x90);
  EXPECT_EQ(decode(bytes)->length, 15);
  bytes.insert(bytes.begin(), 0x66);  // 16 bytes
  EXPECT_FALSE(decode(bytes));
}

TEST(X86Decoder, GarbageNeverReadsPastTheBuffer) {
  // A fixed pseudo-random stream decoded at every offset with every length
  // (AddressSanitizer in scripts/test checks the reads).
  std::vector<uint8_t> bytes(4096);
  uint64_t x = 0x9e3779b97f4a7c15;
  for (auto& b : bytes) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    b = static_cast<uint8_t>(x);
  }
  size_t decoded = 0;
  for (size_t at = 0; at + 16 < bytes.size(); ++at)
    for (size_t n = 0; n <= 16; ++n) {
      auto in = decode_x86(std::span(bytes).subspan(at, n), kAt);
      if (!in) continue;
      ++decoded;
      EXPECT_LE(in->length, n);
      EXPECT_GE(in->length, 1);
    }
  EXPECT_GT(decoded, 0u);
}

}  // namespace
}  // namespace gomapdbg
