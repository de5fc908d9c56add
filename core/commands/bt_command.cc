#include "commands/bt_command.h"

#include <charconv>
#include <optional>

#include "commands/goroutine_format.h"
#include "commands/marked_text.h"
#include "errors.h"
#include "runtime/goroutines.h"
#include "runtime/labels.h"
#include "runtime/wait_reasons.h"

namespace gomapdbg {

namespace {

// `accepted` says what else the command takes ("a number, or 'all'").
uint64_t parse_goid(const std::string& text, const char* accepted) {
  uint64_t v = 0;
  const char* end = text.data() + text.size();
  auto [stop, error] = std::from_chars(text.data(), end, v);  // no sign, no spaces
  if (!text.empty() && error == std::errc() && stop == end) return v;
  throw UsageError("'" + text + "' is not a goroutine id (" + accepted + ")");
}

}  // namespace

static void write_backtraces(Target& target, const BtOptions& options, Output& out) {
  bool all = options.which && *options.which == "all";
  std::optional<uint64_t> goid;
  if (options.which && !all) goid = parse_goid(*options.which, "a number, or 'all'");
  RuntimeSnapshot snapshot(target);
  if (!options.json) write_warnings(runtime_warnings(target, snapshot), out);
  std::vector<const Goroutine*> which;
  if (all) {
    for (const Goroutine& g : snapshot.goroutines())
      if (!g.dead()) which.push_back(&g);
  } else if (goid) {
    which.push_back(&goroutine_by_id(snapshot, *goid));
  } else {
    const Goroutine* g = default_goroutine(snapshot);
    if (!g)
      throw NotFoundError(
          "the selected thread runs no goroutine (idle or not a Go thread): give a GOID or "
          "'all'");
    which.push_back(g);
  }
  JsonWriter json;
  if (options.json && which.size() != 1) json.begin_object().key("goroutines").begin_array();
  for (size_t i = 0; i < which.size(); ++i) {
    Backtrace bt = snapshot.backtrace(*which[i], options.depth);
    if (options.json) {
      json_goroutine(json, *which[i], &bt, options.depth);
      continue;
    }
    if (i) out.line("");
    out.line(goroutine_header(*which[i]) + ":");
    write_frames(bt, options.depth, out);
  }
  if (options.json) {
    if (which.size() != 1) json.end_array().end_object();
    out.line(json.str());
  }
}

void bt_command(Target& target, const BtOptions& options, Output& out) {
  explain_errors(target, [&] { write_backtraces(target, options, out); });
}

static void describe_goroutine(Target& target, const std::string& goid, bool json_out,
                               Output& out) {
  uint64_t id = parse_goid(goid, "a number");
  RuntimeSnapshot snapshot(target);
  if (!json_out) write_warnings(runtime_warnings(target, snapshot), out);
  const Goroutine& g = goroutine_by_id(snapshot, id);
  Backtrace bt = snapshot.backtrace(g, kMaxFrames);
  const ThreadState* thread = snapshot.thread_of(g);
  if (json_out) {
    JsonWriter json;
    json_goroutine(json, g, &bt, kMaxFrames);
    out.line(json.str());
    return;
  }
  auto at = [](const CodeLocation& l) {
    return function_text(l.function) +
           (l.file.empty() ? ""
                           : std::string(kBreakHere) + " at " + file_line_text(l.file, l.line));
  };
  out.line("goroutine " + std::to_string(g.goid) + " (g " + address_text(g.g) + ")");
  out.line("  status: " + status_name(g.status) +
           ((g.status & gstatus::kScan) ? " (being scanned by the GC)" : ""));
  if (!g.wait_reason.empty())
    out.line("  wait reason: " + g.wait_reason + " (" + std::to_string(g.wait_reason_index) + ")");
  if (g.waitsince) {
    std::string since = "  waiting since: nanotime " + std::to_string(g.waitsince) +
                        " (set by the first GC that saw it blocked, to one GC cycle)";
    if (g.waited_ns && snapshot.clock())
      since += ", " + format_duration(*g.waited_ns) + " before " + snapshot.clock()->source;
    out.line(since);
  }
  if (g.m_id) {
    std::string m = "  M: " + std::to_string(*g.m_id);
    if (g.tid) m += ", thread " + std::to_string(*g.tid);
    if (thread) m += " (found by " + thread->found_by + ")";
    out.line(m);
  }
  out.line(std::string("  locked to thread: ") + (g.locked ? "yes" : "no"));
  out.line("  start: " + at(g.start));
  std::string created = "  created by: " + at(g.created_by);
  if (g.parent_goid && *g.parent_goid) created += " in goroutine " + std::to_string(*g.parent_goid);
  out.line(created);
  out.line(std::string("  system goroutine: ") + (g.system ? "yes" : "no"));
  if (g.labels) out.line("  pprof labels: " + format_labels(target, g.labels));
  out.line("  stack: [" + address_text(g.stack_lo) + ", " + address_text(g.stack_hi) + ") " +
           std::to_string(g.stack_hi - g.stack_lo) + " bytes");
  out.line("  saved context: pc " + address_text(g.sched.pc) + " sp " + address_text(g.sched.sp) +
           " bp " + address_text(g.sched.bp));
  if (g.syscall.sp)
    out.line("  syscall context: pc " + address_text(g.syscall.pc) + " sp " +
             address_text(g.syscall.sp));
  out.line("  frames:");
  write_frames(bt, kMaxFrames, out);
}

void goroutine_command(Target& target, const std::string& goid, bool json_out, Output& out) {
  explain_errors(target, [&] { describe_goroutine(target, goid, json_out, out); });
}

}  // namespace gomapdbg
