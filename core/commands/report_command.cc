#include "commands/report_command.h"

#include <algorithm>

#include "commands/goroutine_format.h"
#include "commands/goroutines_command.h"
#include "commands/map_buckets.h"
#include "commands/map_command.h"
#include "commands/map_json.h"
#include "crash/conflict_key.h"
#include "crash/map_functions.h"
#include "crash/map_locator.h"
#include "errors.h"
#include "maps/hash_home.h"
#include "maps/key_hash.h"
#include "maps/map_walker.h"
#include "runtime/wait_reasons.h"
#include "target/variables.h"

namespace gomapdbg {

namespace {

constexpr size_t kDepth = 64;
constexpr size_t kShownFrames = 12;

enum class Certainty { Certain, Probable };

struct Accessor {
  const Goroutine* g = nullptr;
  Backtrace bt;
  const ThreadState* thread = nullptr;
  std::optional<MapAccess> access;  // the map code it is in, if any
  std::string function;             // that map function, or the frame holding the map
  Holding holding;
  Certainty certainty = Certainty::Probable;
};

// The fatal message: given by the catch, else the `s` argument of the
// runtime.fatal/throw frame, else what the map function the thrower is in
// raises (reference §3.2).
std::string fatal_message(Target& target, const Backtrace& bt,
                          const std::optional<std::string>& given) {
  if (given && !given->empty()) return *given;
  for (const Frame& f : bt.frames) {
    if (f.function != "runtime.fatal" && f.function != "runtime.throw") continue;
    try {
      auto s = find_in_frame(target, f.dwarf_state(), "s");
      if (s && s->type->kind == GoKind::String) {
        uint64_t data = load<uint64_t>(s->bytes.data()), len = load<uint64_t>(s->bytes.data() + 8);
        if (len && len < 4096) {
          std::string text(len, '\0');
          if (target.memory().read_prefix(data, text.data(), len) == len) return text;
        }
      }
    } catch (const Error&) {
    }
  }
  for (const Frame& f : bt.frames)
    if (auto access = map_access(f.function)) return fatal_message_for(*access);
  return "";
}

std::optional<MapAccess> first_map_access(const Backtrace& bt, std::string& function) {
  for (const Frame& f : bt.frames)
    if (auto access = map_access(f.function)) {
      function = f.function;
      return access;
    }
  return std::nullopt;
}

const char* certainty_name(Certainty c) { return c == Certainty::Certain ? "certain" : "probable"; }

std::string evidence(const Accessor& a) {
  if (a.certainty == Certainty::Certain)
    return "inside " + a.function + " on the same map (" + a.holding.where + ")";
  return "holds the map pointer (" + a.holding.where + ") but is not inside map code now";
}

// A goroutine blocked in the scheduler (chan, select, sleep, ...) cannot be
// half-way through a map write; one that is running, runnable, in a
// syscall or preempted can.
bool could_be_mid_access(const Goroutine& g) {
  return g.base_status() != gstatus::kWaiting || g.wait_reason == "preempted";
}

// The goroutine of a thread stopped on the fatal path (a catch breakpoint
// where the debugger has not selected the stopping thread yet).
const Goroutine* goroutine_on_fatal_path(const RuntimeSnapshot& snapshot) {
  constexpr size_t kFatalPathDepth = 8;
  for (const ThreadState& t : snapshot.threads()) {
    if (!t.m || !t.m->curg) continue;
    for (const Frame& f : snapshot.backtrace(t, kFatalPathDepth).frames) {
      if (!is_fatal_function(f.function)) continue;
      for (const Goroutine& g : snapshot.goroutines())
        if (g.g == t.m->curg) return &g;
    }
  }
  return nullptr;
}

std::string capture(const std::function<void(Output&)>& body) {
  std::string text;
  Output sub([&](const std::string& chunk) { text += chunk; });
  body(sub);
  sub.flush();
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

}  // namespace

static void report_body(Target& target, const ReportOptions& options, Output& out) {
  RuntimeSnapshot snapshot(target);
  std::vector<std::string> warnings = runtime_warnings(target, snapshot);
  const Goroutine* thrower = nullptr;
  auto crash = snapshot.crash();
  if (crash && crash->goid) thrower = snapshot.find(crash->goid);
  if (!thrower) thrower = snapshot.selected();
  if (!thrower) thrower = goroutine_on_fatal_path(snapshot);
  if (!thrower)
    throw NotFoundError(
        "no throwing goroutine: neither a dying M (a GOTRACEBACK=crash core), a goroutine on the "
        "selected thread, nor a thread on the runtime's fatal path");
  Backtrace thrower_bt = snapshot.backtrace(*thrower, kDepth);
  // A live process stopped anywhere else (a breakpoint in map code, an
  // interrupt) has not thrown: the report then describes the selected
  // goroutine and the map it is in, without a fatal verdict.
  bool thrown = crash.has_value() || (options.message && !options.message->empty()) ||
                std::any_of(thrower_bt.frames.begin(), thrower_bt.frames.end(),
                            [](const Frame& f) { return is_fatal_function(f.function); });
  std::string message = thrown ? fatal_message(target, thrower_bt, options.message) : "";
  std::string thrower_function;
  auto thrower_access = first_map_access(thrower_bt, thrower_function);
  auto map = locate_map(target, thrower_bt, *thrower);
  if (!map) {
    // The thrower no longer holds the map (its argument died before the
    // throw): another goroutine inside map code may still have it.
    for (const Goroutine& g : snapshot.goroutines()) {
      if (g.dead() || g.goid == thrower->goid) continue;
      Backtrace bt = snapshot.backtrace(g, kDepth);
      std::string function;
      if (!first_map_access(bt, function)) continue;  // only goroutines inside map code
      if (auto other = locate_map(target, bt, g)) {
        map = other;
        map->found_by += " in goroutine " + std::to_string(g.goid) +
                         " (the throwing goroutine's frames no longer hold it)";
        break;
      }
    }
  }
  const ThreadState* thrower_thread = snapshot.thread_of(*thrower);

  std::vector<Accessor> accessors;
  if (map) {
    for (const Goroutine& g : snapshot.goroutines()) {
      if (g.dead() || g.goid == thrower->goid) continue;
      Accessor a;
      a.g = &g;
      a.bt = snapshot.backtrace(g, kDepth);
      a.thread = snapshot.thread_of(g);
      auto holding = find_map_pointer(target, a.bt, g, a.thread, map->address);
      if (!holding) continue;
      a.holding = *holding;
      a.access = first_map_access(a.bt, a.function);
      if (!a.access && !could_be_mid_access(g)) continue;
      a.certainty = a.access ? Certainty::Certain : Certainty::Probable;
      if (!a.access && holding->frame < a.bt.frames.size())
        a.function = a.bt.frames[holding->frame].function;
      accessors.push_back(std::move(a));
    }
    std::stable_sort(accessors.begin(), accessors.end(), [](const Accessor& x, const Accessor& y) {
      return x.certainty < y.certainty;
    });
  }

  // The key being written or read: from the thrower's map frame, else a
  // certain accessor's (a running one has its registers).
  std::optional<ConflictKey> key;
  std::string key_owner;
  std::optional<MapLayout> map_layout_found;
  if (map) {
    try {
      map_layout_found = map_layout(*map->type);
    } catch (const Error&) {
    }
  }
  if (map_layout_found) {
    key = conflict_key(target, thrower_bt, *map_layout_found->key);
    key_owner = "goroutine " + std::to_string(thrower->goid);
    for (const Accessor& a : accessors) {
      if (key || a.certainty != Certainty::Certain) break;
      key = conflict_key(target, a.bt, *map_layout_found->key);
      key_owner = "goroutine " + std::to_string(a.g->goid);
    }
  }
  // The bucket/group holding that key (the physical view of `go map --key`).
  auto key_bucket = [&](Output& sub) {
    auto walker = make_map_walker(target.memory(), *map_layout_found, map->address);
    ValueRenderer renderer(target.memory(), &target.binary());
    BucketListing listing{0, key->text, std::nullopt, std::nullopt};
    // Where the key would go if it is absent: from the hash the runtime computes.
    std::string why;
    uint64_t seed = map_hash_seed(target.memory(), *map_layout_found, map->address);
    if (auto hash = runtime_key_hash(target.memory(), target.binary().image(),
                                     *map_layout_found->key, key->bytes.data(), seed, why)) {
      listing.hash = *hash;
      listing.home = hash_home(target.memory(), *map_layout_found, map->address, *hash);
    }
    print_buckets(*walker, *map_layout_found, renderer, listing, sub);
  };

  const GoBuildInfo& build = target.binary().build_info();
  auto family = target.binary().map_family();
  std::string layout = family ? family_name(*family) : "unknown";
  std::string map_text = map ? map->type->name + " @ " + hex(map->address) +
                                   (map->name.empty() ? "" : " (" + map->name + ")")
                             : "an unidentified map";
  std::string verdict = thrown ? (message.empty() ? std::string("fatal error") : message) + " on " +
                                     map_text + ": goroutine " + std::to_string(thrower->goid) +
                                     " threw"
                               : "no fatal error (the process has not thrown): " + map_text +
                                     ": goroutine " + std::to_string(thrower->goid) + " selected";
  if (thrower_access) verdict += " in " + thrower_function;
  if (!accessors.empty())
    verdict += "; competing " +
               std::string(accessors.front().access ? access_name(*accessors.front().access)
                                                    : "accessor") +
               ": goroutine " + std::to_string(accessors.front().g->goid) + " (" +
               certainty_name(accessors.front().certainty) + ")";
  else if (map)
    verdict += "; no competing accessor found";

  MapOptions map_options{map ? std::optional<std::string>(map->type->name) : std::nullopt,
                         options.entries, options.all, options.buckets, std::nullopt};

  if (options.json) {
    JsonWriter json;
    json.begin_object().field("verdict", verdict).field("go_version", build.version);
    json.field("map_layout", layout);
    json.field("thrown", thrown);
    json.key("fatal").begin_object().field("message", message).field("goroutine", thrower->goid);
    json.key("thread");
    if (thrower_thread)
      json.value(thrower_thread->input.tid);
    else
      json.null();
    json_frames(json, thrower_bt, kDepth);
    json.end_object();
    json.key("map");
    if (map) {
      std::string text = capture(
          [&](Output& sub) { map_command_json(target, hex(map->address), map_options, sub); });
      json.json_text(text);
    } else {
      json.null();
    }
    json.key("map_found_by").value(map ? map->found_by : std::string());
    json.key("conflict_key");
    if (key) {
      std::string buckets = capture(key_bucket);
      json.begin_object().field("key", key->text).field("where", key->where + " in " + key_owner);
      json.field("bucket", buckets).end_object();
    } else {
      json.null();
    }
    json.key("map_name").value(map ? map->name : std::string());
    json.key("writers").begin_array();
    for (const Accessor& a : accessors) {
      json.begin_object().field("goroutine", a.g->goid);
      json.key("thread");
      if (a.thread)
        json.value(a.thread->input.tid);
      else
        json.null();
      json.field("function", a.function);
      json.field("access", a.access ? access_name(*a.access) : "");
      json.field("certainty", certainty_name(a.certainty)).field("evidence", evidence(a));
      json.key("created_by");
      json_location(json, a.g->created_by);
      json_frames(json, a.bt, kShownFrames);
      json.end_object();
    }
    json.end_array();
    json.key("goroutines").json_text(capture([&](Output& sub) {
      GoroutinesOptions g;
      g.group = true;
      g.json = true;
      goroutines_command(target, g, sub);
    }));
    json.end_object();
    out.line(json.str());
    return;
  }

  map_options.target_warnings = false;  // said at the top, with the runtime's
  out.line("verdict: " + verdict);
  out.line("go: " + (build.version.empty() ? std::string("unknown") : build.version) +
           ", map layout " + layout);
  write_warnings(warnings, out);
  out.line("");
  if (thrown) {
    out.line("fatal error: " + (message.empty() ? std::string("(message not found)") : message));
    out.line("throwing " + goroutine_line(*thrower, &thrower_bt));
  } else {
    out.line("fatal error: none (no dying M, no runtime.fatal/throw frame on the selected thread)");
    out.line("selected " + goroutine_line(*thrower, &thrower_bt));
  }
  write_frames(thrower_bt, kShownFrames * 2, out);
  out.line("");
  if (map) {
    out.line("the map (found by " + map->found_by + "):");
    map_command(target, hex(map->address), map_options, out);
    out.line("");
    if (key) {
      out.line("the conflicting key: " + key->text + " (" + key->where + " in " + key_owner + ")");
      key_bucket(out);
    } else {
      out.line(
          "the conflicting key: not recoverable (no map frame still holds a key argument: it "
          "lived in a register since reused, or the access covers the whole map, as clear and "
          "iteration do)");
    }
  } else {
    out.line(
        "the map: not found (no map code frame with a readable map argument, and no global "
        "map on the throwing goroutine's stack)");
  }
  out.line("");
  if (map) {
    out.line("competing accessors:");
    if (accessors.empty() && !thrown) {
      out.line(
          "  none found: no other goroutine is inside map code on this map or holds its "
          "address on its stack or in its thread's registers.");
    } else if (accessors.empty()) {
      out.line(
          "  none found: no other goroutine is inside map code on this map or holds its "
          "address on its stack or in its thread's registers. Either the other accessor "
          "already left the map code (it finished its write before the throw was noticed), "
          "or the map's writing state was corrupted (forged through unsafe, or written "
          "from outside Go).");
    }
    for (const Accessor& a : accessors) {
      out.line("  " + goroutine_line(*a.g, &a.bt));
      out.line("    " + std::string(certainty_name(a.certainty)) + ": " +
               (a.access ? std::string(access_name(*a.access)) + ", " : "") + evidence(a));
      write_frames(a.bt, kShownFrames, out);
    }
    out.line("");
  }
  out.line("goroutines:");
  GoroutinesOptions g;
  g.warnings = false;  // said at the top
  g.group = !options.all_goroutines;
  g.stack_depth = options.all_goroutines ? kShownFrames : 0;
  goroutines_command(target, g, out);
}

void report_command(Target& target, const ReportOptions& options, Output& out) {
  explain_errors(target, [&] { report_body(target, options, out); });
}

}  // namespace gomapdbg
