// go report as text: the verdict first, then what happened, the map, the
// competing accessors with their evidence, the code that touches the map,
// the write log, a goroutine summary and the verdict again.
#include "commands/goroutine_format.h"
#include "commands/goroutines_command.h"
#include "commands/map_buckets.h"
#include "commands/map_command.h"
#include "commands/marked_text.h"
#include "commands/report_render.h"
#include "crash/evidence_text.h"
#include "maps/hash_home.h"
#include "maps/key_hash.h"
#include "maps/map_walker.h"
#include "values/value_renderer.h"

namespace gomapdbg {

namespace {

constexpr size_t kShownFrames = 12;
constexpr size_t kShownCandidates = 8;
constexpr size_t kShownLogEntries = 16;

// The answer, said first and again as the last line: at the catch the
// report is long and its first lines have scrolled away.
void write_verdict(const CrashReport& r, Output& out) {
  out.line("verdict: " + styled(Role::Verdict, r.verdict()));
}

// The map section's title: the map's name (its global, else the variable of
// the goroutine's code holding it), else its address.
std::string map_title(const LocatedMap& map) {
  std::string name = !map.name.empty() ? map.name : map.local;
  return (name.empty() ? address_text(map.address) : styled(Role::Heading, name)) + " (found by " +
         marked_prose(map.found_by) + "):";
}

void write_cause(const CrashReport& r, Output& out) {
  const FatalCause& c = r.cause;
  switch (c.kind) {
    case FatalKind::None:
      out.line(
          "fatal error: none (no dying M, no runtime.fatal/throw frame on the selected thread)");
      break;
    case FatalKind::MapMisuse:
    case FatalKind::RuntimeFatal:
      out.line("fatal error: " +
               (c.message.empty() ? std::string("(message not found)")
                                  : c.message + " (from " + marked_prose(c.message_source) + ")"));
      break;
    case FatalKind::Panic:
      if (c.panics.empty()) out.line("panic: (its value could not be read)");
      for (size_t i = 0; i < c.panics.size(); ++i)
        out.line(std::string(i ? "  then, while it ran deferred calls, panic: " : "panic: ") +
                 marked_prose(c.panics[i]));
      break;
    case FatalKind::Signal:
      out.line("signal: " + c.message + ", " + marked_prose(c.signal_origin) + " (si_code " +
               std::to_string(c.signal->code) + ")");
      break;
  }
  const char* role = c.kind == FatalKind::None     ? "selected "
                     : c.kind == FatalKind::Panic  ? "panicking "
                     : c.kind == FatalKind::Signal ? "interrupted "
                                                   : "throwing ";
  if (r.thrower) {
    out.line(role + goroutine_line(*r.thrower, &r.thrower_backtrace));
    write_frames(r.thrower_backtrace, kShownFrames * 2, out);
  } else if (r.thread) {
    out.line(thread_name(r.thread->input.tid, r.thread->input.number) +
             " had no goroutine running (an idle M, or one in the scheduler):");
    write_frames(r.thrower_backtrace, kShownFrames * 2, out);
  }
}

void write_map(Target& target, const CrashReport& r, const ReportOptions& options, Output& out) {
  if (!r.map) {
    out.line(styled(Role::Heading, "the map") +
             ": not found (no map code frame with a readable map argument, and no global map on "
             "the throwing goroutine's stack)");
    return;
  }
  out.line(map_title(*r.map));
  MapOptions map_options{r.map->type->name, options.entries, options.all, options.buckets,
                         std::nullopt};
  map_options.caps = options.caps;
  map_options.target_warnings = false;  // said at the top
  map_value_command(
      target, [&] { return r.map->value(); }, map_options, out);
  out.line("");
  std::string conflicting_key = styled(Role::Heading, "the conflicting key");
  if (r.key) {
    out.line(conflicting_key + ": " + r.key->text + " (" + marked_prose(r.key->where) + " in " +
             r.key_owner + ")");
    write_key_bucket(target, r, out);
  } else {
    out.line(conflicting_key +
             ": not recoverable (no map frame still holds a key argument: it "
             "lived in a register since reused, or the access covers the whole map, as clear and "
             "iteration do)");
  }
}

void write_accessor(const Accessor& a, Output& out) {
  out.line("  " + goroutine_line(*a.goroutine, &a.backtrace));
  Role level = a.certainty == Certainty::Certain ? Role::Certain : Role::Likely;
  out.line("    " + styled(level, certainty_name(a.certainty)) +
           (a.access ? std::string(" ") + access_name(*a.access) : std::string()) + ":");
  for (const Evidence& e : a.evidence)
    out.line("      " + std::string(evidence_kind_name(e.kind)) + ": " + marked_prose(e.text));
  write_frames(a.backtrace, kShownFrames, out);
}

void write_none_found(const CrashReport& r, Output& out) {
  if (!r.thrown) {
    out.line(
        "  none found: no other goroutine is inside map code on this map, and none that is "
        "running or runnable has a frame in code that touches it.");
    return;
  }
  out.line(
      "  none found: no other goroutine is inside map code on this map, and none that is "
      "running, runnable or preempted has a frame in code that touches it. The other accessor "
      "finished its access and moved on (parked goroutines are never named), or the map's "
      "writing state was corrupted (forged through unsafe, or written from outside Go).");
  if (!r.static_accessors.empty()) out.line("  The code that touches this map is listed below.");
  std::string expression = r.map && !r.map->name.empty() ? r.map->name : "EXPR";
  out.line("  To name it, rerun with the write log: scripts/gomapdbg-catch --watch " + expression +
           " PROGRAM (or `go watch " + expression + "` in the debugger before the race).");
}

void write_accessors(const CrashReport& r, Output& out) {
  out.line(styled(Role::Heading, "competing accessors:"));
  if (r.competitors.accessors.empty()) write_none_found(r, out);
  for (const Accessor& a : r.competitors.accessors) write_accessor(a, out);
  if (!r.competitors.candidates.empty()) {
    out.line("");
    out.line(styled(Role::Heading, "not named") +
             " (weaker candidates: they hold the map's address, nothing shows they touch it):");
    for (size_t i = 0; i < r.competitors.candidates.size() && i < kShownCandidates; ++i) {
      const Candidate& c = r.competitors.candidates[i];
      out.line("  " + goroutine_line(*c.goroutine, &c.backtrace));
      out.line("    " + marked_prose(c.why));
    }
    if (r.competitors.candidates.size() > kShownCandidates)
      out.line("  ... " + std::to_string(r.competitors.candidates.size() - kShownCandidates) +
               " more");
  }
}

void write_static_accessors(const CrashReport& r, Output& out) {
  if (r.static_accessors.empty()) return;
  std::string global =
      r.map->name.empty() ? "its global at " + address_text(r.map->global_address) : r.map->name;
  out.line(styled(Role::Heading, "code that touches this map") + " (" + global +
           "; from the machine code):");
  for (const StaticAccessor& s : r.static_accessors) {
    out.line("  " + function_position_text(s.function, s.file, s.line));
    for (const CodeTouch& t : s.map_calls)
      out.line("    " + std::string(access_name(t.access)) +
               (t.by_global ? "" : " (a map of its type)") + ": " + function_text(t.callee) +
               " at " + short_position_text(t.file, t.line));
  }
  out.line("");
}

void write_write_log(const WriteLog& log, Output& out) {
  out.line(styled(Role::Heading, "write log") + " (hardware watchpoint on " +
           marked_prose(log.watched) + "; " + std::to_string(log.recorded) + " writes recorded" +
           (log.lost ? ", " + std::to_string(log.lost) + " lost" : "") + "), the last " +
           std::to_string(std::min(log.entries.size(), kShownLogEntries)) + " before the " +
           (log.throw_time_exact ? "throw" : "catch") + ":");
  size_t first = log.entries.size() > kShownLogEntries ? log.entries.size() - kShownLogEntries : 0;
  for (size_t i = first; i < log.entries.size(); ++i) {
    const WriteLogEntry& e = log.entries[i];
    std::string who = e.goid ? "goroutine " + std::to_string(e.goid) : "goroutine ?";
    std::string line = "  -" + duration_text(e.before_throw_ns) + "  " + who + " (thread " +
                       std::to_string(e.tid) + ")" + (e.thrower ? " [thrower]" : "") + "  " +
                       location_text(e.location);
    if (!e.callers.empty()) line += " <- " + location_text(e.callers.front());
    out.line(line);
  }
  out.line("");
}

}  // namespace

void write_key_bucket(Target& target, const CrashReport& r, Output& out) {
  const MapLayout& layout = *r.layout;
  auto walker = make_map_walker(target.memory(), layout, r.map->address);
  ValueRenderer renderer(target.memory(), &target.binary());
  BucketViewRequest listing{0, r.key->text, std::nullopt, std::nullopt};
  // Where the key would go if it is absent: from the hash the runtime computes.
  std::string why;
  uint64_t seed = map_hash_seed(target.memory(), layout, r.map->address);
  if (auto hash =
          runtime_key_hash(target.memory(), target.binary().image(), target.binary().pclntab(),
                           *layout.key, r.key->bytes.data(), seed, why)) {
    listing.hash = *hash;
    listing.home = hash_home(target.memory(), layout, r.map->address, *hash);
  }
  print_buckets(*walker, layout, renderer, listing, out);
}

void render_report_text(Target& target, const RuntimeSnapshot& snapshot, const CrashReport& r,
                        const ReportOptions& options, Output& out) {
  const GoBuildInfo& build = target.binary().build_info();
  write_verdict(r, out);
  out.line("go: " + (build.version.empty() ? std::string("unknown") : build.version) +
           ", map layout " + target.binary().map_layout_name());
  write_warnings(r.warnings, out);
  out.line("");
  write_cause(r, out);
  out.line("");
  if (r.about_a_map()) {
    write_map(target, r, options, out);
    out.line("");
    if (r.map) {
      write_accessors(r, out);
      out.line("");
      write_static_accessors(r, out);
      if (r.write_log) write_write_log(*r.write_log, out);
    }
  }
  out.line(styled(Role::Heading, "goroutines:"));
  GoroutinesOptions g;
  g.warnings = false;  // said at the top
  g.group = !options.all_goroutines;
  g.stack_depth = options.all_goroutines ? kShownFrames : 0;
  goroutines_listing(target, snapshot, g, out);
  out.line("");
  write_verdict(r, out);
}

}  // namespace gomapdbg
