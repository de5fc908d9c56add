// A snapshot of the runtime's goroutines and threads, and the stacks of
// both. This is also the C++ API the crash report reuses:
// all_goroutine_stacks() returns every goroutine with its frames (function,
// pc, sp, file:line and the CFA for DWARF locations) and its thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/runtime_clock.h"
#include "runtime/runtime_layout.h"
#include "runtime/threads.h"
#include "target/target.h"
#include "unwind/inline_tree.h"
#include "unwind/unwinder.h"

namespace gomapdbg {

struct CodeLocation {
  std::string function;  // "?" when the PC is in no function
  std::string file;
  int64_t line = 0;
  uint64_t pc = 0;
};

struct Goroutine {
  uint64_t g = 0;
  uint64_t goid = 0;
  uint32_t status = 0;  // g.atomicstatus, _Gscan bit included
  uint8_t wait_reason_index = 0;
  std::string wait_reason;  // "" when none
  int64_t waitsince = 0;    // nanotime when it blocked, 0 when not recorded
  // How long it has waited, as the runtime's traceback computes it: now
  // minus waitsince, which the first GC that finds it blocked sets to the
  // time the previous GC ended (so the value is good to about one GC cycle;
  // 0 until then). Set when both are known.
  std::optional<int64_t> waited_ns;
  bool waited_exact = false;   // measured against the live clock, not a core's latest reading
  int64_t tracking_stamp = 0;  // nanotime of a recent status change (sampled), 0 if none
  uint64_t m = 0;              // the M running it (running/syscall), 0 otherwise
  std::optional<int64_t> m_id, tid;
  std::optional<int64_t> thread_number;  // the debugger's number for thread `tid`, if any
  bool locked = false;                   // LockOSThread
  std::optional<uint64_t> parent_goid;
  uint64_t labels = 0;
  uint64_t stack_lo = 0, stack_hi = 0;
  UnwindStart sched, syscall;
  CodeLocation start, created_by;
  bool system = false;  // started in package runtime (runtime.isSystemGoroutine)

  uint32_t base_status() const;
  // What the runtime prints between brackets: the wait reason while
  // waiting, else the status ("chan receive", "running").
  std::string state() const;
  bool dead() const;
};

// Largest goroutine stack the runtime allows (maxstacksize, 1 GB on 64-bit).
inline constexpr uint64_t kMaxStackSize = uint64_t{1} << 30;

// Where the process died (GOTRACEBACK=crash core, or a live process caught
// in fatal/panic): the M that started dying, its thread and goroutine.
struct CrashSite {
  int64_t m_id = -1;
  int64_t tid = 0;
  uint64_t goid = 0;  // 0 when the M had no user goroutine
};

class RuntimeSnapshot {
 public:
  // Reads allgs, the Ms and the threads. Throws LayoutError without pclntab
  // or layout, NotFoundError when allgs cannot be found.
  explicit RuntimeSnapshot(Target& target);

  // Every g in allgs (dead ones included), by goid.
  const std::vector<Goroutine>& goroutines() const { return goroutines_; }
  const std::vector<ThreadState>& threads() const { return threads_; }
  size_t unreadable() const { return unreadable_; }
  const RuntimeLayout& layout() const { return layout_; }
  bool allgs_searched() const { return allgs_searched_; }
  // What was damaged or missing, one line each (a damaged allgs, no
  // pclntab); the commands print them before their output.
  const std::vector<std::string>& warnings() const { return warnings_; }
  // The runtime clock's now (exact for a live process, else the latest
  // clock reading found in memory), for how long goroutines have waited.
  const std::optional<RuntimeClock>& clock() const { return clock_; }

  const Goroutine* find(uint64_t goid) const;
  // The user goroutine of the debugger's selected thread (m.curg).
  const Goroutine* selected() const;
  std::optional<CrashSite> crash() const;
  const ThreadState* thread_of(const Goroutine& g) const;

  Backtrace backtrace(const Goroutine& g, size_t max_frames) const;
  Backtrace backtrace(const ThreadState& thread, size_t max_frames) const;
  CodeLocation locate(uint64_t pc, bool return_address) const;

 private:
  // The constructor's steps, in order.
  std::vector<uint64_t> distinct_gs(const std::vector<uint64_t>& allgs);
  void read_goroutines(std::vector<uint64_t> gs);
  void sort_by_goid();
  void set_wait_times();
  void read_threads_and_ms();
  void set_goroutine_threads();
  std::optional<MState> read_m_if_readable(uint64_t m) const;
  Goroutine read_goroutine(uint64_t g, const std::vector<uint8_t>& bytes);
  Backtrace no_stack() const;
  CodeLocation locate_uncached(uint64_t pc, bool return_address) const;

  Target& target_;
  const Pclntab& pclntab_;
  RuntimeLayout layout_;
  std::vector<std::string> wait_reasons_;
  InlineTree inline_tree_;
  Unwinder unwinder_;
  std::vector<Goroutine> goroutines_;
  std::unordered_map<uint64_t, size_t> by_goid_;
  std::vector<ThreadState> threads_;
  std::vector<MState> ms_;
  mutable std::unordered_map<uint64_t, CodeLocation> locate_cache_, locate_return_cache_;
  size_t unreadable_ = 0;
  bool allgs_searched_ = false;
  bool has_pclntab_ = true;
  std::vector<std::string> warnings_;
  std::optional<RuntimeClock> clock_;
};

// For the crash report: every goroutine that is not dead with its frames
// and thread (Goroutine::tid).
struct GoroutineStack {
  Goroutine goroutine;
  Backtrace backtrace;
};
std::vector<GoroutineStack> all_goroutine_stacks(Target& target, size_t max_frames = 256);

// The first frame outside the runtime (what a user wants to see for a
// parked goroutine), else the first frame; nullptr when there are none.
const Frame* user_frame(const Backtrace& backtrace);
bool is_runtime_function(const std::string& name);

}  // namespace gomapdbg
