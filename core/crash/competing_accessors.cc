#include "crash/competing_accessors.h"

#include <algorithm>
#include <set>

#include "crash/evidence_text.h"
#include "crash/map_reachability.h"
#include "errors.h"
#include "runtime/wait_reasons.h"
#include "target/variables.h"

namespace gomapdbg {

namespace {

// Frames of a goroutine searched for code that touches the map (beyond
// them the stack is the goroutine's start-up: net/http's serve loop, ...).
constexpr size_t kEvidenceFrames = 24;

// A goroutine blocked in the scheduler (chan, select, sleep, lock, I/O)
// was not half-way through a map access when it parked; one that is
// running, runnable, in a syscall or preempted may have just been.
bool could_have_been_accessing(const Goroutine& g) {
  return g.base_status() != gstatus::kWaiting || g.wait_reason == "preempted";
}

std::string frame_name(size_t index, const Frame& f) {
  return "frame " + std::to_string(index) + " " + function_at(f.function, f.file, f.line);
}

std::string site(const CodeTouch& t) { return t.callee + " at " + short_position(t.file, t.line); }

// Writes before reads: a write race's other party wrote.
const CodeTouch& strongest(const std::vector<CodeTouch>& touches) {
  for (const CodeTouch& t : touches)
    if (t.access == MapAccess::Write) return t;
  return touches.front();
}

std::string verb(MapAccess access) {
  switch (access) {
    case MapAccess::Write:
      return "writes";
    case MapAccess::Read:
      return "reads";
    case MapAccess::Iterate:
      return "iterates over";
    case MapAccess::Clone:
      return "clones";
  }
  return "accesses";
}

std::string touch_text(const CodeTouch& t, const std::string& what) {
  std::string s = t.via.empty() ? "its code " : "it calls " + t.via + ", which ";
  return s + verb(t.access) + " " + what + " (" + site(t) + ")";
}

class Search {
 public:
  Search(Target& target, const RuntimeSnapshot& snapshot, const LocatedMap& map,
         const MapCode* code)
      : target_(target), snapshot_(snapshot), map_(map), code_(code) {}

  void goroutine(const Goroutine& g, AccessorSearch& out) {
    Accessor a;
    a.goroutine = &g;
    a.backtrace = snapshot_.backtrace(g, kAccessorDepth);
    a.thread = snapshot_.thread_of(g);
    auto holding = find_map_pointer(target_, a.backtrace, g, a.thread, map_.address);
    if (in_map_code_on_this_map(a, holding)) {
      out.accessors.push_back(std::move(a));
      return;
    }
    if (!could_have_been_accessing(g)) return;
    if (code_ && touches_map(a)) {
      out.accessors.push_back(std::move(a));
      return;
    }
    if (holding)
      out.candidates.push_back({&g, std::move(a.backtrace),
                                "holds the map's address (" + holding->where +
                                    ") but no code on its stack is known to touch this map"});
  }

 private:
  // Certain: a map-code frame whose map argument is this map, or whose own
  // frame (or thread registers, for the innermost) holds its address.
  bool in_map_code_on_this_map(Accessor& a, const std::optional<Holding>& holding) {
    if (!holding) return false;
    size_t last_map_frame = a.backtrace.frames.size();
    for (size_t i = 0; i < a.backtrace.frames.size(); ++i)
      if (map_access(a.backtrace.frames[i].function)) last_map_frame = i;
    if (last_map_frame == a.backtrace.frames.size() || holding->frame > last_map_frame)
      return false;
    // Named by the map function user code called (mapassign_fast64, not
    // the table split it is in).
    const Frame& f = a.backtrace.frames[last_map_frame];
    a.certainty = Certainty::Certain;
    a.access = map_access(f.function);
    a.function = f.function;
    a.evidence.push_back({Evidence::Kind::InMapCode,
                          "inside " + f.function + " on this map (" + holding->where + ")",
                          holding->frame});
    return true;
  }

  // Likely: a frame in code that touches this map.
  bool touches_map(Accessor& a) {
    std::set<uint64_t> entries_seen;
    const auto& frames = a.backtrace.frames;
    for (size_t i = 0; i < frames.size() && i < kEvidenceFrames; ++i) {
      const Frame& f = frames[i];
      // An inlined call's code is its physical frame's, which follows it.
      if (f.inlined || !f.entry || f.stack != StackKind::Goroutine ||
          is_runtime_function(f.function))
        continue;
      if (!entries_seen.insert(f.entry).second) continue;  // recursion: once is enough
      std::vector<CodeTouch> touches = code_->touches(f.entry);
      if (touches.empty()) continue;
      if (auto e = global_evidence(i, f, touches)) {
        add(a, *std::move(e), strongest(touches));
        continue;
      }
      if (auto e = reach_evidence(i, f, touches)) add(a, *std::move(e), strongest(touches));
    }
    return !a.evidence.empty();
  }

  void add(Accessor& a, Evidence e, const CodeTouch& t) {
    if (a.evidence.empty()) {
      a.function = a.backtrace.frames[e.frame].function;
      a.access = t.access;
    } else if (t.access == MapAccess::Write) {
      a.access = MapAccess::Write;
    }
    a.evidence.push_back(std::move(e));
  }

  std::optional<Evidence> global_evidence(size_t i, const Frame& f,
                                          const std::vector<CodeTouch>& touches) {
    std::vector<CodeTouch> on_global;
    for (const CodeTouch& t : touches)
      if (t.by_global) on_global.push_back(t);
    if (on_global.empty()) return std::nullopt;
    return Evidence{Evidence::Kind::CodeTouchesMap,
                    frame_name(i, f) + ": " + touch_text(strongest(on_global), global_name()), i};
  }

  std::optional<Evidence> reach_evidence(size_t i, const Frame& f,
                                         const std::vector<CodeTouch>& touches) {
    std::string how = path_from_frame(f, touches);
    if (how.empty()) return std::nullopt;
    return Evidence{Evidence::Kind::ReachesMap,
                    frame_name(i, f) + ": " + how + "; " +
                        touch_text(strongest(touches), "maps of type " + map_.type->name),
                    i};
  }

  // How the frame leads to the map: a variable reaches it, or a global that
  // its code (or the code of the callee that makes the map call) refers to,
  // or one of its stack slots holds its address.
  std::string path_from_frame(const Frame& f, const std::vector<CodeTouch>& touches) {
    if (target_.binary().dwarf().present() && f.cfa) {
      // Variables that cannot be read are listed in `unavailable` (no evidence there).
      std::vector<std::string> unavailable;
      for (const GoValue& v : frame_variables(target_, f.dwarf_state(), unavailable))
        if (auto path = path_to_map(target_, v, map_.address))
          return *path == v.origin ? "its variable " + v.origin + " is this map"
                                   : "holds " + v.origin + "; " + *path + " is this map";
      if (std::string how = path_through_globals(f, touches, true); !how.empty()) return how;
    }
    if (!target_.binary().dwarf().present())
      if (std::string how = path_through_globals(f, touches, false); !how.empty()) return how;
    if (f.cfa > f.sp && f.cfa - f.sp <= (uint64_t{1} << 16)) {
      // The frame and its arguments area: an argument live across calls
      // stays in its spill slot above the return address.
      std::vector<uint64_t> words((f.cfa - f.sp + arguments_size(f)) / 8);
      words.resize(target_.memory().read_prefix(f.sp, words.data(), words.size() * 8) / 8);
      for (size_t w = 0; w < words.size(); ++w)
        if (words[w] == map_.address)
          return "its stack slot " + hex(f.sp + w * 8) + " holds this map's address";
      if (!target_.binary().dwarf().present()) return field_holding_map(f, words);
    }
    return "";
  }

  // The globals the frame's code (or the code of the callee that makes the
  // map call) uses: typed by DWARF, else by the map calls it passes them to.
  std::string path_through_globals(const Frame& f, const std::vector<CodeTouch>& touches,
                                   bool dwarf) {
    std::set<uint64_t> code{f.entry};
    for (const CodeTouch& t : touches) code.insert(t.code_entry);
    for (uint64_t entry : code)
      for (const GoValue& g : dwarf ? globals_referenced(entry) : map_globals_called(entry))
        if (auto path = path_to_map(target_, g, map_.address)) {
          std::string who = entry == f.entry ? "its code " : "the code it calls ";
          std::string uses =
              dwarf ? "refers to " + g.origin : "passes " + g.origin + " to map calls";
          return who + uses + "; " + *path + " is this map";
        }
    return "";
  }

  // Without DWARF to type a global: the globals this code passes to map
  // calls, typed by the map type descriptor each call passes with them.
  std::vector<GoValue> map_globals_called(uint64_t entry) {
    std::vector<GoValue> out;
    const FunctionCode* fn = target_.binary().code_index().function(entry);
    if (!fn) return out;
    std::set<uint64_t> seen;
    for (const MapCallSite& site : fn->map_calls) {
      if (site.map.kind != ArgumentOrigin::Kind::Global ||
          site.map_type.kind != ArgumentOrigin::Kind::Address ||
          !seen.insert(site.map.address).second)
        continue;
      const GoType* type = target_.binary().dynamic_type(site.map_type.address, target_.memory());
      std::vector<uint8_t> pointer(8);
      if (!type || type->kind != GoKind::Map ||
          target_.memory().read_prefix(site.map.address, pointer.data(), 8) != 8)
        continue;
      out.push_back(
          GoValue{type, std::move(pointer), "the global at " + hex(site.map.address), "global"});
    }
    return out;
  }

  uint64_t arguments_size(const Frame& f) const {
    constexpr uint32_t kMaxArguments = 1 << 12;
    const Pclntab* pclntab = target_.binary().pclntab();
    std::optional<GoFunc> fn = pclntab ? pclntab->function(f.pc) : std::nullopt;
    return fn ? std::min(fn->args, kMaxArguments) / 8 * 8 : 0;
  }

  // Without DWARF to say what a slot holds: a slot pointing to an object
  // one of whose first words is the map (a receiver's map field, s.items).
  std::string field_holding_map(const Frame& f, const std::vector<uint64_t>& words) {
    constexpr size_t kFieldWords = 32;
    for (size_t w = 0; w < words.size(); ++w) {
      if (!words[w] || words[w] % 8 || (words[w] >= f.sp && words[w] < f.cfa)) continue;
      uint64_t fields[kFieldWords];
      size_t n = target_.memory().read_prefix(words[w], fields, sizeof fields) / 8;
      for (size_t k = 0; k < n; ++k)
        if (fields[k] == map_.address)
          return "its stack slot " + hex(f.sp + w * 8) + " points to " + hex(words[w]) +
                 ", whose word at +" + std::to_string(k * 8) + " is this map's address";
    }
    return "";
  }

  std::vector<GoValue> globals_referenced(uint64_t entry) {
    std::vector<GoValue> out;
    for (uint64_t address : code_->referenced_globals(entry))
      if (auto v = global_at(address)) out.push_back(*v);
    return out;
  }

  std::optional<GoValue> global_at(uint64_t address) {
    if (globals_.empty()) globals_ = global_variables(target_);
    auto it = std::upper_bound(globals_.begin(), globals_.end(), address,
                               [](uint64_t a, const GlobalVariable& g) { return a < g.address; });
    if (it == globals_.begin()) return std::nullopt;
    --it;
    if (address >= it->address + std::max<uint64_t>(it->size, 1)) return std::nullopt;
    try {
      return find_global(target_, it->name);
    } catch (const Error&) {
      return std::nullopt;
    }
  }

  // The map's global, as the report names it (stripped: by its address).
  std::string global_name() const {
    if (!map_.name.empty()) return map_.name;
    return "its global at " + hex(map_.global_address);
  }

  Target& target_;
  const RuntimeSnapshot& snapshot_;
  const LocatedMap& map_;
  const MapCode* code_;
  std::vector<GlobalVariable> globals_;
};

int rank(const Accessor& a) {
  int certainty = a.certainty == Certainty::Certain ? 0 : 2;
  return certainty + (a.access == MapAccess::Write ? 0 : 1);
}

}  // namespace

const char* certainty_name(Certainty certainty) {
  return certainty == Certainty::Certain ? "certain" : "likely";
}

const char* evidence_kind_name(Evidence::Kind kind) {
  switch (kind) {
    case Evidence::Kind::InMapCode:
      return "map code";
    case Evidence::Kind::WriteLog:
      return "write log";
    case Evidence::Kind::CodeTouchesMap:
      return "code touches this map";
    case Evidence::Kind::ReachesMap:
      return "reaches this map";
  }
  return "?";
}

AccessorSearch find_competing_accessors(Target& target, const RuntimeSnapshot& snapshot,
                                        const Goroutine* thrower, const LocatedMap& map,
                                        const MapCode* code) {
  AccessorSearch out;
  Search search(target, snapshot, map, code);
  for (const Goroutine& g : snapshot.goroutines()) {
    if (g.dead() || (thrower && g.goid == thrower->goid)) continue;
    search.goroutine(g, out);
  }
  std::stable_sort(out.accessors.begin(), out.accessors.end(),
                   [](const Accessor& x, const Accessor& y) { return rank(x) < rank(y); });
  return out;
}

}  // namespace gomapdbg
