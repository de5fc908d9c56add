#include "commands/goroutines_command.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>

#include "commands/blocked_on.h"
#include "commands/goroutine_format.h"
#include "errors.h"
#include "runtime/goroutines.h"
#include "runtime/wait_reasons.h"

namespace gomapdbg {

namespace {

// Frames unwound per goroutine for its location and --func (stacks deeper
// than this are matched on their top frames only).
constexpr size_t kListDepth = 256;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

bool status_matches(const Goroutine& g, const std::string& wanted) {
  std::string w = lower(wanted);
  return lower(status_name(g.status)) == w || lower(g.state()) == w;
}

bool function_matches(const Goroutine& g, const Backtrace& bt, const std::regex& re) {
  if (std::regex_search(g.start.function, re)) return true;
  for (const Frame& f : bt.frames)
    if (std::regex_search(f.function, re)) return true;
  return false;
}

std::string stack_key(const Goroutine& g, const Backtrace& bt, size_t depth) {
  std::string key = g.state() + "\n";
  for (size_t i = 0; i < bt.frames.size() && i < depth; ++i)
    key += bt.frames[i].function + " " + bt.frames[i].file + ":" +
           std::to_string(bt.frames[i].line) + "\n";
  return key;
}

struct Selected {
  const Goroutine* g;
  Backtrace bt;
};

// "group of 3 [chan receive], goroutines: 18 19 20": a --group entry, its
// ids labelled (a bare "1 goroutine [syscall]: 4" reads as a count); '*'
// marks the group of the current goroutine, as the flat listing marks it.
std::string group_line(const std::vector<const Selected*>& members, uint64_t current) {
  std::string ids;
  bool has_current = false;
  for (size_t i = 0; i < members.size(); ++i) {
    has_current = has_current || (current && members[i]->g->goid == current);
    if (i < 20) ids += (i ? " " : "") + std::to_string(members[i]->g->goid);
  }
  if (members.size() > 20) ids += " ...";
  return std::string(has_current ? "* " : "  ") + "group of " + std::to_string(members.size()) +
         " [" + members.front()->g->state() + "], " +
         (members.size() == 1 ? "goroutine: " : "goroutines: ") + ids;
}

// The goroutine a listing marks '*': the crashed one, else (live) the one on
// the debugger's selected thread; 0 when neither.
uint64_t current_goid(const RuntimeSnapshot& snapshot, const std::optional<CrashSite>& crash) {
  if (crash) return crash->goid;
  const Goroutine* selected = snapshot.selected();
  return selected ? selected->goid : 0;
}

// The debugger's number for thread `tid`, if it gave one.
std::optional<int64_t> thread_number(const RuntimeSnapshot& snapshot, int64_t tid) {
  for (const ThreadState& t : snapshot.threads())
    if (t.input.tid == tid) return t.input.number;
  return std::nullopt;
}

}  // namespace

void goroutines_listing(Target& target, const RuntimeSnapshot& snapshot,
                        const GoroutinesOptions& options, Output& out) {
  std::optional<std::regex> re;
  if (options.function_regex) {
    try {
      re.emplace(*options.function_regex, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      throw UsageError("--func: invalid regular expression '" + *options.function_regex +
                       "': " + e.what());
    }
  }
  std::vector<std::string> warnings = runtime_warnings(target, snapshot);
  std::optional<BlockedOn> blocked;
  if (options.blocked_on) {
    blocked.emplace(target, *options.blocked_on);
    warnings.insert(warnings.end(), blocked->warnings().begin(), blocked->warnings().end());
  }
  auto crash = snapshot.crash();
  bool want_dead =
      options.status && (lower(*options.status) == "dead" || lower(*options.status) == "idle");
  size_t live = 0, shown_count = 0;
  // Calls visit(goroutine, backtrace) for each goroutine the options select,
  // in goid order; the backtrace lives only for the call (listings stream).
  auto for_each_selected = [&](auto&& visit) {
    live = shown_count = 0;
    for (const Goroutine& g : snapshot.goroutines()) {
      if (g.dead() && !want_dead) continue;
      ++live;
      if (options.user_only && g.system) continue;
      if (options.status && !status_matches(g, *options.status)) continue;
      if (blocked && !blocked->semaphore_of(g)) continue;
      Backtrace bt = g.dead() ? Backtrace{} : snapshot.backtrace(g, kListDepth);
      if (re && !function_matches(g, bt, *re)) continue;
      ++shown_count;
      visit(g, std::move(bt));
    }
  };
  size_t depth = options.stack_depth;

  if (options.group) {
    size_t key_depth = depth ? depth : kListDepth;
    std::vector<Selected> shown;
    for_each_selected([&](const Goroutine& g, Backtrace&& bt) {
      shown.push_back({&g, std::move(bt)});
    });
    std::map<std::string, std::vector<const Selected*>> groups;
    for (const Selected& s : shown) groups[stack_key(*s.g, s.bt, key_depth)].push_back(&s);
    std::vector<const std::vector<const Selected*>*> order;
    for (const auto& [key, members] : groups) order.push_back(&members);
    std::stable_sort(order.begin(), order.end(), [](const auto* a, const auto* b) {
      if (a->size() != b->size()) return a->size() > b->size();
      return a->front()->g->goid < b->front()->g->goid;
    });
    size_t show_depth = depth ? depth : 10;
    if (options.json) {
      JsonWriter json;
      json.begin_object().key("groups").begin_array();
      for (const auto* members : order) {
        const Selected& first = *members->front();
        json.begin_object().field("count", uint64_t{members->size()});
        json.field("state", first.g->state());
        json.key("goids").begin_array();
        for (const Selected* s : *members) json.value(s->g->goid);
        json.end_array();
        json_frames(json, first.bt, show_depth);
        json.end_object();
      }
      json.end_array().field("total", uint64_t{live}).field("shown", uint64_t{shown.size()});
      json_warnings(json, warnings);
      json.end_object();
      out.line(json.str());
      return;
    }
    if (options.warnings) write_warnings(warnings, out);
    out.line(std::to_string(shown.size()) + " goroutines in " + std::to_string(order.size()) +
             " groups with identical stacks");
    uint64_t current = current_goid(snapshot, crash);
    for (const auto* members : order) {
      out.line(group_line(*members, current));
      write_frames(members->front()->bt, show_depth, out);
    }
    return;
  }

  if (options.json) {
    JsonWriter json;
    json.begin_object().key("goroutines").begin_array();
    for_each_selected([&](const Goroutine& g, Backtrace&& bt) {
      std::function<void(JsonWriter&)> semaphore;
      if (blocked) semaphore = [&](JsonWriter& j) { blocked->json_semaphore(j, g); };
      json_goroutine(json, g, &bt, depth, semaphore);
    });
    json.end_array();
    if (blocked) {
      json.key("blocked_on");
      blocked->json(json);
    }
    json.key("crash");
    if (crash)
      json.begin_object()
          .field("goid", crash->goid)
          .field("thread", crash->tid)
          .field("m", crash->m_id)
          .end_object();
    else
      json.null();
    json.field("total", uint64_t{live}).field("shown", uint64_t{shown_count});
    json.field("unreadable", uint64_t{snapshot.unreadable()});
    json.key("clock");
    if (const auto& clock = snapshot.clock())
      json.begin_object()
          .field("now", clock->now)
          .field("exact", clock->exact)
          .field("source", clock->source)
          .end_object();
    else
      json.null();
    json_warnings(json, warnings);
    json.end_object();
    out.line(json.str());
    return;
  }

  if (options.warnings) write_warnings(warnings, out);
  if (crash)
    out.line("crashed: goroutine " + std::to_string(crash->goid) + " on " +
             thread_name(crash->tid, thread_number(snapshot, crash->tid)) + " (M" +
             std::to_string(crash->m_id) + ")");
  bool waits = false;
  uint64_t current = current_goid(snapshot, crash);
  if (blocked) out.line("blocked on " + blocked->describe());
  for_each_selected([&](const Goroutine& g, Backtrace&& bt) {
    out.line((current && current == g.goid ? "* " : "  ") + goroutine_line(g, &bt) +
             (blocked ? blocked->suffix(g) : ""));
    if (depth) write_frames(bt, depth, out);
    waits = waits || g.waited_ns.has_value();
  });
  std::string summary =
      "(" + std::to_string(shown_count) + " of " + std::to_string(live) + " goroutines shown";
  if (snapshot.unreadable())
    summary += "; " + std::to_string(snapshot.unreadable()) + " unreadable";
  out.line(summary + ")");
  if (const auto& clock = snapshot.clock(); clock && !clock->exact && waits)
    out.line("(how long goroutines waited is measured up to " + clock->source +
             ", the latest runtime clock reading in memory: a core records no time of death)");
}

void goroutines_command(Target& target, const GoroutinesOptions& options, Output& out) {
  explain_errors(target, [&] {
    RuntimeSnapshot snapshot(target);
    goroutines_listing(target, snapshot, options, out);
  });
}

}  // namespace gomapdbg
