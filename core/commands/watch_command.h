// `go watch EXPR`: what to watch for a map (the byte of its header every
// write toggles) and, once the recorder runs, who writes it: per goroutine
// and call site, and the last writes. The recorder itself is
// watch/write_recorder.h; the front end keeps it per process.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "arch/architecture.h"
#include "commands/output.h"
#include "target/target.h"
#include "watch/write_recorder.h"

namespace gomapdbg {

struct WatchRequest {
  uint64_t map = 0;      // the header
  uint64_t address = 0;  // the byte to watch in it
  int length = 1;
  std::string description;              // "main.visits @ 0x... (hmap.flags)"
  std::vector<uint64_t> throw_entries;  // runtime.fatal: the throw lands in the log too
};

// The map EXPR (or ADDRESS --type T) evaluates to and its writing state:
// classic hmap.flags (hashWriting), swiss Map.writing, from the map's
// layout. Throws UsageError for a nil map or a value that is not a map.
WatchRequest watch_request(Target& target, const std::string& expression,
                           const std::optional<std::string>& type);

// Throws UsageError, one line saying why, when `arch` is not the
// architecture the recorder watches (kWatchableGoarch): a linux/arm64
// program, from a core or live under qemu-user, has no thread of its own on
// this machine for a hardware watchpoint.
void require_watchable(const Architecture& arch);

struct WatchSummaryOptions {
  size_t last = 16;  // the last writes listed
  bool json = false;
};

// Who wrote the watched map so far (needs the process stopped).
void watch_summary(Target& target, const RecordedWrites& recorded, const std::string& watched,
                   const WatchSummaryOptions& options, Output& out);

}  // namespace gomapdbg
