// One x86-64 instruction at a time (64-bit mode): its exact length and the
// few facts the code index needs: a RIP-relative operand's target, direct
// call and branch targets, control flow, and which general-purpose registers
// it writes, with the copies and loads a backward scan can follow.
//
// Lengths cover legacy prefixes, REX, the one-byte, 0F, 0F38 and 0F3A maps,
// VEX (C4/C5), EVEX (62) and x87 (Intel SDM vol. 2, appendix A). Register
// effects are modelled for the integer instructions Go's compiler emits;
// anything else that may write a general-purpose register says so
// (`writes_any`), never "writes nothing".
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "arch/instruction.h"

namespace gomapdbg {

// General-purpose registers by their encoding number.
enum class Gpr : uint8_t {
  Rax,
  Rcx,
  Rdx,
  Rbx,
  Rsp,
  Rbp,
  Rsi,
  Rdi,
  R8,
  R9,
  R10,
  R11,
  R12,
  R13,
  R14,
  R15
};
inline constexpr RegisterNumber gpr(Gpr r) { return static_cast<RegisterNumber>(r); }
inline constexpr uint64_t gpr_bit(Gpr r) { return register_bit(gpr(r)); }
const char* gpr_name(Gpr r);

// The architectural limit: longer encodings fault.
inline constexpr size_t kMaxInstructionLength = 15;

// Decodes the instruction at the start of `bytes`, which sit at `address`.
// nullopt when the bytes are not a valid 64-bit instruction or are cut off
// before its end; never reads past `bytes`. A RIP-relative operand's target
// is `pc_target`.
std::optional<Instruction> decode_x86(std::span<const uint8_t> bytes, uint64_t address);

}  // namespace gomapdbg
