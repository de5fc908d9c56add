#include "unwind/signal_frame.h"

#include <csignal>
#include <cstring>

#include "errors.h"

namespace gomapdbg {

namespace {

bool sent_by_a_process(int32_t code) {
  return code == kSiUser || code == kSiQueue || code == kSiTkill;
}

// Signals the kernel raises for a faulting instruction (their si_code > 0
// names the fault and si_addr is the address).
bool is_fault_signal(int32_t signo) {
  return signo == SIGSEGV || signo == SIGBUS || signo == SIGFPE || signo == SIGILL ||
         signo == SIGTRAP;
}

}  // namespace

SignalInfo decode_siginfo(const uint8_t* bytes) {
  SignalInfo info;
  std::memcpy(&info.signo, bytes, 4);
  std::memcpy(&info.code, bytes + 8, 4);
  if (sent_by_a_process(info.code)) {
    int32_t pid = 0;
    uint32_t uid = 0;
    std::memcpy(&pid, bytes + 16, 4);
    std::memcpy(&uid, bytes + 20, 4);
    info.sender_pid = pid;
    info.sender_uid = uid;
  } else if (info.code > 0 && info.code != kSiKernel && is_fault_signal(info.signo)) {
    uint64_t address = 0;
    std::memcpy(&address, bytes + 16, 8);
    info.fault_address = address;
  }
  return info;
}

std::optional<SignalInfo> read_siginfo(const Memory& memory, uint64_t address) {
  uint8_t bytes[24] = {};
  if (memory.read_prefix(address, bytes, sizeof bytes) != sizeof bytes) return std::nullopt;
  SignalInfo info = decode_siginfo(bytes);
  if (info.signo <= 0 || info.signo > 64) return std::nullopt;
  return info;
}

std::string signal_name(int64_t signo) {
  switch (signo) {
    case SIGABRT:
      return "SIGABRT";
    case SIGSEGV:
      return "SIGSEGV";
    case SIGBUS:
      return "SIGBUS";
    case SIGQUIT:
      return "SIGQUIT";
    case SIGURG:
      return "SIGURG";
    case SIGPROF:
      return "SIGPROF";
    case SIGILL:
      return "SIGILL";
    case SIGFPE:
      return "SIGFPE";
    case SIGTRAP:
      return "SIGTRAP";
    case SIGINT:
      return "SIGINT";
    case SIGTERM:
      return "SIGTERM";
    case SIGKILL:
      return "SIGKILL";
    case SIGUSR1:
      return "SIGUSR1";
    case SIGUSR2:
      return "SIGUSR2";
    case SIGHUP:
      return "SIGHUP";
    case SIGPIPE:
      return "SIGPIPE";
    default:
      return "signal " + std::to_string(signo);
  }
}

std::string signal_origin(const SignalInfo& info, int64_t own_pid) {
  if (info.sender_pid) {
    std::string who = "process " + std::to_string(*info.sender_pid) + " (uid " +
                      std::to_string(info.sender_uid.value_or(0)) + ")";
    bool self = own_pid && *info.sender_pid == own_pid;
    if (info.code == kSiTkill)
      return self ? "raised by the process itself (tgkill)" : "sent by " + who + " with tgkill";
    if (info.code == kSiQueue) return "sent by " + who + " with sigqueue";
    return self ? "sent by the process itself with kill" : "sent by " + who + " with kill";
  }
  if (info.fault_address) return "a fault at address " + hex(*info.fault_address);
  if (info.code == kSiKernel) return "sent by the kernel";
  return "si_code " + std::to_string(info.code);
}

}  // namespace gomapdbg
