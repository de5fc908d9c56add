#include "commands/watch_command.h"

#include <algorithm>
#include <map>
#include <string_view>

#include "commands/goroutine_format.h"
#include "commands/json_writer.h"
#include "commands/marked_text.h"
#include "commands/report_render.h"
#include "crash/evidence_text.h"
#include "crash/write_log.h"
#include "errors.h"
#include "maps/map_layout.h"
#include "target/expression.h"

namespace gomapdbg {

namespace {

// The first caller outside the runtime: the program's code that wrote.
const CodeLocation* program_site(const WriteLogEntry& e) {
  for (const CodeLocation& c : e.callers)
    if (!is_runtime_function(c.function)) return &c;
  return nullptr;
}

// Where the program wrote: "main.f main.go:12", marked for text output or plain (JSON).
std::string site_text(const WriteLogEntry& e, bool marked) {
  const CodeLocation* c = program_site(e);
  if (!marked)
    return c ? c->function + " " + short_position(c->file, c->line) : e.location.function;
  return c ? location_text(*c) : function_text(e.location.function);
}

struct SiteWrites {
  std::string marked;  // the site as text output shows it
  uint64_t writes = 0;
};

struct WriterSummary {
  uint64_t goid = 0;
  uint64_t writes = 0;
  std::map<std::string, SiteWrites> sites;  // by the site's plain text
};

std::vector<WriterSummary> by_goroutine(const WriteLog& log) {
  std::map<uint64_t, WriterSummary> writers;
  for (const WriteLogEntry& e : log.entries) {
    WriterSummary& w = writers[e.goid];
    w.goid = e.goid;
    ++w.writes;
    SiteWrites& site = w.sites[site_text(e, false)];
    if (!site.writes++) site.marked = site_text(e, true);
  }
  std::vector<WriterSummary> out;
  for (auto& [goid, w] : writers) out.push_back(std::move(w));
  std::stable_sort(out.begin(), out.end(), [](const WriterSummary& a, const WriterSummary& b) {
    return a.writes > b.writes;
  });
  return out;
}

std::string goroutine_text(const RuntimeSnapshot& snapshot, uint64_t goid) {
  if (!goid) return "goroutine ? (its g was not in R14):";
  const Goroutine* g = snapshot.find(goid);
  if (!g || g->dead()) return "goroutine " + std::to_string(goid) + " (exited):";
  return goroutine_header(*g);
}

void summary_json(const RuntimeSnapshot& snapshot, const WriteLog& log,
                  const std::vector<WriterSummary>& writers, size_t last, Output& out) {
  JsonWriter json;
  json.begin_object().field("watched", log.watched).field("recorded", log.recorded);
  json.field("lost", log.lost).key("goroutines").begin_array();
  for (const WriterSummary& w : writers) {
    json.begin_object().field("goroutine", w.goid).field("writes", w.writes);
    const Goroutine* g = w.goid ? snapshot.find(w.goid) : nullptr;
    json.field("state", g ? g->state() : std::string()).key("sites").begin_array();
    for (const auto& [site, writes] : w.sites)
      json.begin_object().field("site", site).field("writes", writes.writes).end_object();
    json.end_array().end_object();
  }
  json.end_array().key("last").begin_array();
  size_t first = log.entries.size() > last ? log.entries.size() - last : 0;
  for (size_t i = first; i < log.entries.size(); ++i) {
    const WriteLogEntry& e = log.entries[i];
    json.begin_object().field("goroutine", e.goid).field("thread", e.tid);
    json.field("function", e.location.function).field("site", site_text(e, false));
    json.field("before_last_ns", e.before_throw_ns).end_object();
  }
  json.end_array().end_object();
  out.line(json.str());
}

}  // namespace

void require_watchable(const Architecture& arch) {
  if (std::string_view(arch.goarch) == kWatchableGoarch) return;
  throw UsageError(std::string("hardware watchpoints (perf_event_open) need a linux/") +
                   kWatchableGoarch + " process on this machine, and this is a linux/" +
                   arch.goarch +
                   " program: none of its threads runs here to watch (a core, "
                   "or emulated by qemu-user)");
}

WatchRequest watch_request(Target& target, const std::string& expression,
                           const std::optional<std::string>& type) {
  require_watchable(target.architecture());
  GoValue value = unwrap_interface(target, evaluate_expression(target, expression, type));
  if (value.type->kind != GoKind::Map)
    throw UsageError(value.describe() + " is " + with_article(value.type->name) + ", not a map");
  uint64_t map = load<uint64_t>(value.bytes.data());
  if (!map)
    throw UsageError(value.describe() +
                     " is a nil map: nothing writes it yet (watch it once "
                     "it is made)");
  MapLayout layout = map_layout(*value.type);
  bool swiss = layout.family == MapFamily::Swiss;
  WatchRequest r;
  r.map = map;
  r.address = map + (swiss ? layout.swiss.writing : layout.classic.flags);
  r.description = value.describe() + ": " + value.type->name + " @ " + hex(map) +
                  (swiss ? " (Map.writing)" : " (hmap.flags)");
  if (const Pclntab* table = target.binary().pclntab())
    if (auto fatal = table->entry_of("runtime.fatal")) r.throw_entries.push_back(*fatal);
  return r;
}

void watch_summary(Target& target, const RecordedWrites& recorded, const std::string& watched,
                   const WatchSummaryOptions& options, Output& out) {
  explain_errors(target, [&] {
    RuntimeSnapshot snapshot(target);
    WriteLog log = decode_write_log(snapshot, recorded, watched, nullptr, true);
    std::vector<WriterSummary> writers = by_goroutine(log);
    if (options.json) return summary_json(snapshot, log, writers, options.last, out);
    out.line("watching " + marked_prose(watched) + ": " + std::to_string(log.recorded) +
             " writes of its writing state recorded (two per map write)" +
             (log.lost ? ", " + std::to_string(log.lost) + " lost" : ""));
    if (log.entries.empty()) {
      out.line("nothing has written the map since the watch was armed");
      return;
    }
    out.line("by goroutine:");
    for (const WriterSummary& w : writers) {
      out.line("  " + goroutine_text(snapshot, w.goid) + " " + std::to_string(w.writes) +
               " writes, at");
      for (const auto& [site, writes] : w.sites)
        out.line("    " + std::to_string(writes.writes) + "  " + writes.marked);
    }
    size_t first = log.entries.size() > options.last ? log.entries.size() - options.last : 0;
    out.line("the last " + std::to_string(log.entries.size() - first) +
             " writes (time before the last one):");
    for (size_t i = first; i < log.entries.size(); ++i) {
      const WriteLogEntry& e = log.entries[i];
      out.line("  -" + duration_text(e.before_throw_ns) + "  goroutine " +
               (e.goid ? std::to_string(e.goid) : std::string("?")) + " (thread " +
               std::to_string(e.tid) + ")  " + function_text(e.location.function) + " <- " +
               site_text(e, true));
    }
  });
}

}  // namespace gomapdbg
