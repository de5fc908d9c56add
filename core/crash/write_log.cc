#include "crash/write_log.h"

#include <algorithm>
#include <functional>
#include <unordered_map>

#include "crash/evidence_text.h"
#include "maps/map_functions.h"

namespace gomapdbg {

namespace {

constexpr size_t kCallers = 8;

// A goroutine's stack can move (it grows by copying) and an exited
// goroutine's g can be reused; a write this close to the end of the log is
// told by its g alone.
constexpr uint64_t kRecentNs = 1'000'000'000;

// The goroutine whose g the sample's R14 held (R14 is the g in Go code):
// accepted when the sample's stack pointer is on that goroutine's stack,
// when the write is recent, or (for the summary) when the goroutine has
// exited since (a g reused by a later goroutine would not be dead).
const Goroutine* writer_of(const std::unordered_map<uint64_t, const Goroutine*>& by_g,
                           const WatchSample& s, uint64_t end, bool accept_exited) {
  auto r14 = s.registers.find("r14");
  auto rsp = s.registers.find("rsp");
  if (r14 == s.registers.end()) return nullptr;
  auto it = by_g.find(r14->second);
  if (it == by_g.end()) return nullptr;
  const Goroutine* g = it->second;
  bool on_its_stack =
      rsp != s.registers.end() && rsp->second >= g->stack_lo && rsp->second < g->stack_hi;
  bool recent = end >= s.time_ns && end - s.time_ns <= kRecentNs;
  return on_its_stack || recent || (accept_exited && g->dead()) ? g : nullptr;
}

WriteLogEntry entry_of(const RuntimeSnapshot& snapshot, const WatchSample& s,
                       const Goroutine* writer) {
  WriteLogEntry e;
  e.goid = writer ? writer->goid : 0;
  e.tid = s.tid;
  // The trap comes after the store: the store is the instruction before ip.
  e.location = snapshot.locate(s.ip, true);
  e.access = map_access(e.location.function);
  for (uint64_t pc : s.callchain) {
    if (pc == s.ip) continue;
    if (e.callers.size() == kCallers) break;
    e.callers.push_back(snapshot.locate(pc, true));
  }
  return e;
}

std::string position(const CodeLocation& l) { return function_at(l.function, l.file, l.line); }

std::string entry_text(const WriteLogEntry& e) {
  std::string s = "wrote the map's writing state in " + position(e.location);
  for (const CodeLocation& c : e.callers)
    if (!is_runtime_function(c.function)) {
      s += ", called from " + position(c);
      break;
    }
  return s + ", " + duration_text(e.before_throw_ns) + " before the throw";
}

Accessor& accessor_for(AccessorSearch& search, const RuntimeSnapshot& snapshot,
                       const Goroutine& g) {
  for (Accessor& a : search.accessors)
    if (a.goroutine == &g) return a;
  Accessor a;
  a.goroutine = &g;
  a.backtrace = snapshot.backtrace(g, kAccessorDepth);
  a.thread = snapshot.thread_of(g);
  search.accessors.push_back(std::move(a));
  return search.accessors.back();
}

}  // namespace

uint64_t throw_time(const std::vector<WatchSample>& samples,
                    const std::function<bool(const WatchSample&)>& by_thrower, bool& exact) {
  exact = false;
  for (const WatchSample& s : samples)
    if (s.kind == WatchSample::Kind::Exec && by_thrower(s)) {
      exact = true;
      return s.time_ns;
    }
  uint64_t last = 0;
  for (const WatchSample& s : samples)
    if (s.kind == WatchSample::Kind::Write) last = std::max(last, s.time_ns);
  return last;
}

std::optional<size_t> overlapping_write(const std::vector<WriteLogEntry>& entries,
                                        uint64_t thrower_goid) {
  for (size_t i = entries.size(); i-- > 0;) {
    const WriteLogEntry& e = entries[i];
    if (e.thrower || (thrower_goid && e.goid == thrower_goid)) continue;
    if (!e.goid) return std::nullopt;  // an older write would not be the overlapping one
    return i;
  }
  return std::nullopt;
}

WriteLog decode_write_log(const RuntimeSnapshot& snapshot, const RecordedWrites& recorded,
                          const std::string& watched, const Goroutine* thrower, bool keep_all) {
  std::unordered_map<uint64_t, const Goroutine*> by_g;
  for (const Goroutine& g : snapshot.goroutines()) by_g.emplace(g.g, &g);
  WriteLog log;
  log.watched = watched;
  log.lost = recorded.lost;
  uint64_t end = throw_time(
      recorded.samples,
      [&](const WatchSample& s) {
        return !thrower || writer_of(by_g, s, s.time_ns, false) == thrower;
      },
      log.throw_time_exact);
  for (const WatchSample& s : recorded.samples) {
    if (s.kind != WatchSample::Kind::Write || (!keep_all && s.time_ns > end)) continue;
    ++log.recorded;
    const Goroutine* writer = writer_of(by_g, s, end, keep_all);
    WriteLogEntry e = entry_of(snapshot, s, writer);
    e.before_throw_ns = end >= s.time_ns ? static_cast<int64_t>(end - s.time_ns) : 0;
    e.thrower = thrower && writer == thrower;
    log.entries.push_back(std::move(e));
  }
  if (!keep_all && log.entries.size() > kWriteLogEntries)
    log.entries.erase(log.entries.begin(), log.entries.end() - kWriteLogEntries);
  return log;
}

void add_write_log_evidence(const RuntimeSnapshot& snapshot, const WriteLog& log,
                            const Goroutine* thrower, AccessorSearch& search) {
  // Only the newest write by another goroutine overlapped the thrower's
  // access; earlier writers (a setup loop, a writer long gone) did not
  // race with it and stay in the log section only.
  const Goroutine* overlapping_writer = nullptr;
  if (auto i = overlapping_write(log.entries, thrower ? thrower->goid : 0)) {
    const WriteLogEntry& e = log.entries[*i];
    if (const Goroutine* g = snapshot.find(e.goid)) {
      overlapping_writer = g;
      Accessor& a = accessor_for(search, snapshot, *g);
      a.evidence.insert(a.evidence.begin(),
                        {Evidence::Kind::WriteLog,
                         "the write that overlapped the thrower's: " + entry_text(e), 0});
      a.certainty = Certainty::Certain;
      a.access = MapAccess::Write;
      if (a.function.empty()) a.function = e.location.function;
      auto& candidates = search.candidates;
      candidates.erase(std::remove_if(candidates.begin(), candidates.end(),
                                      [&](const Candidate& c) { return c.goroutine == g; }),
                       candidates.end());
    }
  }
  // The overlapping writer first (it is the answer), then as before.
  auto rank = [&](const Accessor& a) {
    if (a.goroutine == overlapping_writer) return -1;
    return (a.certainty == Certainty::Certain ? 0 : 2) + (a.access == MapAccess::Write ? 0 : 1);
  };
  std::stable_sort(search.accessors.begin(), search.accessors.end(),
                   [&](const Accessor& x, const Accessor& y) { return rank(x) < rank(y); });
}

}  // namespace gomapdbg
