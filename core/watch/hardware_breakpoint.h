// One hardware breakpoint as a perf event (PERF_TYPE_BREAKPOINT): a debug
// register of one thread that the kernel arms for us, sampling every hit
// into a ring buffer without stopping the thread or changing its state.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace gomapdbg {

enum class BreakpointKind { Write, Exec };

struct BreakpointSpec {
  BreakpointKind kind = BreakpointKind::Write;
  uint64_t address = 0;
  int length = 1;  // 1, 2, 4 or 8 for writes; exec breakpoints cover one instruction
};

// The user registers each sample carries (x86-64 perf register numbers, in
// increasing order: the order the kernel writes them). R14 holds the current
// goroutine's g in Go code.
struct SampledRegister {
  int perf_number;
  std::string_view name;
};
inline constexpr std::array<SampledRegister, 7> kSampledRegisters = {{
    {0, "rax"},
    {1, "rbx"},
    {2, "rcx"},
    {6, "rbp"},
    {7, "rsp"},
    {8, "rip"},
    {22, "r14"},
}};

// User frames kept per sample (Go keeps frame pointers on amd64).
inline constexpr int kMaxCallchain = 32;

// Opens the event of `spec` on thread `tid` while it runs on `cpu`,
// disabled: every hit becomes a sample (time on CLOCK_MONOTONIC, Go's
// nanotime clock), user space only, inherited by the threads `tid` creates.
// Returns the file descriptor, or -errno.
int open_breakpoint_event(const BreakpointSpec& spec, int tid, int cpu);

// The one-line reason an open failed with `err`, saying what to do.
std::string breakpoint_open_error(int err, const BreakpointSpec& spec, int pid, int tid);

// "0x1234" for messages.
std::string hex_address(uint64_t address);

}  // namespace gomapdbg
