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
inline constexpr uint16_t gpr_bit(Gpr r) { return uint16_t(1u << static_cast<unsigned>(r)); }
const char* gpr_name(Gpr r);

enum class Flow : uint8_t {
  None,             // falls through to the next instruction
  Call,             // CALL rel32: target in `branch_target`
  IndirectCall,     // CALL r/m
  Jump,             // JMP rel8/rel32
  IndirectJump,     // JMP r/m (Go's jump tables, tail calls through registers)
  ConditionalJump,  // Jcc, LOOP, JRCXZ, XBEGIN: falls through or branches
  Return,           // RET, IRET
  Trap,             // UD0/UD1/UD2, HLT, INT3: execution does not go on here
};

// What a register-writing instruction put there, when the scan can tell.
enum class Transfer : uint8_t {
  None,
  Copy,        // MOV r64, r64: `dest` = `source`
  LoadGlobal,  // MOV r64, [rip+d]: `dest` = the 8 bytes at `rip_target`
  Address,     // LEA r64, [rip+d]: `dest` = `rip_target`
};

struct X86Instruction {
  uint64_t address = 0;
  uint8_t length = 0;
  Flow flow = Flow::None;
  uint64_t branch_target = 0;  // Call, Jump and ConditionalJump with a relative target
  // Absolute target of a RIP-relative memory operand (next address + disp32).
  std::optional<uint64_t> rip_target;
  uint16_t writes = 0;      // gpr_bit() of each register written (any width)
  bool writes_any = false;  // not modelled: may write any general-purpose register
  Transfer transfer = Transfer::None;
  Gpr dest = Gpr::Rax, source = Gpr::Rax;

  uint64_t next() const { return address + length; }
  bool may_write(Gpr r) const { return writes_any || (writes & gpr_bit(r)); }
};

// The architectural limit: longer encodings fault.
inline constexpr size_t kMaxInstructionLength = 15;

// Decodes the instruction at the start of `bytes`, which sit at `address`.
// nullopt when the bytes are not a valid 64-bit instruction or are cut off
// before its end; never reads past `bytes`.
std::optional<X86Instruction> decode_x86(std::span<const uint8_t> bytes, uint64_t address);

}  // namespace gomapdbg
