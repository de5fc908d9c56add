// What a register held when an instruction ran, from the straight-line code
// before it: a backward scan that follows register copies (MOV r64, r64;
// MOV Xd, Xm) to a load from a global (MOV r64, [rip+d]; ADRP+LDR) or an
// address (LEA r64, [rip+d]; ADRP+ADD), on any instruction set the
// instruction model (arch/instruction.h) describes.
// It gives up, saying why, at anything it cannot see through: another write
// to the register, a call (Go's ABI preserves no integer register across
// one), code that is not straight-line (a jump, a return, a known branch
// target), or after kMaxBackwardScan instructions.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "arch/instruction.h"

namespace gomapdbg {

struct ArgumentOrigin {
  enum class Kind : uint8_t {
    Unknown,  // `why` says what stopped the scan
    Global,   // loaded from the 8-byte global at `address`
    Address,  // the address itself: a type descriptor, for a map's type argument
  };
  Kind kind = Kind::Unknown;
  uint64_t address = 0;
  uint64_t set_at = 0;  // pc of the instruction that set it (0: none found)
  std::string why;
};

inline constexpr size_t kMaxBackwardScan = 24;

// The origin of `reg` at the end of `before` (the instructions preceding
// the one of interest, in address order, the last one right before it).
// `branch_targets` (sorted) are the addresses jumps of the function reach.
// `set` names the registers in messages.
ArgumentOrigin register_origin(const InstructionSet& set, std::span<const Instruction> before,
                               RegisterNumber reg, std::span<const uint64_t> branch_targets,
                               size_t max_instructions = kMaxBackwardScan);

// A jump of the function: from the instruction at index `from` to `target`.
struct Branch {
  uint64_t target = 0;
  size_t from = 0;
  bool operator<(const Branch& other) const {
    return target < other.target || (target == other.target && from < other.from);
  }
};

// The same over the whole function (`code`), for the instruction at index
// `at`; a block that only one jump reaches, and that nothing falls into, is
// scanned on from that jump (a type assertion's `je` to the map call after
// it compared the type it loaded). `branches` is sorted.
ArgumentOrigin register_origin(const InstructionSet& set, std::span<const Instruction> code,
                               size_t at, RegisterNumber reg, std::span<const Branch> branches,
                               size_t max_instructions = kMaxBackwardScan);

}  // namespace gomapdbg
