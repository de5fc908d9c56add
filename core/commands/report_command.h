// `go report`: what a crash was about. The verdict; for a map fatal the
// throwing goroutine, the map (header, entries, the conflicting key's
// bucket), the competing accessors with the evidence that they touch the
// same map, the code that touches it and the write log; for a panic, a
// signal or another fatal error what happened; and a grouped summary of all
// goroutines. Analysis: crash/crash_report.h; rendering: report_render.h.
#pragma once

#include <optional>
#include <string>

#include "commands/output.h"
#include "crash/fatal_cause.h"
#include "target/target.h"
#include "values/value_decoder.h"
#include "watch/write_recorder.h"

namespace gomapdbg {

struct ReportOptions {
  FatalInputs fatal;      // the message the catch read, the signal the debugger stopped on
  uint64_t entries = 20;  // map entries shown unless `all`
  bool all = false;
  bool buckets = false;         // the map's physical view instead of its entries
  bool all_goroutines = false;  // every goroutine's stack, not just the summary
  bool json = false;
  ValueCaps caps;  // of the map's keys and values shown
  // The live write log (go watch) and the map it watches.
  const RecordedWrites* recorded = nullptr;
  uint64_t watched_map = 0;
  std::string watched;
};

void report_command(Target& target, const ReportOptions& options, Output& out);

}  // namespace gomapdbg
