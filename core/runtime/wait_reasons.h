// Goroutine status and wait-reason names, spelled as the runtime prints
// them in tracebacks ("chan receive", "sync.Mutex.Lock", "running").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gomapdbg {

class GoBinary;
struct GoVersion;

// g.atomicstatus values, go1.19–go1.27 (§5.3, §10); _Gscan is OR-ed in while the
// GC scans the stack.
namespace gstatus {
inline constexpr uint32_t kIdle = 0, kRunnable = 1, kRunning = 2, kSyscall = 3, kWaiting = 4,
                          kDead = 6, kCopystack = 8, kPreempted = 9, kLeaked = 10, kDeadExtra = 11;
inline constexpr uint32_t kScan = 0x1000;
}  // namespace gstatus

// "running", "waiting", ... as runtime.gStatusStrings (go1.19–go1.27;
// "moribund" and "enqueue", unused, have no string there); "status N"
// when unknown.
std::string status_name(uint32_t status);

// The binary's own runtime.waitReasonStrings (read from its symbol) or, for
// stripped binaries, the table of its Go version (§5.4). Empty when neither.
std::vector<std::string> wait_reason_strings(GoBinary& binary);
// A [N]string array the executable initializes (runtime.waitReasonStrings,
// runtime.gStatusStrings), read from its symbol; nullopt without it.
std::optional<std::vector<std::string>> static_strings(GoBinary& binary, const char* symbol);
std::vector<std::string> wait_reason_table(const GoVersion& version);
// What `go goroutines --status` matches: the statuses, then the binary's
// wait reasons (for completion).
std::vector<std::string> goroutine_state_names(GoBinary& binary);

}  // namespace gomapdbg
