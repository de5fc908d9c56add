// One hit of a watched address (or of a watched function entry), as the
// kernel sampled it: who, when, where, the registers a Go crash report
// needs (R14 is the goroutine's g) and the user callchain.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace gomapdbg {

struct WatchSample {
  enum class Kind { Write, Exec };
  Kind kind = Kind::Write;
  uint64_t exec_address = 0;  // the watched function entry, for Exec
  int pid = 0;
  int tid = 0;
  uint64_t time_ns = 0;                       // CLOCK_MONOTONIC, as Go's nanotime
  uint64_t ip = 0;                            // for a write, the instruction after the store
  std::map<std::string, uint64_t> registers;  // rax rbx rcx rbp rsp rip r14
  std::vector<uint64_t> callchain;            // user return addresses, innermost first
};

// A sample record decoded, with the id of the event that took it (the
// event opened, also for threads that inherited it).
struct DecodedSample {
  uint64_t event_id = 0;
  WatchSample sample;  // kind and exec_address are the caller's to set
};

// Decodes a PERF_RECORD_SAMPLE of a breakpoint event (see
// hardware_breakpoint.h for its layout); nullopt when any field would run
// past the record.
std::optional<DecodedSample> decode_sample(std::span<const uint8_t> record);

// The count of a PERF_RECORD_LOST record; nullopt when it is too short.
std::optional<uint64_t> decode_lost(std::span<const uint8_t> record);

}  // namespace gomapdbg
