// "Now" on the Go runtime's clock (nanotime(): CLOCK_MONOTONIC on
// linux/amd64), to say how long goroutines have waited. A live process on
// this host has the exact value; a core records no time of death, so the
// latest clock reading the runtime left in memory stands in for it (earlier
// than the crash: durations measured against it come out short).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "target/target.h"

namespace gomapdbg {

struct RuntimeClock {
  int64_t now = 0;
  bool exact = false;  // the live clock, not an estimate from memory
  std::string source;  // "the process's clock", "runtime.sched.lastpoll", ...
};

// `latest_goroutine_stamp`: the largest waitsince / trackingStamp of all gs.
std::optional<RuntimeClock> runtime_clock(Target& target, int64_t latest_goroutine_stamp);

// "850ms", "12.3s", "4m05s", "2h10m".
std::string format_duration(int64_t ns);

}  // namespace gomapdbg
