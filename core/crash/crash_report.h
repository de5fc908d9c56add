// The crash report as a model: what happened (fatal cause, thrower), the
// map and the key, who else accessed the map and how we know, the code
// that touches it and the live write log. analyze_crash() builds it from
// one runtime snapshot; commands/report_text and report_json render it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "crash/competing_accessors.h"
#include "crash/conflict_key.h"
#include "crash/fatal_cause.h"
#include "crash/map_locator.h"
#include "maps/map_layout.h"
#include "runtime/goroutines.h"
#include "target/target.h"

namespace gomapdbg {

// A function whose code accesses the crashed map: its global's address
// appears in its machine code, at these map calls.
struct StaticAccessor {
  std::string function;
  std::string file;  // where the function is
  int64_t line = 0;
  // Its own map calls on the global (by_global), or on maps of its type
  // whose map argument the code scan could not trace.
  std::vector<CodeTouch> map_calls;
};

// One write of the map header's writing state, recorded live by hardware
// watchpoints (go watch).
struct WriteLogEntry {
  uint64_t goid = 0;  // 0 when its goroutine could not be told
  int64_t tid = 0;
  CodeLocation location;  // the map function writing
  std::optional<MapAccess> access;
  std::vector<CodeLocation> callers;  // its callers, innermost first
  int64_t before_throw_ns = 0;        // how long before the throw (or the last entry)
  bool thrower = false;               // written by the throwing goroutine
};

struct WriteLog {
  std::vector<WriteLogEntry> entries;  // oldest first, the last ones before the throw
  uint64_t recorded = 0;               // writes recorded in all (the ring keeps the last)
  uint64_t lost = 0;                   // samples the kernel dropped
  bool throw_time_exact = false;       // the throw itself was recorded (an exec breakpoint)
  std::string watched;                 // what was watched: "main.visits @ 0x... (flags)"
};

struct RecordedWrites;

struct CrashReportInputs {
  FatalInputs fatal;
  // What go watch recorded (live), on the map whose header is at
  // watched_map: it becomes the write log when that is the crashed map.
  const RecordedWrites* recorded = nullptr;
  uint64_t watched_map = 0;
  std::string watched;  // "main.visits @ 0x... (hmap.flags)"
};

struct CrashReport {
  bool thrown = false;  // false: a live process stopped before anything went wrong
  FatalCause cause;
  const Goroutine* thrower = nullptr;   // null when the thread had no goroutine (a deadlock)
  Backtrace thrower_backtrace;          // without a thrower, the thread's stack
  const ThreadState* thread = nullptr;  // the thread that threw or got the signal
  std::string thrower_function;         // the map function the thrower is in
  std::optional<MapAccess> thrower_access;

  std::optional<LocatedMap> map;
  std::optional<MapLayout> layout;
  std::optional<ConflictKey> key;
  std::string key_owner;  // "goroutine 7"

  AccessorSearch competitors;
  std::vector<StaticAccessor> static_accessors;
  std::optional<WriteLog> write_log;
  std::vector<std::string> warnings;

  // Map sections belong only to map fatals (and to a live stop in map code).
  bool about_a_map() const {
    return cause.kind == FatalKind::MapMisuse || (!thrown && map.has_value());
  }
  std::string verdict() const;
};

CrashReport analyze_crash(Target& target, const RuntimeSnapshot& snapshot,
                          const CrashReportInputs& inputs);

}  // namespace gomapdbg
