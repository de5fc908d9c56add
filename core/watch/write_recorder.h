// Records every write to a few bytes of a live process (a Go map header's
// writing flag, toggled by each write) with hardware watchpoints on all its
// threads, without stopping it or touching its memory or registers: the
// kernel samples each hit into ring buffers that keep the newest, so after a
// "concurrent map writes" throw the last writes and the goroutines that made
// them (R14) are there to show. Linux x86-64 only.
//
// One watchpoint is one debug register on every thread of the process (the
// kernel moves it with the thread across CPUs; threads created later inherit
// it). Each optional exec address (a function entry such as
// runtime.fatalthrow) takes one more, so the throw lands in the same log.
// Samples go to one buffer per CPU: the kernel maps no buffer of an
// inherited per-thread event, so every thread's events on a CPU share that
// CPU's buffer, as `perf record` does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "watch/hardware_breakpoint.h"
#include "watch/perf_ring_buffer.h"
#include "watch/watch_sample.h"

namespace gomapdbg {

// The recorder's log as read at one moment.
struct RecordedWrites {
  std::vector<WatchSample> samples;  // oldest first (by time, then thread)
  // Hits the kernel could not record (PERF_RECORD_LOST still in the buffers).
  uint64_t lost = 0;
  // From this time on the log has every hit (less `lost`): before it, a CPU
  // buffer that wrapped may have dropped some. 0 when none wrapped.
  uint64_t complete_since_ns = 0;
};

// The GOARCH of the processes the recorder can watch: this machine's own
// (x86-64 debug registers, and the sample registers watch_sample.h decodes).
// A process of another architecture (a guest under qemu-user) runs no thread
// of its own here to arm.
inline constexpr const char* kWatchableGoarch = "amd64";

class WriteRecorder {
 public:
  // Data pages per CPU buffer (a power of two): 128 pages (512 KiB) hold
  // about 1300 samples with 32-frame callchains, 3000 of a map write's usual
  // depth. An unprivileged user may lock perf_event_mlock_kb (516) per CPU.
  static constexpr size_t kDefaultBufferPages = 128;

  explicit WriteRecorder(size_t buffer_pages = kDefaultBufferPages);
  ~WriteRecorder();
  WriteRecorder(const WriteRecorder&) = delete;
  WriteRecorder& operator=(const WriteRecorder&) = delete;

  // Watches writes to `length` (1, 2, 4 or 8, the address aligned to it)
  // bytes at `address` in process `pid`, and execution of each of
  // `exec_addresses`, on every thread. Returns once every thread is armed.
  // Throws UsageError for a malformed request and WatchError (one line
  // saying why and what to do) when the kernel refuses; then nothing stays
  // armed. An exec address without a free debug register on some thread is
  // left out instead (see exec_addresses_unavailable()).
  void start(int pid, uint64_t address, int length,
             const std::vector<uint64_t>& exec_addresses = {});

  // Every sample in the buffers. Can be called while the process runs, is
  // stopped by a debugger, or has exited; output pauses while a buffer is
  // copied (hits meanwhile count as lost). Each CPU's buffer keeps its own
  // newest samples, so a thread that moved between CPUs can show a gap
  // before complete_since_ns.
  RecordedWrites log() const;
  std::vector<WatchSample> samples() const { return log().samples; }
  uint64_t lost() const { return log().lost; }
  // The threads armed directly; threads they create later inherit the watch.
  const std::vector<int>& threads_watched() const { return threads_; }
  // Exec addresses left out for want of a debug register (ENOSPC).
  std::vector<uint64_t> exec_addresses_unavailable() const;
  bool recording() const { return !events_.empty(); }

  // Disarms everything and frees the buffers (also on destruction).
  void stop();

 private:
  // One perf event: spec `spec` (0 the write, 1.. the exec addresses) on
  // thread `tid` while it runs on `cpu`.
  struct ArmedEvent {
    int fd = -1;
    int tid = 0;
    int cpu = 0;
    size_t spec = 0;
    uint64_t id = 0;
    bool late = false;  // armed on a thread found after the first pass
  };

  void arm_all_threads();
  bool arm_thread(int tid, bool late);
  int arm_spec(size_t spec, int tid, bool late);
  void route_output(int fd, int cpu);
  void drop_exec(size_t spec);

  size_t buffer_pages_;
  int pid_ = 0;
  std::vector<BreakpointSpec> specs_;
  std::vector<bool> dropped_;  // by spec
  std::vector<int> cpus_;
  std::vector<ArmedEvent> events_;
  std::map<uint64_t, size_t> event_by_id_;                  // index into events_
  std::map<int, std::unique_ptr<PerfRingBuffer>> buffers_;  // by CPU
  std::vector<int> threads_;
};

}  // namespace gomapdbg
