// One AArch64 instruction (A64, fixed 4-byte little-endian words): the
// facts the code index needs, from the encoding tables of the Arm
// Architecture Reference Manual (DDI 0487, C4.1 "A64 instruction set
// encoding").
//
// Modelled as Go's arm64 compiler and assembler emit them: ADRP (a page for
// the next ADD/LDR/STR: Go's MOVD $sym(SB), R and MOVD sym(SB), R), ADR and
// literal loads (PC-relative targets); B, BL, B.cond, CBZ/CBNZ, TBZ/TBNZ,
// BR, BLR, RET (flow and targets); MOV Xd, Xm (ORR Xd, XZR, Xm) and
// MOV Xd|SP, SP|Xm (ADD #0) as copies; every load, store, data-processing
// and system instruction by the registers it writes (base writeback,
// store-exclusive status and atomics' old values included). A word with no
// known meaning is an instruction whose effect is unknown (`writes_any`),
// never a decoding failure, so a linear sweep keeps its alignment; UDF and
// BRK are traps.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "arch/instruction.h"

namespace gomapdbg {

// AArch64 register number 31 in the instruction model: SP (XZR writes
// nothing and is never a register the model names).
inline constexpr RegisterNumber kArm64Sp = 31;
inline constexpr RegisterNumber kArm64Lr = 30;

// The instruction in the 4-byte word `word`, at `address`.
Instruction decode_arm64_word(uint32_t word, uint64_t address);

// The instruction at the start of `bytes`; nullopt only when fewer than 4
// bytes are left.
std::optional<Instruction> decode_arm64(std::span<const uint8_t> bytes, uint64_t address);

}  // namespace gomapdbg
