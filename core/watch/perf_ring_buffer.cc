#include "watch/perf_ring_buffer.h"

#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include "errors.h"
#include "watch/proc_files.h"

namespace gomapdbg {

namespace {

// The largest record a breakpoint sample can be (header, ip, tid, time, id,
// a full callchain with context markers, the ABI word and 7 registers),
// rounded up: bytes the kernel may be writing over the oldest record when
// output is paused.
constexpr uint64_t kMaxRecordBytes = 1024;

// Copies `size` bytes starting at ring offset `offset`, wrapping at the end.
void copy_wrapped(std::span<const uint8_t> data, uint64_t offset, uint8_t* out, size_t size) {
  const uint64_t mask = data.size() - 1;
  size_t start = static_cast<size_t>(offset & mask);
  size_t first = std::min(size, data.size() - start);
  std::memcpy(out, data.data() + start, first);
  std::memcpy(out + first, data.data(), size - first);
}

bool is_power_of_two(size_t n) { return n != 0 && (n & (n - 1)) == 0; }

std::string mmap_error(int err, size_t bytes) {
  std::string head = "cannot map a " + std::to_string(bytes / 1024) + " KiB perf ring buffer (" +
                     std::strerror(err) + ")";
  if (err == EPERM || err == ENOMEM) {
    std::string limit =
        read_first_line("/proc/sys/kernel/perf_event_mlock_kb").value_or("unreadable");
    return head + ": an unprivileged user may lock perf_event_mlock_kb (" + limit +
           " KiB) per CPU plus `ulimit -l`; ask for fewer buffer pages or run as root";
  }
  return head;
}

}  // namespace

std::vector<PerfRecord> backward_records(std::span<const uint8_t> data, uint64_t head,
                                         uint64_t limit) {
  std::vector<PerfRecord> records;
  if (!is_power_of_two(data.size())) return records;
  limit = std::min<uint64_t>(limit, data.size());
  uint64_t offset = 0;
  while (limit - offset >= sizeof(perf_event_header)) {
    perf_event_header header;
    copy_wrapped(data, head + offset, reinterpret_cast<uint8_t*>(&header), sizeof header);
    // A zero size is space never written; records are 8-byte multiples.
    if (header.size < sizeof header || header.size % 8 != 0) break;
    if (header.size > limit - offset) break;  // its start was overwritten
    PerfRecord record{header.type, std::vector<uint8_t>(header.size)};
    copy_wrapped(data, head + offset, record.bytes.data(), header.size);
    records.push_back(std::move(record));
    offset += header.size;
  }
  return records;
}

PerfRingBuffer::PerfRingBuffer(int fd, size_t data_pages) : fd_(fd) {
  const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  if (!is_power_of_two(data_pages))
    throw UsageError("buffer pages must be a power of two, not " + std::to_string(data_pages));
  map_size_ = (data_pages + 1) * page;
  // Read-only: the kernel then never waits for us and overwrites the oldest.
  void* base = ::mmap(nullptr, map_size_, PROT_READ, MAP_SHARED, fd, 0);
  if (base == MAP_FAILED) throw WatchError(mmap_error(errno, map_size_));
  base_ = base;
  const auto* meta = static_cast<const perf_event_mmap_page*>(base_);
  data_offset_ = meta->data_offset != 0 ? meta->data_offset : page;
  data_size_ = meta->data_size != 0 ? meta->data_size : data_pages * page;
  if (data_offset_ > map_size_ || data_size_ > map_size_ - data_offset_ ||
      !is_power_of_two(data_size_)) {
    ::munmap(base_, map_size_);
    throw WatchError("the kernel's perf ring buffer layout is not what it should be");
  }
}

PerfRingBuffer::~PerfRingBuffer() {
  if (base_ != nullptr) ::munmap(base_, map_size_);
}

RingContents PerfRingBuffer::contents() const {
  const auto* meta = static_cast<const perf_event_mmap_page*>(base_);
  const auto* data = static_cast<const uint8_t*>(base_) + data_offset_;
  ::ioctl(fd_, PERF_EVENT_IOC_PAUSE_OUTPUT, 1);
  uint64_t head = __atomic_load_n(&meta->data_head, __ATOMIC_ACQUIRE);
  std::vector<uint8_t> copy(data, data + data_size_);
  uint64_t head_after = __atomic_load_n(&meta->data_head, __ATOMIC_ACQUIRE);
  ::ioctl(fd_, PERF_EVENT_IOC_PAUSE_OUTPUT, 0);

  // The ring holds 0 - head bytes until it first wraps. Once full, a record
  // still being written when output paused (or published during the copy)
  // lands on the oldest bytes: those are not trusted.
  uint64_t written = 0 - head;
  uint64_t limit = std::min<uint64_t>(written, data_size_);
  bool overwritten = written >= data_size_;
  if (overwritten) {
    uint64_t unsafe = kMaxRecordBytes + (head - head_after);
    limit = unsafe < limit ? limit - unsafe : 0;
  }
  return {backward_records(copy, head, limit), overwritten};
}

}  // namespace gomapdbg
