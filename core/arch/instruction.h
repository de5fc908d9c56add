// One machine instruction as the code index sees it, whatever the
// architecture: its length, its control flow, a PC-relative operand's
// absolute target, and which general-purpose registers it writes, with the
// copies, loads and addresses a backward scan can follow. The x86-64 and the
// AArch64 decoders both produce it; an InstructionSet names the one an
// executable needs.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "arch/architecture.h"

namespace gomapdbg {

// A general-purpose register by its encoding number in the instruction set
// (x86-64: RAX=0 … R15=15; AArch64: X0=0 … X30=30, SP=31).
using RegisterNumber = uint8_t;
inline constexpr uint64_t register_bit(RegisterNumber r) { return uint64_t{1} << (r & 63); }

enum class Flow : uint8_t {
  None,             // falls through to the next instruction
  Call,             // CALL rel32, BL: target in `branch_target`
  IndirectCall,     // CALL r/m, BLR
  Jump,             // JMP rel8/rel32, B
  IndirectJump,     // JMP r/m, BR (jump tables, tail calls through registers)
  ConditionalJump,  // Jcc, LOOP, JRCXZ, XBEGIN, B.cond, CBZ/CBNZ, TBZ/TBNZ
  Return,           // RET, IRET, ERET
  Trap,             // UD2, HLT, INT3, UDF, BRK: execution does not go on here
};

// What a register-writing instruction put there, when the scan can tell.
enum class Transfer : uint8_t {
  None,
  Copy,        // MOV r64, r64; MOV Xd, Xm; MOV Xd, SP: `dest` = `source`
  LoadGlobal,  // MOV r64, [rip+d]; ADRP+LDR Xt; LDR Xt, literal: `dest` = 8 bytes at `pc_target`
  Address,     // LEA r64, [rip+d]; ADRP+ADD; ADR: `dest` = `pc_target`
};

struct Instruction {
  uint64_t address = 0;
  uint8_t length = 0;
  Flow flow = Flow::None;
  uint64_t branch_target = 0;  // Call, Jump and ConditionalJump with a relative target
  // Absolute target of a PC-relative memory operand or address: x86-64's
  // RIP-relative operands (next address + disp32); AArch64's literal loads,
  // ADR, and the second instruction of an ADRP pair (see `page`).
  std::optional<uint64_t> pc_target;
  uint64_t writes = 0;      // register_bit() of each register written (any width)
  bool writes_any = false;  // not modelled: may write any general-purpose register
  Transfer transfer = Transfer::None;
  RegisterNumber dest = 0, source = 0;

  // AArch64 builds a global's address in two instructions: ADRP puts the
  // 4 KiB page in `dest` (`page`); the next ADD/LDR/STR adds its 12-bit
  // offset to that register (`base`, `offset`) and then becomes
  // `when_paired` with pc_target = page + offset (complete_pair()).
  std::optional<uint64_t> page;
  std::optional<RegisterNumber> base;
  uint64_t offset = 0;
  Transfer when_paired = Transfer::None;

  uint64_t next() const { return address + length; }
  bool may_write(RegisterNumber r) const { return writes_any || (writes & register_bit(r)); }
};

// Completes `in` as the second half of an ADRP pair when `previous` is the
// ADRP of its base register.
void complete_pair(Instruction& in, const Instruction& previous);

struct InstructionSet {
  const char* name = "";    // "x86-64", "AArch64"
  RegisterNames registers;  // general-purpose register names by encoding number
  size_t max_length = 0;    // the longest instruction, in bytes
  size_t alignment = 1;     // where instructions start
  uint8_t padding = 0;      // the byte the Go linker fills between functions with
  // The instruction at the start of `bytes`, which sit at `address`; nullopt
  // when the bytes are no valid instruction or are cut off before its end.
  std::optional<Instruction> (*decode)(std::span<const uint8_t> bytes, uint64_t address) = nullptr;

  const char* register_name(RegisterNumber r) const {
    return r < registers.size() ? registers[r] : "?";
  }
  std::optional<RegisterNumber> register_number(const char* register_name) const;
};

const InstructionSet& x86_64_instructions();
const InstructionSet& aarch64_instructions();
// The instruction set of the architecture's Go code.
const InstructionSet& instruction_set(const Architecture& arch);

// Decodes a run of code from its start, each instruction paired with the one
// before it (complete_pair()).
class InstructionStream {
 public:
  InstructionStream(const InstructionSet& set, std::span<const uint8_t> code, uint64_t address)
      : set_(set), code_(code), address_(address) {}
  // The next instruction; nullopt at the end or where decoding fails
  // (position() then says where).
  std::optional<Instruction> next();
  uint64_t position() const { return address_ + pos_; }
  bool at_end() const { return pos_ >= code_.size(); }

 private:
  const InstructionSet& set_;
  std::span<const uint8_t> code_;
  uint64_t address_;
  size_t pos_ = 0;
  std::optional<Instruction> previous_;
};

}  // namespace gomapdbg
