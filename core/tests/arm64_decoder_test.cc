// The AArch64 decoder on instruction words of a real go1.26 linux/arm64
// build (crash_writers' main.main and the runtime), with the expected
// decoding worked out from the Arm ARM's encodings (DDI 0487, C4.1 and the
// instruction pages), and the backward scan over a map call as Go's arm64
// compiler emits it.
#include "arch/arm64_decoder.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "code/register_origin.h"

namespace gomapdbg {
namespace {

constexpr RegisterNumber x(unsigned n) { return static_cast<RegisterNumber>(n); }

Instruction at(uint64_t address, uint32_t word) { return decode_arm64_word(word, address); }

// Decodes `words` from `address` on, ADRP pairs completed.
std::vector<Instruction> sweep(uint64_t address, const std::vector<uint32_t>& words) {
  std::vector<uint8_t> bytes(words.size() * 4);
  std::memcpy(bytes.data(), words.data(), bytes.size());
  InstructionStream stream(aarch64_instructions(), bytes, address);
  std::vector<Instruction> out;
  while (auto in = stream.next()) out.push_back(*in);
  EXPECT_TRUE(stream.at_end());
  return out;
}

TEST(Arm64Decoder, Branches) {
  // BL imm26 (100101): imm26 = 0x3feee34, -0x111cc words from 0xc9a30.
  Instruction bl = at(0xc9a30, 0x97feee34);
  EXPECT_EQ(bl.flow, Flow::Call);
  EXPECT_EQ(bl.branch_target, 0x85300u);
  EXPECT_EQ(bl.writes, register_bit(x(30)));  // the link register
  // B imm26 (000101): +0xd words.
  EXPECT_EQ(at(0xc9a58, 0x1400000d).flow, Flow::Jump);
  EXPECT_EQ(at(0xc9a58, 0x1400000d).branch_target, 0xc9a8cu);
  // B.LS (01010100, cond 1001): imm19 = 0x35d words.
  EXPECT_EQ(at(0xc9a1c, 0x54006ba9).flow, Flow::ConditionalJump);
  EXPECT_EQ(at(0xc9a1c, 0x54006ba9).branch_target, 0xca790u);
  // B.LT backwards: imm19 = 0x7ffd8 = -0x28 words.
  EXPECT_EQ(at(0xc9b4c, 0x54fffb0b).branch_target, 0xc9aacu);
  // CBNZ W1 (0 011010 1): imm19 = 4 words.
  EXPECT_EQ(at(0xc9a4c, 0x35000081).flow, Flow::ConditionalJump);
  EXPECT_EQ(at(0xc9a4c, 0x35000081).branch_target, 0xc9a5cu);
  // TBNZ X3, #63 (b5=1, 011011 1, b40=11111): imm14 = 0x12 words.
  EXPECT_EQ(at(0x112a4, 0xb7f80243).flow, Flow::ConditionalJump);
  EXPECT_EQ(at(0x112a4, 0xb7f80243).branch_target, 0x112ecu);
  // Branch (register): BR X27 (opc 0000), BLR X0 (0001), RET (0010).
  EXPECT_EQ(at(0x111b8, 0xd61f0360).flow, Flow::IndirectJump);
  Instruction blr = at(0x11a60, 0xd63f0000);
  EXPECT_EQ(blr.flow, Flow::IndirectCall);
  EXPECT_EQ(blr.writes, register_bit(x(30)));
  EXPECT_EQ(at(0x110b0, 0xd65f03c0).flow, Flow::Return);
}

TEST(Arm64Decoder, TrapsAndUnknownWords) {
  EXPECT_EQ(at(0x1117c, 0x00000000).flow, Flow::Trap);  // UDF #0, the padding
  EXPECT_EQ(at(0, 0xd4200000).flow, Flow::Trap);        // BRK #0
  // SVC #0: Linux returns in X0 and preserves every other register.
  EXPECT_EQ(at(0x1777c, 0xd4000001).writes, register_bit(x(0)));
  // op0 = 0010 (SVE): not modelled, may write anything; still 4 bytes.
  Instruction sve = at(0, 0x04000000);
  EXPECT_TRUE(sve.writes_any);
  EXPECT_EQ(sve.length, 4);
  // Every 4 bytes are an instruction; 3 bytes are none.
  uint8_t bytes[4] = {0xff, 0xff, 0xff, 0xff};
  EXPECT_TRUE(decode_arm64(bytes, 0));
  EXPECT_FALSE(decode_arm64(std::span<const uint8_t>(bytes, 3), 0));
}

TEST(Arm64Decoder, RegistersWritten) {
  // LDR X16, [X28, #16] (size 11, opc 01, unsigned imm12 = 2, scaled by 8).
  Instruction ldr = at(0xc9a10, 0xf9400b90);
  EXPECT_EQ(ldr.writes, register_bit(x(16)));
  EXPECT_EQ(ldr.base, x(28));
  EXPECT_EQ(ldr.offset, 16u);
  EXPECT_FALSE(ldr.pc_target);  // no ADRP before it
  // STP X29, X30, [X20, #-8] (signed offset, no writeback): writes nothing.
  EXPECT_EQ(at(0xc9a24, 0xa93ffa9d).writes, 0u);
  // LDP X29, X30, [SP], #16 (post-index, L=1): both and the base.
  EXPECT_EQ(at(0, 0xa8c17bfd).writes,
            register_bit(x(29)) | register_bit(x(30)) | register_bit(kArm64Sp));
  // SUB X29, SP, #8; ORR X3, XZR, #1 (logical immediate); ADD X2, SP, #224.
  EXPECT_EQ(at(0xc9a2c, 0xd10023fd).writes, register_bit(x(29)));
  EXPECT_EQ(at(0xc9b1c, 0xb24003e3).writes, register_bit(x(3)));
  EXPECT_EQ(at(0xc9b1c, 0xb24003e3).transfer, Transfer::None);
  EXPECT_EQ(at(0xc9b34, 0x910383e2).writes, register_bit(x(2)));
  EXPECT_EQ(at(0xc9b34, 0x910383e2).transfer, Transfer::None);
  // LDADDAL X4, X6, [X5]: the old value into X6. STLXR W27, W1, [X2]: the status into W27.
  EXPECT_EQ(at(0x21260, 0xf8e400a6).writes, register_bit(x(6)));
  EXPECT_EQ(at(0x20034, 0x881bfc41).writes, register_bit(x(27)));
  // STR X0, [X27, #4032]: a store writes no register.
  EXPECT_EQ(at(0xc9a90, 0xf907e360).writes, 0u);
}

TEST(Arm64Decoder, Copies) {
  // MOV X2, X0 = ORR X2, XZR, X0.
  Instruction mov = at(0xc9ab8, 0xaa0003e2);
  EXPECT_EQ(mov.transfer, Transfer::Copy);
  EXPECT_EQ(mov.dest, x(2));
  EXPECT_EQ(mov.source, x(0));
  // MOV SP, X20 = ADD SP, X20, #0; MOV X4, SP = ADD X4, SP, #0.
  Instruction to_sp = at(0xc9a28, 0x9100029f);
  EXPECT_EQ(to_sp.transfer, Transfer::Copy);
  EXPECT_EQ(to_sp.dest, kArm64Sp);
  EXPECT_EQ(to_sp.source, x(20));
  Instruction from_sp = at(0x15074, 0x910003e4);
  EXPECT_EQ(from_sp.transfer, Transfer::Copy);
  EXPECT_EQ(from_sp.dest, x(4));
  EXPECT_EQ(from_sp.source, kArm64Sp);
}

TEST(Arm64Decoder, AdrpPairsAndLiterals) {
  // ADRP X27: immhi:immlo = 0x138 pages from 0xc9000.
  Instruction adrp = at(0xc9a44, 0x900009db);
  EXPECT_EQ(adrp.page, 0x201000u);
  EXPECT_EQ(adrp.writes, register_bit(x(27)));
  EXPECT_FALSE(adrp.pc_target);  // a page is no data reference by itself
  // ADRP X27 + LDR W1, [X27, #3744]: a 4-byte load, a reference, no global pointer.
  auto w = sweep(0xc9a44, {0x900009db, 0xb94ea361});
  EXPECT_EQ(w[1].pc_target, 0x201000u + 3744);
  EXPECT_EQ(w[1].transfer, Transfer::None);
  // ADRP X27, 0x1da000 + LDR X1, [X27, #4032]: MOVD main.ints(SB), R1.
  auto load = sweep(0xc9ab0, {0xb000089b, 0xf947e361});
  ASSERT_TRUE(load[0].page);
  EXPECT_EQ(load[1].pc_target, *load[0].page + 4032);
  EXPECT_EQ(load[1].transfer, Transfer::LoadGlobal);
  EXPECT_EQ(load[1].dest, x(1));
  // ADRP X0, 0xe3000 + ADD X0, X0, #3264: MOVD $type(SB), R0.
  auto address = sweep(0xc9abc, {0xd00000c0, 0x91330000});
  EXPECT_EQ(address[0].page, 0xe3000u);
  EXPECT_EQ(address[1].pc_target, 0xe3cc0u);
  EXPECT_EQ(address[1].transfer, Transfer::Address);
  EXPECT_EQ(address[1].dest, x(0));
  // An ADD on another register than the ADRP's is no pair.
  EXPECT_FALSE(sweep(0xc9abc, {0xd00000c0, 0x91330021})[1].pc_target);  // ADD X1, X1, #3264
  // LDR X0, literal +8 (opc 01, 011000, imm19 = 2).
  Instruction literal = at(0x1000, 0x58000040);
  EXPECT_EQ(literal.pc_target, 0x1008u);
  EXPECT_EQ(literal.transfer, Transfer::LoadGlobal);
}

// crash_writers' main.main at 0xc9ab0, `ints[i] = i` (go1.26):
//   adrp x27, 0x1da000; ldr x1, [x27, #4032]; mov x2, x0;
//   adrp x0, 0xe3000; add x0, x0, #3264; bl runtime.mapassign_fast64
TEST(Arm64Decoder, TheMapAndItsTypeBeforeAMapCall) {
  auto code =
      sweep(0xc9ab0, {0xb000089b, 0xf947e361, 0xaa0003e2, 0xd00000c0, 0x91330000, 0x97fd5273});
  ASSERT_EQ(code.size(), 6u);
  EXPECT_EQ(code[5].flow, Flow::Call);
  EXPECT_EQ(code[5].branch_target, 0x1e490u);
  const InstructionSet& set = aarch64_instructions();
  auto map = register_origin(set, code, 5, x(1), {});
  EXPECT_EQ(map.kind, ArgumentOrigin::Kind::Global) << map.why;
  EXPECT_EQ(map.address, 0x1dafc0u);
  EXPECT_EQ(map.set_at, 0xc9ab4u);
  auto type = register_origin(set, code, 5, x(0), {});
  EXPECT_EQ(type.kind, ArgumentOrigin::Kind::Address) << type.why;
  EXPECT_EQ(type.address, 0xe3cc0u);
  // X2 came from X0 before X0 was set: a copy of what X0 held then.
  auto key = register_origin(set, code, 5, x(2), {});
  EXPECT_EQ(key.kind, ArgumentOrigin::Kind::Unknown);
  EXPECT_NE(key.why.find("function's entry"), std::string::npos) << key.why;
}

}  // namespace
}  // namespace gomapdbg
