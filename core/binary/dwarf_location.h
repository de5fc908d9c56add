// Evaluates the DWARF location of a variable at a PC: the subset of
// location expressions the Go compiler emits (DW_OP_addr[x], DW_OP_fbreg
// against DW_OP_call_frame_cfa, DW_OP_reg*/breg*, DW_OP_piece), from
// location lists in DWARF 4 (.debug_loc) and 5 (.debug_loclists).
#pragma once

#include <elfutils/libdw.h>

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "arch/architecture.h"
#include "memory/memory.h"

namespace gomapdbg {

// DWARF register numbers a frame state holds (amd64 uses 0–16, arm64 0–31).
inline constexpr size_t kMaxDwarfRegisters = 32;

struct FrameState {
  uint64_t pc = 0;   // the PC to look locations up at (already pc-1 for callers)
  uint64_t cfa = 0;  // canonical frame address (caller's SP before the call)
  // Register values; only trustworthy in the innermost frame (Go's ABI has
  // no callee-saved registers), so callers leave them empty.
  std::array<std::optional<uint64_t>, kMaxDwarfRegisters> registers{};
  // Where stack arguments start above the CFA (Architecture::arguments_above_cfa).
  uint64_t arguments_above_cfa = 0;
  // At the morestack call of a function's prologue: its register arguments
  // sit in their spill slots (Go's register ABI spills them there before
  // morestack), though no location list entry covers that PC.
  bool args_spilled = false;
  // How many calls inlined into its physical function the frame is (0: the
  // function itself): its variables are those of that inlined call.
  size_t inline_depth = 0;

  // Sets the registers the architecture numbers in DWARF from values by name.
  void set_registers(const Architecture& arch, const std::map<std::string, uint64_t>& by_name);
};

struct VariableLocation {
  std::optional<uint64_t> address;  // whole value in memory at this address
  std::vector<uint8_t> bytes;       // or assembled from registers/pieces
};

// Returns nullopt with `why` set when the value is not available at this PC
// (optimized out) or the expression uses something unsupported.
std::optional<VariableLocation> evaluate_location(Dwarf_Attribute* attribute,
                                                  const FrameState& frame, uint64_t size,
                                                  const Memory& memory, std::string& why);

// For an argument of a frame with `args_spilled`: the stack home that the
// location list names elsewhere in the function (an expression of only
// DW_OP_fbreg and DW_OP_piece), evaluated against this frame's CFA.
std::optional<VariableLocation> evaluate_spilled_argument(Dwarf_Attribute* attribute,
                                                          const FrameState& frame, uint64_t size,
                                                          const Memory& memory, std::string& why);

// The same for a location expression given as bytes (DW_FORM_block*), with no
// DW_OP_addrx support (that needs the attribute's unit). The DWARF is
// untrusted input: the fuzz target dwarf_location_fuzz calls this directly.
std::optional<VariableLocation> evaluate_location_block(const uint8_t* data, size_t length,
                                                        const FrameState& frame, uint64_t size,
                                                        const Memory& memory, std::string& why);

}  // namespace gomapdbg
