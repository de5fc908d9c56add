#include "runtime/runtime_clock.h"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "abi/go_headers.h"
#include "errors.h"
#include "target/variables.h"

namespace gomapdbg {

namespace {

// A nanotime stamp from a field of a runtime global (DWARF only; absent on
// stripped binaries): runtime.sched.lastpoll (the last network poll, updated
// by sysmon about every 10 ms while nobody blocks in netpoll; 0 while
// someone does) and runtime.memstats.last_gc_nanotime (the end of the last GC).
int64_t global_stamp(Target& target, const char* global, const char* field) {
  try {
    auto value = find_global(target, global);
    if (!value) return 0;
    auto offset = value->type->field_offset(field);
    if (!offset || *offset + 8 > value->bytes.size()) return 0;
    return load<int64_t>(value->bytes.data() + *offset);
  } catch (const Error&) {
    return 0;
  }
}

// The latest sysmon reading kept per P: p.sysmontick.schedwhen and
// syscallwhen, which retake() sets to sysmon's now whenever the P has
// scheduled or entered a syscall since its last look (every 20 µs–10 ms
// while anything runs). DWARF only.
int64_t latest_sysmon_stamp(Target& target) {
  constexpr uint64_t kMaxPs = 1024;  // GOMAXPROCS beyond this is implausible
  try {
    auto allp = find_global(target, "runtime.allp");
    if (!allp || allp->bytes.size() < kSliceSize || !allp->type->elem || !allp->type->elem->elem)
      return 0;
    const GoType& p = *allp->type->elem->elem;
    auto tick = p.field("sysmontick");
    if (!tick || !tick->type) return 0;
    auto sched = tick->type->field_offset("schedwhen");
    auto syscall = tick->type->field_offset("syscallwhen");
    if (!sched || !syscall) return 0;
    SliceHeader ps_slice = load_slice(allp->bytes.data());
    uint64_t array = ps_slice.data;
    uint64_t count = std::min(ps_slice.len, kMaxPs);
    std::vector<uint64_t> ps(count);
    count = target.memory().read_prefix(array, ps.data(), count * 8) / 8;
    int64_t latest = 0;
    for (uint64_t i = 0; i < count; ++i) {
      int64_t when[2] = {};
      target.memory().read_prefix(ps[i] + tick->offset + *sched, &when[0], 8);
      target.memory().read_prefix(ps[i] + tick->offset + *syscall, &when[1], 8);
      latest = std::max({latest, when[0], when[1]});
    }
    return latest;
  } catch (const Error&) {
    return 0;
  }
}

}  // namespace

std::optional<RuntimeClock> runtime_clock(Target& target, int64_t latest_goroutine_stamp) {
  if (target.clock_now()) return RuntimeClock{*target.clock_now(), true, "the process's clock"};
  RuntimeClock clock;
  auto consider = [&](int64_t stamp, const char* source) {
    if (stamp > clock.now) {
      clock.now = stamp;
      clock.source = source;
    }
  };
  consider(latest_goroutine_stamp, "the latest goroutine status change");
  consider(global_stamp(target, "runtime.sched", "lastpoll"), "runtime.sched.lastpoll");
  consider(global_stamp(target, "runtime.memstats", "last_gc_nanotime"),
           "runtime.memstats.last_gc_nanotime");
  consider(latest_sysmon_stamp(target), "sysmon's latest look at the Ps (p.sysmontick)");
  if (clock.now <= 0) return std::nullopt;
  return clock;
}

std::string format_duration(int64_t ns) {
  char buf[32];
  double seconds = static_cast<double>(ns) / 1e9;
  if (ns < 1'000'000'000)
    std::snprintf(buf, sizeof buf, "%lldms", static_cast<long long>(ns / 1'000'000));
  else if (seconds < 60)
    std::snprintf(buf, sizeof buf, "%.1fs", seconds);
  else if (seconds < 3600)
    std::snprintf(buf, sizeof buf, "%lldm%02llds", static_cast<long long>(seconds / 60),
                  static_cast<long long>(seconds) % 60);
  else
    std::snprintf(buf, sizeof buf, "%lldh%02lldm", static_cast<long long>(seconds / 3600),
                  static_cast<long long>(seconds / 60) % 60);
  return buf;
}

}  // namespace gomapdbg
