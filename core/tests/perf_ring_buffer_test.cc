// Parsing a backward-written (overwrite mode) perf ring and its sample
// records from synthetic bytes: wrap-around, overwritten and never-written
// space, truncated fields. The real kernel's rings are in write_recorder_test.
#include "watch/perf_ring_buffer.h"

#include <gtest/gtest.h>
#include <linux/perf_event.h>

#include <cstring>

#include "watch/hardware_breakpoint.h"
#include "watch/proc_files.h"
#include "watch/watch_sample.h"

namespace gomapdbg {
namespace {

// A ring written as the kernel writes it in overwrite mode: each record
// below the previous one, head counting down from 0, wrapping at the end.
class BackwardRing {
 public:
  explicit BackwardRing(size_t size) : data_(size) {}

  // A record of `size` bytes (a multiple of 8) whose payload words are `tag`.
  void write(uint32_t type, uint16_t size, uint64_t tag) {
    std::vector<uint8_t> bytes(size);
    perf_event_header header{type, 0, size};
    std::memcpy(bytes.data(), &header, sizeof header);
    for (size_t at = sizeof header; at + 8 <= size; at += 8) std::memcpy(&bytes[at], &tag, 8);
    head_ -= size;
    for (size_t i = 0; i < size; ++i) data_[(head_ + i) & (data_.size() - 1)] = bytes[i];
  }
  std::vector<PerfRecord> records(uint64_t limit = UINT64_MAX) const {
    return backward_records(data_, head_, std::min<uint64_t>(limit, 0 - head_));
  }
  std::vector<uint8_t>& data() { return data_; }
  uint64_t head() const { return head_; }

 private:
  std::vector<uint8_t> data_;
  uint64_t head_ = 0;
};

uint64_t tag_of(const PerfRecord& record) {
  uint64_t tag = 0;
  std::memcpy(&tag, record.bytes.data() + sizeof(perf_event_header), 8);
  return tag;
}

TEST(BackwardRecords, NewestFirstUntilTheNeverWrittenSpace) {
  BackwardRing ring(256);
  ring.write(PERF_RECORD_SAMPLE, 24, 1);
  ring.write(PERF_RECORD_SAMPLE, 32, 2);
  ring.write(PERF_RECORD_LOST, 24, 3);
  std::vector<PerfRecord> records = ring.records();
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(tag_of(records[0]), 3u);
  EXPECT_EQ(records[0].type, static_cast<uint32_t>(PERF_RECORD_LOST));
  EXPECT_EQ(tag_of(records[1]), 2u);
  EXPECT_EQ(records[2].bytes.size(), 24u);
  EXPECT_TRUE(backward_records(ring.data(), 0, 0).empty());  // nothing written yet
}

TEST(BackwardRecords, ARecordAcrossTheEndIsReassembled) {
  BackwardRing ring(64);
  ring.write(PERF_RECORD_SAMPLE, 48, 1);  // offsets 16..63
  ring.write(PERF_RECORD_SAMPLE, 32, 2);  // offsets 48..63 then 0..15: overwrites the first
  std::vector<PerfRecord> records = ring.records();
  ASSERT_EQ(records.size(), 1u);  // the first lost its start: not returned
  EXPECT_EQ(tag_of(records[0]), 2u);
  uint64_t last = 0;
  std::memcpy(&last, records[0].bytes.data() + 24, 8);
  EXPECT_EQ(last, 2u);
}

TEST(BackwardRecords, KeepsTheNewestOfAFullRing) {
  BackwardRing ring(128);
  for (uint64_t i = 1; i <= 100; ++i) ring.write(PERF_RECORD_SAMPLE, 24, i);
  std::vector<PerfRecord> records = ring.records();
  ASSERT_EQ(records.size(), 5u);  // 128 / 24: five whole records
  for (size_t i = 0; i < records.size(); ++i) EXPECT_EQ(tag_of(records[i]), 100 - i);
  EXPECT_EQ(ring.records(60).size(), 2u);  // a limit cuts the oldest
}

TEST(BackwardRecords, StopsAtAMalformedHeader) {
  BackwardRing ring(256);
  ring.write(PERF_RECORD_SAMPLE, 24, 1);
  ring.write(PERF_RECORD_SAMPLE, 24, 2);
  // The older record's size is garbage: odd, then beyond the ring.
  size_t older = (ring.head() + 24) & 255;
  ring.data()[older + 6] = 13;
  EXPECT_EQ(ring.records().size(), 1u);
  ring.data()[older + 6] = 0;
  ring.data()[older + 7] = 0x40;  // 16 KiB
  EXPECT_EQ(ring.records().size(), 1u);
  EXPECT_TRUE(backward_records(std::vector<uint8_t>(100), 0, 100).empty());  // not a power of two
}

// A breakpoint sample's bytes in the kernel's order.
std::vector<uint8_t> sample_bytes(const std::vector<uint64_t>& callchain, bool with_registers) {
  std::vector<uint64_t> words = {0, 0x401000, (uint64_t{77} << 32) | 42, 123456789, 9};
  words.push_back(callchain.size());
  words.insert(words.end(), callchain.begin(), callchain.end());
  words.push_back(with_registers ? PERF_SAMPLE_REGS_ABI_64 : PERF_SAMPLE_REGS_ABI_NONE);
  if (with_registers)
    for (size_t i = 0; i < kSampledRegisters.size(); ++i) words.push_back(100 + i);
  std::vector<uint8_t> bytes(words.size() * 8);
  std::memcpy(bytes.data(), words.data(), bytes.size());
  perf_event_header header{PERF_RECORD_SAMPLE, 0, static_cast<uint16_t>(bytes.size())};
  std::memcpy(bytes.data(), &header, sizeof header);
  return bytes;
}

TEST(DecodeSample, ReadsEveryFieldAndDropsContextMarkers) {
  auto decoded = decode_sample(sample_bytes({PERF_CONTEXT_USER, 0x401000, 0x402000}, true));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->event_id, 9u);
  const WatchSample& s = decoded->sample;
  EXPECT_EQ(s.ip, 0x401000u);
  EXPECT_EQ(s.pid, 42);
  EXPECT_EQ(s.tid, 77);
  EXPECT_EQ(s.time_ns, 123456789u);
  EXPECT_EQ(s.callchain, (std::vector<uint64_t>{0x401000, 0x402000}));
  EXPECT_EQ(s.registers.at("rax"), 100u);
  EXPECT_EQ(s.registers.at("r14"), 106u);
  auto no_registers = decode_sample(sample_bytes({}, false));
  ASSERT_TRUE(no_registers);
  EXPECT_TRUE(no_registers->sample.registers.empty());
}

TEST(DecodeSample, RefusesFieldsPastTheRecord) {
  std::vector<uint8_t> bytes = sample_bytes({0x401000}, true);
  for (size_t size = 0; size < bytes.size(); size += 8)
    EXPECT_FALSE(decode_sample(std::span<const uint8_t>(bytes.data(), size))) << size;
  uint64_t huge = uint64_t{1} << 60;  // a callchain count beyond the record
  std::memcpy(bytes.data() + 40, &huge, 8);
  EXPECT_FALSE(decode_sample(bytes));
}

TEST(DecodeLost, ReadsTheCount) {
  std::vector<uint64_t> words = {0, 9, 17};
  std::vector<uint8_t> bytes(24);
  std::memcpy(bytes.data(), words.data(), 24);
  perf_event_header header{PERF_RECORD_LOST, 0, 24};
  std::memcpy(bytes.data(), &header, sizeof header);
  EXPECT_EQ(decode_lost(bytes), 17u);
  EXPECT_FALSE(decode_lost(std::span<const uint8_t>(bytes.data(), 16)));
}

TEST(CpuList, ParsesRangesAndRefusesGarbage) {
  EXPECT_EQ(parse_cpu_list("0-1"), (std::vector<int>{0, 1}));
  EXPECT_EQ(parse_cpu_list("0,2-3,7"), (std::vector<int>{0, 2, 3, 7}));
  EXPECT_TRUE(parse_cpu_list("3-1").empty());
  EXPECT_TRUE(parse_cpu_list("x").empty());
  EXPECT_TRUE(parse_cpu_list("0-999999").empty());
}

}  // namespace
}  // namespace gomapdbg
