#include "watch/watch_sample.h"

#include <linux/perf_event.h>

#include <cstring>

#include "watch/hardware_breakpoint.h"

namespace gomapdbg {

namespace {

// Reads fixed-size fields in order, refusing to run past the record.
class RecordCursor {
 public:
  explicit RecordCursor(std::span<const uint8_t> bytes) : bytes_(bytes) {}

  template <typename T>
  bool read(T& out) {
    if (bytes_.size() - offset_ < sizeof(T)) return false;
    std::memcpy(&out, bytes_.data() + offset_, sizeof(T));
    offset_ += sizeof(T);
    return true;
  }
  size_t remaining() const { return bytes_.size() - offset_; }

 private:
  std::span<const uint8_t> bytes_;
  size_t offset_ = 0;
};

// The callchain's user addresses; context markers (PERF_CONTEXT_USER...) dropped.
bool read_callchain(RecordCursor& cursor, std::vector<uint64_t>& out) {
  uint64_t count = 0;
  if (!cursor.read(count) || count > cursor.remaining() / sizeof(uint64_t)) return false;
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t address = 0;
    cursor.read(address);
    if (address < PERF_CONTEXT_MAX) out.push_back(address);
  }
  return true;
}

bool read_registers(RecordCursor& cursor, std::map<std::string, uint64_t>& out) {
  uint64_t abi = 0;
  if (!cursor.read(abi)) return false;
  if (abi == PERF_SAMPLE_REGS_ABI_NONE) return true;  // no user state (a kernel thread)
  for (const SampledRegister& reg : kSampledRegisters) {
    uint64_t value = 0;
    if (!cursor.read(value)) return false;
    out.emplace(reg.name, value);
  }
  return true;
}

}  // namespace

std::optional<DecodedSample> decode_sample(std::span<const uint8_t> record) {
  RecordCursor cursor(record);
  perf_event_header header;
  if (!cursor.read(header) || header.type != PERF_RECORD_SAMPLE) return std::nullopt;
  DecodedSample out;
  WatchSample& s = out.sample;
  uint32_t pid = 0;
  uint32_t tid = 0;
  // The kernel's order for IP | TID | TIME | ID | CALLCHAIN | REGS_USER.
  if (!cursor.read(s.ip) || !cursor.read(pid) || !cursor.read(tid) || !cursor.read(s.time_ns) ||
      !cursor.read(out.event_id) || !read_callchain(cursor, s.callchain) ||
      !read_registers(cursor, s.registers))
    return std::nullopt;
  s.pid = static_cast<int>(pid);
  s.tid = static_cast<int>(tid);
  return out;
}

std::optional<uint64_t> decode_lost(std::span<const uint8_t> record) {
  RecordCursor cursor(record);
  perf_event_header header;
  uint64_t id = 0;
  uint64_t lost = 0;
  if (!cursor.read(header) || header.type != PERF_RECORD_LOST || !cursor.read(id) ||
      !cursor.read(lost))
    return std::nullopt;
  return lost;
}

}  // namespace gomapdbg
