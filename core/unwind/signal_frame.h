// The siginfo of the signal frame the kernel pushes when it enters a
// handler (where each architecture keeps it and the interrupted context:
// arch/architecture.h). The unwinder crosses the frame to the interrupted
// code; the crash report reads who sent the signal.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "memory/memory.h"

namespace gomapdbg {

// siginfo_t (include/uapi/asm-generic/siginfo.h): si_signo, si_errno,
// si_code, then the union at 16: kill/tkill/queue give si_pid (int) and
// si_uid (uint); faults give si_addr.
inline constexpr uint64_t kSiginfoSize = 128;
inline constexpr int32_t kSiUser = 0;  // kill(2)
inline constexpr int32_t kSiKernel = 0x80;
inline constexpr int32_t kSiQueue = -1;  // sigqueue(3)
inline constexpr int32_t kSiTkill = -6;  // tkill/tgkill (raise)

struct SignalInfo {
  int32_t signo = 0;
  int32_t code = 0;
  std::optional<int32_t> sender_pid;  // a signal sent by a process
  std::optional<uint32_t> sender_uid;
  std::optional<uint64_t> fault_address;  // a fault the kernel raised (SIGSEGV, SIGBUS, ...)
};

// The siginfo at `address`; nullopt when unreadable or not a signal.
std::optional<SignalInfo> read_siginfo(const Memory& memory, uint64_t address);
// Decodes the first 24 bytes of a siginfo_t (also what a debugger reports).
SignalInfo decode_siginfo(const uint8_t* bytes);

// "SIGABRT", "SIGSEGV", ..., else "signal N".
std::string signal_name(int64_t signo);
// Where a signal came from: "sent by process 4242 (uid 1000) with kill",
// "raised by the process itself (tgkill)", "a fault at address 0x0", ...
std::string signal_origin(const SignalInfo& info, int64_t own_pid = 0);

}  // namespace gomapdbg
