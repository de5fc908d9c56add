#include "watch/hardware_breakpoint.h"

#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>

#include "watch/proc_files.h"

namespace gomapdbg {

namespace {

constexpr uint64_t kSampleType = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
                                 PERF_SAMPLE_ID | PERF_SAMPLE_CALLCHAIN | PERF_SAMPLE_REGS_USER;

uint64_t sampled_register_mask() {
  uint64_t mask = 0;
  for (const SampledRegister& reg : kSampledRegisters) mask |= uint64_t{1} << reg.perf_number;
  return mask;
}

// Kernels before 5.13 reject inherit_thread and remove_on_exec; once seen,
// later opens leave them out (samples of other processes are then dropped
// by pid).
std::atomic<bool> kernel_lacks_thread_only_inherit{false};

perf_event_attr breakpoint_attributes(const BreakpointSpec& spec) {
  perf_event_attr attr;
  std::memset(&attr, 0, sizeof attr);
  attr.size = sizeof attr;
  attr.type = PERF_TYPE_BREAKPOINT;
  attr.bp_addr = spec.address;
  if (spec.kind == BreakpointKind::Write) {
    attr.bp_type = HW_BREAKPOINT_W;
    attr.bp_len = static_cast<uint64_t>(spec.length);
  } else {
    attr.bp_type = HW_BREAKPOINT_X;
    attr.bp_len = sizeof(long);  // what the kernel requires of exec breakpoints
  }
  attr.sample_period = 1;
  attr.sample_type = kSampleType;
  attr.sample_regs_user = sampled_register_mask();
  attr.sample_max_stack = kMaxCallchain;
  attr.disabled = 1;  // enabled once its output goes to the CPU's buffer
  attr.exclude_kernel = 1;
  attr.exclude_hv = 1;
  attr.exclude_callchain_kernel = 1;
  attr.use_clockid = 1;
  attr.clockid = CLOCK_MONOTONIC;
  attr.inherit = 1;
  attr.write_backward = 1;  // overwrite mode: the newest samples survive
  if (!kernel_lacks_thread_only_inherit.load()) {
    attr.inherit_thread = 1;  // new threads, not forked processes
    attr.remove_on_exec = 1;
  }
  return attr;
}

int perf_event_open(perf_event_attr& attr, int tid, int cpu) {
  long fd = ::syscall(SYS_perf_event_open, &attr, tid, cpu, -1, PERF_FLAG_FD_CLOEXEC);
  return fd < 0 ? -errno : static_cast<int>(fd);
}

std::string errno_name(int err) {
  const char* name = ::strerrorname_np(err);
  return name != nullptr ? name : "errno " + std::to_string(err);
}

std::string what_and_where(const BreakpointSpec& spec, int pid, int tid) {
  std::string what = spec.kind == BreakpointKind::Write
                         ? std::to_string(spec.length) + "-byte write breakpoint at "
                         : "exec breakpoint at ";
  return what + hex_address(spec.address) + " on thread " + std::to_string(tid) + " of process " +
         std::to_string(pid);
}

// Above 2 (Debian's 3) the kernel lets no unprivileged user open perf
// events; at 2 or below it still checks that the user may ptrace the process.
std::string permission_reason(int pid) {
  std::optional<std::string> text = read_first_line("/proc/sys/kernel/perf_event_paranoid");
  std::string value = text.value_or("unreadable");
  int paranoid = 0;
  bool known = text && std::sscanf(text->c_str(), "%d", &paranoid) == 1;
  if (known && paranoid <= 2)
    return "/proc/sys/kernel/perf_event_paranoid is " + value +
           " (user-space breakpoints allowed), so this user may not trace process " +
           std::to_string(pid) +
           " (another user's, or not dumpable); watch your own processes "
           "or run as root (or with CAP_PERFMON)";
  return "/proc/sys/kernel/perf_event_paranoid is " + value +
         "; an unprivileged user needs it at 2 or less (user-space breakpoints only), else run "
         "as root (or with CAP_PERFMON)";
}

bool breakpoint_pmu_exists() {
  struct stat st;
  return ::stat("/sys/bus/event_source/devices/breakpoint", &st) == 0;
}

}  // namespace

int open_breakpoint_event(const BreakpointSpec& spec, int tid, int cpu) {
  perf_event_attr attr = breakpoint_attributes(spec);
  int fd = perf_event_open(attr, tid, cpu);
  if (fd == -EINVAL && attr.inherit_thread) {
    attr.inherit_thread = 0;
    attr.remove_on_exec = 0;
    fd = perf_event_open(attr, tid, cpu);
    if (fd >= 0) kernel_lacks_thread_only_inherit.store(true);
  }
  return fd;
}

std::string breakpoint_open_error(int err, const BreakpointSpec& spec, int pid, int tid) {
  std::string head =
      "cannot set a " + what_and_where(spec, pid, tid) + " (" + errno_name(err) + "): ";
  switch (err) {
    case EACCES:
    case EPERM:
      return head + permission_reason(pid);
    case ENOENT:
    case EOPNOTSUPP:
    case ENODEV:
      return head + "no hardware breakpoint support here (" +
             (breakpoint_pmu_exists() ? "the 'breakpoint' PMU is listed but refused it"
                                      : "no 'breakpoint' PMU in /sys/bus/event_source/devices") +
             ")";
    case ENOSPC:
      return head + "no free debug register on thread " + std::to_string(tid) +
             " (at most 4 hardware breakpoints per thread; a debugger's own hardware watchpoints "
             "use them too)";
    case ESRCH:
      return head + "process " + std::to_string(pid) + " is gone";
    case EINVAL:
      return head + (spec.kind == BreakpointKind::Write
                         ? "the address must be aligned to the length, which must be 1, 2, 4 or 8"
                         : "not a user-space instruction address");
    default:
      return head + std::strerror(err);
  }
}

std::string hex_address(uint64_t address) {
  char text[24];
  std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(address));
  return text;
}

}  // namespace gomapdbg
