// linux/amd64, the same in go1.19–go1.27 (reference §5.7; Go's register
// ABI in src/cmd/compile/abi-internal.md, "amd64 architecture").
#include <elf.h>

#include <array>
#include <cstring>

#include "arch/architecture.h"

namespace gomapdbg {

namespace {

// DWARF register numbers 0–16 (System V psABI).
constexpr std::array<const char*, 17> kDwarfRegisters = {"rax", "rdx", "rcx", "rbx", "rsi", "rdi",
                                                         "rbp", "rsp", "r8",  "r9",  "r10", "r11",
                                                         "r12", "r13", "r14", "r15", "rip"};

// struct user_regs_struct, as in NT_PRSTATUS.
constexpr std::array<const char*, 27> kPrstatusRegisters = {
    "r15",    "r14", "r13", "r12",     "rbp",     "rbx", "r11",      "r10", "r9",
    "r8",     "rax", "rcx", "rdx",     "rsi",     "rdi", "orig_rax", "rip", "cs",
    "eflags", "rsp", "ss",  "fs_base", "gs_base", "ds",  "es",       "fs",  "gs"};

constexpr std::array<const char*, 18> kThreadRegisters = {
    "rax", "rdx", "rcx", "rbx", "rsi", "rdi", "rbp", "rsp", "r8",
    "r9",  "r10", "r11", "r12", "r13", "r14", "r15", "rip", "fs_base"};

constexpr std::array<const char*, 9> kIntegerArguments = {"rax", "rbx", "rcx", "rdi", "rsi",
                                                          "r8",  "r9",  "r10", "r11"};

// struct rt_sigframe (arch/x86): the handler's return address (its CFA
// is just above it), then struct ucontext, whose uc_mcontext starts 40
// bytes in (uc_flags, uc_link, uc_stack) with r8..r15, rdi, rsi, rbp, rbx,
// rdx, rax, rcx, rsp, rip; the ucontext is 304 bytes, siginfo follows.
constexpr std::array<const char*, 17> kMcontextRegisters = {
    "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15", "rdi",
    "rsi", "rbp", "rbx", "rdx", "rax", "rcx", "rsp", "rip"};

// preempt_amd64.s: PUSHQ BP, PUSHFQ, ADJSP, then these from 0(SP) up.
constexpr std::array<const char*, 14> kAsyncPreemptRegisters = {
    "rax", "rcx", "rdx", "rbx", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"};

// CALL rel32: E8 and a 32-bit displacement from the return address.
std::optional<uint64_t> call_rel32_target(const uint8_t* instruction, uint64_t return_address) {
  if (instruction[0] != 0xE8) return std::nullopt;
  int32_t rel = 0;
  std::memcpy(&rel, instruction + 1, 4);
  return return_address + static_cast<int64_t>(rel);
}

Architecture make_amd64() {
  Architecture a;
  a.goarch = "amd64";
  a.elf_machine = EM_X86_64;
  a.pc = "rip";
  a.sp = "rsp";
  a.frame_pointer = "rbp";
  a.g_register = "r14";
  a.g_register_label = "R14";
  // settls (sys_linux_amd64.s) sets FS base to &m.tls[0] + 8; a cgo
  // binary's runtime.tlsg lands on the same slot.
  a.tls_base = "fs_base";
  a.tls_g_below_base = 8;
  a.dwarf_registers = kDwarfRegisters;
  a.prstatus_registers = kPrstatusRegisters;
  a.frame_registers = RegisterNames(kThreadRegisters).first(kDwarfRegisters.size());
  a.thread_registers = kThreadRegisters;
  a.integer_argument_registers = kIntegerArguments;
  a.map_type_argument = "rax";
  a.map_argument = "rbx";
  // CALL pushes the return address just below the caller's SP (the CFA);
  // a function with a frame pushes BP below it.
  a.return_address_size = 8;
  a.return_address = {FrameSlot::Base::Cfa, -8};
  a.saved_frame_pointer = {FrameSlot::Base::Cfa, -16};
  a.signal_frame = {.siginfo = 304, .general_registers = 40, .registers = kMcontextRegisters};
  a.async_preempt = {.offset = 0, .registers = kAsyncPreemptRegisters};
  a.call_instruction_size = 5;
  a.direct_call_target = call_rel32_target;
  return a;
}

}  // namespace

const Architecture& amd64_architecture() {
  static const Architecture arch = make_amd64();
  return arch;
}

}  // namespace gomapdbg
