// The live write log (go watch) read for the report: every recorded write
// of the map header's writing state (classic hmap.flags, swiss
// Map.writing; each map write toggles it twice) with the goroutine that
// made it (its g was in R14), the map function and its callers, and how
// long before the throw. The last write by another goroutine before the
// throw is the one that overlapped the thrower's: its goroutine is the
// other writer, with certainty.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "crash/competing_accessors.h"
#include "crash/crash_report.h"
#include "runtime/goroutines.h"
#include "watch/write_recorder.h"

namespace gomapdbg {

// Entries the model keeps (the last ones before the throw).
inline constexpr size_t kWriteLogEntries = 64;

// `throw_entries`: function entries whose exec samples mark the throw
// (runtime.fatal); the thrower's goroutine is told by its g. All entries
// when `keep_all` (go watch's summary), else the last kWriteLogEntries up to
// the throw.
WriteLog decode_write_log(const RuntimeSnapshot& snapshot, const RecordedWrites& recorded,
                          const std::string& watched, const Goroutine* thrower,
                          bool keep_all = false);

// When the thrower threw: the first exec sample (runtime.fatal's entry)
// taken by the thrower, else the last write recorded (`exact` false: the
// catch stopped soon after it).
uint64_t throw_time(const std::vector<WatchSample>& samples,
                    const std::function<bool(const WatchSample&)>& by_thrower, bool& exact);

// The entry of the write that overlapped the thrower's access: the newest
// one by another goroutine (nullopt when that one's goroutine is unknown:
// an older write would not be it).
std::optional<size_t> overlapping_write(const std::vector<WriteLogEntry>& entries,
                                        uint64_t thrower_goid);

// Adds what the log proves: the overlapping writer as certain, the other
// goroutines that wrote the map as likely.
void add_write_log_evidence(const RuntimeSnapshot& snapshot, const WriteLog& log,
                            const Goroutine* thrower, AccessorSearch& search);

}  // namespace gomapdbg
