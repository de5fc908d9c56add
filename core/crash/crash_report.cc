#include "crash/crash_report.h"

#include "crash/static_accessors.h"
#include "crash/write_log.h"
#include "errors.h"

namespace gomapdbg {

namespace {

constexpr size_t kDepth = 64;

std::optional<MapAccess> first_map_access(const Backtrace& bt, std::string& function) {
  for (const Frame& f : bt.frames)
    if (auto access = map_access(f.function)) {
      function = f.function;
      return access;
    }
  return std::nullopt;
}

// The thread of a live process stopped on the fatal path (a catch
// breakpoint where the debugger has not selected the stopping thread).
const ThreadState* thread_on_fatal_path(const RuntimeSnapshot& snapshot) {
  constexpr size_t kFatalPathDepth = 8;
  for (const ThreadState& t : snapshot.threads()) {
    if (!t.m || !t.m->curg) continue;
    for (const Frame& f : snapshot.backtrace(t, kFatalPathDepth).frames)
      if (is_fatal_function(f.function)) return &t;
  }
  return nullptr;
}

const ThreadState* thread_by_tid(const RuntimeSnapshot& snapshot, int64_t tid) {
  for (const ThreadState& t : snapshot.threads())
    if (t.input.tid == tid) return &t;
  return nullptr;
}

const ThreadState* selected_thread(const RuntimeSnapshot& snapshot) {
  for (const ThreadState& t : snapshot.threads())
    if (t.input.selected) return &t;
  return nullptr;
}

const Goroutine* curg_of(const RuntimeSnapshot& snapshot, const ThreadState* thread) {
  if (!thread || !thread->m || !thread->m->curg) return nullptr;
  for (const Goroutine& g : snapshot.goroutines())
    if (g.g == thread->m->curg) return &g;
  return nullptr;
}

// Who threw (or got the signal) and on which thread: the dying M of a
// GOTRACEBACK=crash core, else the debugger's selected thread, else a
// thread stopped on the fatal path.
void find_thrower(const RuntimeSnapshot& snapshot, CrashReport& r) {
  if (auto crash = snapshot.crash()) {
    r.thread = thread_by_tid(snapshot, crash->tid);
    if (crash->goid) r.thrower = snapshot.find(crash->goid);
  }
  if (!r.thread) r.thread = selected_thread(snapshot);
  if (!r.thrower) r.thrower = snapshot.selected();
  if (!r.thrower) {
    if (const ThreadState* t = thread_on_fatal_path(snapshot)) {
      r.thread = t;
      r.thrower = curg_of(snapshot, t);
    }
  }
  if (r.thrower && (!r.thread || curg_of(snapshot, r.thread) != r.thrower))
    if (const ThreadState* t = snapshot.thread_of(*r.thrower)) r.thread = t;
}

// The map the thrower was in, else one another goroutine inside map code
// works on (the thrower's own argument died before the throw).
std::optional<LocatedMap> find_map(Target& target, const RuntimeSnapshot& snapshot,
                                   const CrashReport& r) {
  if (r.thrower) {
    if (auto map = locate_map(target, r.thrower_backtrace, *r.thrower)) return map;
    if (auto map = map_from_call_site(target, r.thrower_backtrace)) return map;
  }
  for (const Goroutine& g : snapshot.goroutines()) {
    if (g.dead() || (r.thrower && g.goid == r.thrower->goid)) continue;
    Backtrace bt = snapshot.backtrace(g, kDepth);
    std::string function;
    if (!first_map_access(bt, function)) continue;
    if (auto other = locate_map(target, bt, g)) {
      other->found_by += " in goroutine " + std::to_string(g.goid) +
                         (r.thrower ? " (the throwing goroutine's frames no longer hold it)" : "");
      return other;
    }
  }
  return std::nullopt;
}

// The key being written or read: from the thrower's map frame, else a
// certain accessor's (a running one has its registers).
void find_key(Target& target, CrashReport& r) {
  if (!r.layout) return;
  if (r.thrower) {
    r.key = conflict_key(target, r.thrower_backtrace, *r.layout->key);
    r.key_owner = "goroutine " + std::to_string(r.thrower->goid);
  }
  for (const Accessor& a : r.competitors.accessors) {
    if (r.key || a.certainty != Certainty::Certain) break;
    if (a.evidence.empty() || a.evidence.front().kind != Evidence::Kind::InMapCode) continue;
    r.key = conflict_key(target, a.backtrace, *r.layout->key);
    r.key_owner = "goroutine " + std::to_string(a.goroutine->goid);
  }
}

std::string map_text(const CrashReport& r) {
  if (!r.map) return "an unidentified map";
  const std::string& name = r.map->name.empty() ? r.map->local : r.map->name;
  return r.map->type->name + " @ " + hex(r.map->address) + (name.empty() ? "" : " (" + name + ")");
}

std::string who(const CrashReport& r) {
  if (r.thrower) return "goroutine " + std::to_string(r.thrower->goid);
  if (r.thread) return "thread " + std::to_string(r.thread->input.tid) + " (no goroutine on it)";
  return "an unknown thread";
}

std::string competitor_text(const CrashReport& r) {
  if (!r.competitors.accessors.empty()) {
    const Accessor& a = r.competitors.accessors.front();
    return "; competing " + std::string(a.access ? access_name(*a.access) : "accessor") +
           ": goroutine " + std::to_string(a.goroutine->goid) + " (" + certainty_name(a.certainty) +
           ")";
  }
  return r.map ? "; no competing accessor found" : "";
}

}  // namespace

std::string CrashReport::verdict() const {
  switch (cause.kind) {
    case FatalKind::None:
      return "no fatal error (the process has not thrown): " + map_text(*this) + ": " + who(*this) +
             " selected" + (thrower_access ? " in " + thrower_function : "") +
             competitor_text(*this);
    case FatalKind::MapMisuse:
      return cause.message + " on " + map_text(*this) + ": " + who(*this) + " threw" +
             (thrower_access ? " in " + thrower_function : "") + competitor_text(*this);
    case FatalKind::RuntimeFatal:
      return "fatal error: " + (cause.message.empty() ? "(message not found)" : cause.message) +
             " (not a map error): " + who(*this) + " threw";
    case FatalKind::Panic:
      return "panic: " + (cause.panics.empty() ? "(value not found)" : cause.panics.front()) +
             " (not a map error): " + who(*this) + " panicked";
    case FatalKind::Signal:
      return "signal " + cause.message + ", " + cause.signal_origin +
             " (not a map error): " + "received by " + who(*this) +
             (thread ? " on thread " + std::to_string(thread->input.tid) : "");
  }
  return "";
}

CrashReport analyze_crash(Target& target, const RuntimeSnapshot& snapshot,
                          const CrashReportInputs& inputs) {
  CrashReport r;
  find_thrower(snapshot, r);
  if (r.thrower) r.thrower_backtrace = snapshot.backtrace(*r.thrower, kDepth);
  Backtrace thread_stack;
  if (r.thread) thread_stack = snapshot.backtrace(*r.thread, kDepth);
  const Backtrace& stack = r.thrower ? r.thrower_backtrace : thread_stack;
  if (!r.thrower && !r.thread)
    throw NotFoundError(
        "no throwing goroutine: neither a dying M (a GOTRACEBACK=crash core), a goroutine on the "
        "selected thread, nor a thread on the runtime's fatal path");
  r.cause = classify_fatal(target, snapshot, r.thrower, stack, inputs.fatal);
  if (r.cause.kind == FatalKind::None && r.thrower && r.thread)
    r.cause = classify_fatal(target, snapshot, r.thrower, thread_stack, inputs.fatal);
  if (r.cause.kind == FatalKind::None && snapshot.crash())
    r.cause.kind = FatalKind::RuntimeFatal;  // a dying M whose reason is gone
  r.thrown = r.cause.kind != FatalKind::None;
  if (!r.thrower) r.thrower_backtrace = std::move(thread_stack);  // what the thread was doing
  r.thrower_access = first_map_access(r.thrower_backtrace, r.thrower_function);
  if (r.cause.kind != FatalKind::MapMisuse && r.thrown) return r;
  if (!r.thrower) return r;

  r.map = find_map(target, snapshot, r);
  if (!r.map) return r;
  try {
    r.layout = map_layout(*r.map->type);
  } catch (const LayoutError& e) {
    // The report goes on without the key (it needs the layout); say why.
    r.warnings.push_back("the layout of " + r.map->type->name + " is unknown (" + e.what() +
                         "): the conflicting key cannot be recovered");
  }
  StaticMapFacts code(target, *r.map);
  r.competitors = find_competing_accessors(target, snapshot, r.thrower, *r.map, &code);
  r.static_accessors = code.static_accessors();
  if (inputs.recorded && inputs.watched_map == r.map->address) {
    r.write_log = decode_write_log(snapshot, *inputs.recorded, inputs.watched, r.thrower);
    add_write_log_evidence(snapshot, *r.write_log, r.thrower, r.competitors);
  }
  find_key(target, r);
  return r;
}

}  // namespace gomapdbg
