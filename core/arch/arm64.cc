// linux/arm64, the same in go1.19–go1.27: Go's register ABI
// (src/cmd/compile/abi-internal.md, "arm64 architecture"), its frame layout
// (cmd/internal/obj/arm64: the prologue stores LR at 0(SP) and the caller's
// frame pointer at -8(SP)), and the kernel's signal frame
// (arch/arm64/kernel/signal.c; qemu-user lays it out the same).
#include <elf.h>

#include <array>
#include <cstring>

#include "arch/architecture.h"

namespace gomapdbg {

namespace {

#define GOMAPDBG_X0_TO_X30                                                                       \
  "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", \
      "x15", "x16", "x17", "x18", "x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26", "x27", \
      "x28", "x29", "x30"

// DWARF register numbers (DWARF for the Arm 64-bit Architecture): x0–x30
// are 0–30, sp is 31.
constexpr std::array<const char*, 32> kDwarfRegisters = {GOMAPDBG_X0_TO_X30, "sp"};

// struct user_pt_regs, as in NT_PRSTATUS: regs[31], sp, pc, pstate.
constexpr std::array<const char*, 34> kPrstatusRegisters = {GOMAPDBG_X0_TO_X30, "sp", "pc",
                                                            "pstate"};

constexpr std::array<const char*, 33> kThreadRegisters = {GOMAPDBG_X0_TO_X30, "sp", "pc"};

// R0–R15 carry integer arguments and results.
constexpr std::array<const char*, 16> kIntegerArguments = {"x0",  "x1",  "x2",  "x3", "x4",  "x5",
                                                           "x6",  "x7",  "x8",  "x9", "x10", "x11",
                                                           "x12", "x13", "x14", "x15"};

#undef GOMAPDBG_X0_TO_X30

// struct rt_sigframe { siginfo (128 bytes); struct ucontext uc; }, the
// handler entered with SP at its start. In the ucontext: uc_flags, uc_link,
// uc_stack (24), uc_sigmask with glibc's padding to 128 bytes: 168, then
// uc_mcontext aligned to 16 at 176: fault_address, regs[31], sp, pc.
constexpr std::array<const char*, 33> kMcontextRegisters = kThreadRegisters;

// preempt_arm64.s: STP (R0, R1), 8(RSP) ... (R16, R17), then (R19, R20)
// ... (R25, R26); R18 (the platform register), R27 (the assembler's
// temporary), g, FP and LR are not saved there.
constexpr std::array<const char*, 26> kAsyncPreemptRegisters = {
    "x0",  "x1",  "x2",  "x3",  "x4",  "x5",  "x6",  "x7",  "x8",  "x9",  "x10", "x11", "x12",
    "x13", "x14", "x15", "x16", "x17", "x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26"};

// BL imm26: 100101 and a signed word offset from the BL itself.
std::optional<uint64_t> bl_target(const uint8_t* instruction, uint64_t return_address) {
  uint32_t word = 0;
  std::memcpy(&word, instruction, 4);
  if ((word & 0xFC000000u) != 0x94000000u) return std::nullopt;
  int64_t offset = static_cast<int64_t>(static_cast<int32_t>(word << 6) >> 6) * 4;
  return return_address - 4 + static_cast<uint64_t>(offset);
}

Architecture make_arm64() {
  Architecture a;
  a.goarch = "arm64";
  a.elf_machine = EM_AARCH64;
  a.pc = "pc";
  a.sp = "sp";
  a.frame_pointer = "x29";
  a.link_register = "x30";
  a.g_register = "x28";
  a.g_register_label = "R28";
  a.dwarf_registers = kDwarfRegisters;
  a.prstatus_registers = kPrstatusRegisters;
  a.frame_registers = kThreadRegisters;
  a.thread_registers = kThreadRegisters;
  a.integer_argument_registers = kIntegerArguments;
  a.map_type_argument = "x0";
  a.map_argument = "x1";
  // BL leaves the return address in LR: nothing pushed, CFA = SP + delta.
  a.return_address_size = 0;
  a.return_address = {FrameSlot::Base::Sp, 0};
  a.saved_frame_pointer = {FrameSlot::Base::Sp, -8};
  a.arguments_above_cfa = 8;
  // sigctxt.pushCall and preparePanic: SP -= 16, the interrupted LR at 0(SP).
  a.injected_call_push = 16;
  a.signal_frame = {
      .siginfo = 0, .general_registers = 128 + 176 + 8, .registers = kMcontextRegisters};
  a.async_preempt = {.offset = 8, .registers = kAsyncPreemptRegisters};
  a.call_instruction_size = 4;
  a.direct_call_target = bl_target;
  return a;
}

}  // namespace

const Architecture& arm64_architecture() {
  static const Architecture arch = make_arm64();
  return arch;
}

}  // namespace gomapdbg
