#include "watch/write_recorder.h"

#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>
#include <string>
#include <tuple>
#include <utility>

#include "errors.h"
#include "watch/proc_files.h"

namespace gomapdbg {

namespace {

// Above this, addresses are the kernel's (x86-64, 4-level and 5-level paging).
constexpr uint64_t kUserSpaceEnd = uint64_t{1} << 56;

// Re-scans of /proc/PID/task before giving up on a process whose threads
// keep appearing from threads not yet armed.
constexpr int kMaxScans = 64;

std::string gone(int pid) { return "process " + std::to_string(pid) + " is gone (ESRCH)"; }

void check_request(int pid, uint64_t address, int length,
                   const std::vector<uint64_t>& exec_addresses) {
  if (pid <= 0) throw UsageError("no process " + std::to_string(pid) + " to watch");
  if (length != 1 && length != 2 && length != 4 && length != 8)
    throw UsageError("a hardware watchpoint covers 1, 2, 4 or 8 bytes, not " +
                     std::to_string(length));
  if (address == 0 || address >= kUserSpaceEnd)
    throw UsageError(hex_address(address) + " is not a user-space address");
  if (address % static_cast<uint64_t>(length) != 0)
    throw UsageError("cannot watch " + std::to_string(length) + " bytes at " +
                     hex_address(address) +
                     ": a hardware watchpoint's address must be a multiple of its length (EINVAL)");
  for (uint64_t exec : exec_addresses) {
    if (exec == 0 || exec >= kUserSpaceEnd)
      throw UsageError("exec breakpoint " + hex_address(exec) + " is not a user-space address");
  }
}

}  // namespace

WriteRecorder::WriteRecorder(size_t buffer_pages) : buffer_pages_(buffer_pages) {
  if (buffer_pages == 0 || (buffer_pages & (buffer_pages - 1)) != 0)
    throw UsageError("buffer pages must be a power of two, not " + std::to_string(buffer_pages));
}

WriteRecorder::~WriteRecorder() { stop(); }

void WriteRecorder::start(int pid, uint64_t address, int length,
                          const std::vector<uint64_t>& exec_addresses) {
  if (recording()) throw UsageError("the recorder is already recording: stop it first");
  check_request(pid, address, length, exec_addresses);
  stop();
  pid_ = pid;
  specs_ = {{BreakpointKind::Write, address, length}};
  for (uint64_t exec : std::set<uint64_t>(exec_addresses.begin(), exec_addresses.end()))
    specs_.push_back({BreakpointKind::Exec, exec, 1});
  dropped_.assign(specs_.size(), false);
  cpus_ = online_cpus();
  try {
    arm_all_threads();
  } catch (...) {
    stop();  // never left partly armed
    throw;
  }
}

// Arms every thread in /proc/PID/task, then looks again: a thread created
// by an armed thread inherits its events, but one created by a thread not
// yet armed does not, so arming goes on until a scan finds no new thread.
void WriteRecorder::arm_all_threads() {
  std::set<int> seen;
  for (int scan = 0;; ++scan) {
    auto tids = process_threads(pid_);
    if (!tids) throw WatchError(gone(pid_));
    std::vector<int> fresh;
    for (int tid : *tids)
      if (seen.insert(tid).second) fresh.push_back(tid);
    if (fresh.empty()) break;
    if (scan == kMaxScans)
      throw WatchError("threads of process " + std::to_string(pid_) +
                       " keep appearing faster than they can be watched");
    for (int tid : fresh) arm_thread(tid, scan > 0);
  }
  if (threads_.empty()) throw WatchError(gone(pid_));
}

// Arms the write and then each exec address on one thread. Returns false
// when the thread exited meanwhile (its dead events stay until stop()).
bool WriteRecorder::arm_thread(int tid, bool late) {
  for (size_t spec = 0; spec < specs_.size(); ++spec) {
    if (dropped_[spec]) continue;
    int err = arm_spec(spec, tid, late);
    if (err == 0) continue;
    if (err == ESRCH) return false;
    if (err == ENOSPC && specs_[spec].kind == BreakpointKind::Exec) {
      drop_exec(spec);
      continue;
    }
    throw WatchError(breakpoint_open_error(err, specs_[spec], pid_, tid));
  }
  threads_.push_back(tid);
  return true;
}

// Opens one spec on one thread on every CPU; returns 0 or the errno.
int WriteRecorder::arm_spec(size_t spec, int tid, bool late) {
  for (int cpu : cpus_) {
    int fd = open_breakpoint_event(specs_[spec], tid, cpu);
    if (fd < 0) return -fd;
    events_.push_back({fd, tid, cpu, spec, 0, late});
    route_output(fd, cpu);
    uint64_t id = 0;
    if (::ioctl(fd, PERF_EVENT_IOC_ID, &id) != 0 || ::ioctl(fd, PERF_EVENT_IOC_ENABLE, 0) != 0)
      throw WatchError("cannot enable a perf event on thread " + std::to_string(tid) + ": " +
                       std::strerror(errno));
    events_.back().id = id;
    event_by_id_[id] = events_.size() - 1;
  }
  return 0;
}

// The first event on a CPU gets that CPU's buffer; later ones write into it.
void WriteRecorder::route_output(int fd, int cpu) {
  auto it = buffers_.find(cpu);
  if (it == buffers_.end()) {
    buffers_.emplace(cpu, std::make_unique<PerfRingBuffer>(fd, buffer_pages_));
    return;
  }
  if (::ioctl(fd, PERF_EVENT_IOC_SET_OUTPUT, it->second->fd()) != 0)
    throw WatchError("cannot send a perf event's samples to CPU " + std::to_string(cpu) +
                     "'s buffer: " + std::strerror(errno));
}

// Exec events never own a buffer (the write is armed first on every CPU).
void WriteRecorder::drop_exec(size_t spec) {
  dropped_[spec] = true;
  for (ArmedEvent& event : events_) {
    if (event.spec != spec || event.fd < 0) continue;
    ::close(event.fd);
    event.fd = -1;
  }
}

std::vector<uint64_t> WriteRecorder::exec_addresses_unavailable() const {
  std::vector<uint64_t> out;
  for (size_t spec = 0; spec < specs_.size(); ++spec)
    if (dropped_[spec]) out.push_back(specs_[spec].address);
  return out;
}

// A thread found after the first pass may also have inherited the events of
// the thread that created it; then both saw each hit (and so do the threads
// it creates, which inherit both). When samples of such a thread came from
// another thread's events, its own events' samples go: the inherited ones
// cover it from birth.
RecordedWrites WriteRecorder::log() const {
  RecordedWrites log;
  std::vector<std::pair<const ArmedEvent*, WatchSample>> taken;
  std::set<std::pair<int, size_t>> inherited;  // (tid, spec)
  for (const auto& [cpu, buffer] : buffers_) {
    RingContents ring = buffer->contents();
    uint64_t oldest = UINT64_MAX;
    for (const PerfRecord& record : ring.records) {
      if (record.type == PERF_RECORD_LOST) log.lost += decode_lost(record.bytes).value_or(0);
      auto decoded = decode_sample(record.bytes);
      if (!decoded) continue;
      oldest = std::min(oldest, decoded->sample.time_ns);
      auto it = event_by_id_.find(decoded->event_id);
      if (decoded->sample.pid != pid_ || it == event_by_id_.end()) continue;
      const ArmedEvent& event = events_[it->second];
      if (dropped_[event.spec]) continue;
      if (decoded->sample.tid != event.tid) inherited.insert({decoded->sample.tid, event.spec});
      taken.emplace_back(&event, std::move(decoded->sample));
    }
    if (ring.overwritten && oldest != UINT64_MAX)
      log.complete_since_ns = std::max(log.complete_since_ns, oldest);
  }
  for (auto& [event, sample] : taken) {
    if (event->late && inherited.count({event->tid, event->spec})) continue;
    const BreakpointSpec& spec = specs_[event->spec];
    sample.kind =
        spec.kind == BreakpointKind::Write ? WatchSample::Kind::Write : WatchSample::Kind::Exec;
    sample.exec_address = spec.kind == BreakpointKind::Exec ? spec.address : 0;
    log.samples.push_back(std::move(sample));
  }
  std::stable_sort(log.samples.begin(), log.samples.end(),
                   [](const WatchSample& a, const WatchSample& b) {
                     return std::tie(a.time_ns, a.tid) < std::tie(b.time_ns, b.tid);
                   });
  return log;
}

void WriteRecorder::stop() {
  buffers_.clear();
  for (ArmedEvent& event : events_)
    if (event.fd >= 0) ::close(event.fd);
  events_.clear();
  event_by_id_.clear();
  threads_.clear();
}

}  // namespace gomapdbg
