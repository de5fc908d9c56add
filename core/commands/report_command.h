// `go report`: what a map crash was about. The verdict, the throwing
// goroutine, the map (header, entries, the bucket of nothing in particular),
// the competing accessors with the evidence that they touch the same map,
// and a grouped summary of all goroutines.
#pragma once

#include <optional>
#include <string>

#include "commands/output.h"
#include "target/target.h"

namespace gomapdbg {

struct ReportOptions {
  std::optional<std::string> message;  // the fatal message, when the catch read it
  uint64_t entries = 20;               // map entries shown unless `all`
  bool all = false;
  bool buckets = false;         // the map's physical view instead of its entries
  bool all_goroutines = false;  // every goroutine's stack, not just the summary
  bool json = false;
};

void report_command(Target& target, const ReportOptions& options, Output& out);

}  // namespace gomapdbg
