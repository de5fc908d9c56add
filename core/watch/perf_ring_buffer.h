// A perf ring buffer in overwrite mode (write_backward), mapped read-only:
// the kernel writes each record below the previous one and overwrites the
// oldest, so however many hits came before, the newest are always there.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace gomapdbg {

// One record as the kernel wrote it, copied out of the ring (header included).
struct PerfRecord {
  uint32_t type = 0;
  std::vector<uint8_t> bytes;
};

// The records of a backward-written ring, newest first. `data` is the ring's
// data area (its size a power of two), `head` the kernel's data_head (it
// counts down from 0), `limit` how many bytes from head to trust. Records
// that wrap around the end are reassembled; the walk stops at a zero or
// malformed header and at a record that runs past `limit` (its start was
// overwritten). Nothing outside `data` is read.
std::vector<PerfRecord> backward_records(std::span<const uint8_t> data, uint64_t head,
                                         uint64_t limit);

// What a ring held when read: its records, newest first, and whether it had
// wrapped (then records older than the oldest here are missing).
struct RingContents {
  std::vector<PerfRecord> records;
  bool overwritten = false;
};

class PerfRingBuffer {
 public:
  // Maps event `fd`'s buffer: one header page and `data_pages` (a power of
  // two) data pages. Throws WatchError, saying why, when the kernel refuses.
  PerfRingBuffer(int fd, size_t data_pages);
  ~PerfRingBuffer();
  PerfRingBuffer(const PerfRingBuffer&) = delete;
  PerfRingBuffer& operator=(const PerfRingBuffer&) = delete;

  // The event whose buffer this is: others send their output here.
  int fd() const { return fd_; }

  // What the ring holds now. The kernel's output is paused while the ring
  // is copied (hits meanwhile are counted as lost).
  RingContents contents() const;

 private:
  int fd_;
  void* base_ = nullptr;
  size_t map_size_ = 0;
  size_t data_offset_ = 0;
  size_t data_size_ = 0;
};

}  // namespace gomapdbg
