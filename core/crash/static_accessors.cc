#include "crash/static_accessors.h"

#include <algorithm>
#include <deque>
#include <set>

#include "crash/map_reachability.h"
#include "errors.h"
#include "maps/map_layout.h"
#include "maps/map_walker.h"
#include "target/variables.h"

namespace gomapdbg {

namespace {

std::optional<uint64_t> global_address(Target& target, const std::string& name) {
  if (name.empty()) return std::nullopt;
  for (const GlobalVariable& g : global_variables(target))
    if (g.name == name) return g.address;
  return std::nullopt;
}

// The map call whose return address this is (map functions are called
// directly: the architecture's direct call, CALL rel32 or BL, just before).
const MapCallSite* call_site(const CodeIndex& index, uint64_t call_pc) {
  const FunctionCode* fn = index.function_containing(call_pc);
  if (!fn) return nullptr;
  for (const MapCallSite& site : fn->map_calls)
    if (site.pc == call_pc) return &site;
  return nullptr;
}

// The map type a call works on, with its runtime type descriptor: its
// type argument, else (an iterator step takes only the iterator) the one
// map type the function iterates over.
struct CallMapType {
  const GoType* type = nullptr;
  uint64_t descriptor = 0;
};

CallMapType call_map_type(Target& target, const FunctionCode& fn, const MapCallSite& site) {
  std::set<uint64_t> descriptors;
  if (site.map_type.kind == ArgumentOrigin::Kind::Address) {
    descriptors.insert(site.map_type.address);
  } else {
    for (const MapCallSite& other : fn.map_calls)
      if (other.access == site.access && other.map_type.kind == ArgumentOrigin::Kind::Address)
        descriptors.insert(other.map_type.address);
  }
  if (descriptors.size() != 1) return {};
  uint64_t descriptor = *descriptors.begin();
  const GoType* type = target.binary().dynamic_type(descriptor, target.memory());
  if (type && type->kind == GoKind::Map && !type->header)
    type = target.binary().types().by_name(type->name);
  if (!type || type->kind != GoKind::Map || !type->header) return {};
  return {type, descriptor};
}

// The name of the global at `address`: DWARF's, else the ELF symbol's
// (a -w build keeps its symbol table), else none (-s).
std::string global_name(Target& target, uint64_t address) {
  for (const GlobalVariable& g : global_variables(target))
    if (g.address == address) return g.name;
  return target.binary().image().symbol_at(address).value_or("");
}

std::optional<LocatedMap> from_global(Target& target, const MapCallSite& site, const Frame& caller,
                                      const GoType* call_type) {
  std::string name = global_name(target, site.map.address);
  const GoType* type = call_type;
  if (!name.empty())
    if (auto value = find_global(target, name); value && value->type->kind == GoKind::Map)
      type = value->type;
  uint64_t header = 0;
  if (!type || target.memory().read_prefix(site.map.address, &header, 8) != 8 || !header)
    return std::nullopt;
  std::string what = name.empty() ? "the global at " + hex(site.map.address) : "the global " + name;
  LocatedMap m{header, type, name,
               what + " that " + caller.function + " passes to " + site.callee_name};
  m.global_address = site.map.address;
  return m;
}

// Every map of `type` a frame reaches: through its variables, and through
// the globals its function's code refers to.
std::vector<ReachedMap> maps_in_frame(Target& target, const CodeIndex& index, const Frame& frame,
                                      const GoType& type) {
  std::vector<GoValue> roots;
  std::vector<std::string> unavailable;
  // Variables that cannot be read are listed in `unavailable` (no evidence there).
  if (frame.cfa) roots = frame_variables(target, frame.dwarf_state(), unavailable);
  std::set<uint64_t> referenced;
  if (const FunctionCode* fn = index.function(frame.entry))
    for (const DataReference& r : fn->data_references) referenced.insert(r.target);
  for (const GlobalVariable& g : global_variables(target))
    if (referenced.count(g.address))
      if (auto v = find_global(target, g.name)) roots.push_back(*v);
  std::vector<ReachedMap> found;
  for (const GoValue& root : roots)
    for (ReachedMap& m : maps_reached(target, root, type.name)) {
      bool known = false;
      for (const ReachedMap& f : found) known = known || f.header == m.header;
      if (!known) found.push_back(std::move(m));
    }
  return found;
}

// The map of `type` the nearest frame from `first` outwards reaches, when
// that frame reaches exactly one (the caller's own variable may be dead at
// the call; its callers still hold it: a receiver, an argument).
std::optional<LocatedMap> reached_from(Target& target, const CodeIndex& index, const Backtrace& bt,
                                       size_t first, const GoType& type, const MapCallSite& site) {
  constexpr size_t kFramesOut = 6;
  const Frame& caller = bt.frames[first];
  for (size_t i = first; i < bt.frames.size() && i < first + kFramesOut; ++i) {
    const Frame& f = bt.frames[i];
    if (f.inlined || is_runtime_function(f.function)) continue;
    std::vector<ReachedMap> found = maps_in_frame(target, index, f, type);
    if (found.empty()) continue;
    if (found.size() > 1) return std::nullopt;  // which one is not known
    return LocatedMap{found[0].header, &type, "",
                      "the only " + type.name + " that frame " + f.function + " reaches (" +
                          found[0].path + "); " + caller.function + "'s call of " +
                          site.callee_name + " threw"};
  }
  return std::nullopt;
}

// A map two goroutines share lives in the heap: not in the binary's image
// (type descriptors and data walk as small maps) nor on the stack scanned.
bool in_heap_range(Target& target, uint64_t address, uint64_t stack_lo, uint64_t stack_hi) {
  if (address >= stack_lo && address < stack_hi) return false;
  for (const LoadSegment& s : target.binary().image().file().segments())
    if (address >= s.vaddr && address - s.vaddr < s.memsz) return false;
  return true;
}

// A header that walks as a map of `type` without a fault, holds as many
// entries as it says (a map being written may disagree: a clear or a grow
// was cut short), has a writing flag of 0 or 1 where it is a field of its
// own, and carries the hash seed every map the runtime made has: a word
// found without DWARF is only taken for a map when nothing about it
// disagrees (zeroed memory would walk as an empty map; its seed is 0).
bool seeded_map(Target& target, const GoType& type, uint64_t address) {
  constexpr uint64_t kMaxEntries = 1 << 22;
  if (!address || address % 8) return false;
  try {
    MapLayout layout = map_layout(type);  // the walker keeps a reference
    auto walker = make_map_walker(target.memory(), layout, address);
    const MapHeader& header = walker->header();
    if (header.count > kMaxEntries) return false;
    bool seeded = false;
    for (const HeaderField& f : header.fields) {
      if (f.name == "seed" || f.name == "hash0") seeded = f.value != "0x0";
      if (f.name == "writing" && f.value != "0" && f.value != "1") return false;
    }
    if (!seeded) return false;
    uint64_t seen = 0;
    WalkStats stats =
        walker->walk([&](const uint8_t*, const uint8_t*) { return ++seen <= kMaxEntries; });
    // The walk's last warning is a count mismatch, when there is one.
    bool mismatch = stats.entries != header.count;
    size_t faults = stats.warnings.size() + stats.warnings_dropped - (mismatch ? 1 : 0);
    return faults == 0 && !stats.stopped && (!mismatch || header.writing);
  } catch (const Error&) {
    return false;
  }
}

// The words of a goroutine frame (bounded: a frame is at most 64 KiB here).
std::vector<uint64_t> frame_words(Target& target, const Frame& f) {
  constexpr uint64_t kMaxFrameScan = 1 << 16;
  if (f.stack != StackKind::Goroutine || !f.cfa || f.cfa <= f.sp || f.cfa - f.sp > kMaxFrameScan)
    return {};
  std::vector<uint64_t> words((f.cfa - f.sp) / 8);
  words.resize(target.memory().read_prefix(f.sp, words.data(), words.size() * 8) / 8);
  return words;
}

void add_candidate(std::vector<uint64_t>& candidates, uint64_t w) {
  if (std::find(candidates.begin(), candidates.end(), w) == candidates.end())
    candidates.push_back(w);
}

// Without DWARF for the frames' variables: a header of a map of the call's
// type held in the map-code frames or the calling frame, else one
// dereference away in the calling frames (a receiver's map field: s.items).
// One candidate only: two would leave which one unknown.
std::optional<LocatedMap> held_in_frames(Target& target, const Backtrace& bt, size_t caller,
                                         const GoType& type, const MapCallSite& site) {
  constexpr size_t kFramesOut = 6;
  constexpr size_t kFieldWords = 32;  // the first 256 bytes of what a frame word points to
  uint64_t stack_lo = UINT64_MAX, stack_hi = 0;
  for (const Frame& f : bt.frames)
    if (f.stack == StackKind::Goroutine && f.cfa) {
      stack_lo = std::min(stack_lo, f.sp);
      stack_hi = std::max(stack_hi, f.cfa);
    }
  auto header = [&](uint64_t w) {
    return w && w % 8 == 0 && in_heap_range(target, w, stack_lo, stack_hi) &&
           seeded_map(target, type, w);
  };
  std::vector<uint64_t> direct, behind;
  for (size_t i = 0; i < bt.frames.size() && i < caller + kFramesOut; ++i) {
    for (uint64_t w : frame_words(target, bt.frames[i])) {
      if (!w || w % 8) continue;
      if (i <= caller && header(w)) add_candidate(direct, w);
      if (!direct.empty()) continue;
      uint64_t fields[kFieldWords];
      size_t n = target.memory().read_prefix(w, fields, sizeof fields) / 8;
      for (size_t k = 0; k < n; ++k)
        if (header(fields[k])) add_candidate(behind, fields[k]);
    }
  }
  const std::vector<uint64_t>& found = direct.empty() ? behind : direct;
  if (found.size() != 1) return std::nullopt;
  std::string where =
      direct.empty() ? " reached through a pointer in the frames of " : " header in the frames of ";
  return LocatedMap{found[0], &type, "",
                    "the only " + type.name + where + bt.frames[caller].function + "'s call of " +
                        site.callee_name + " (validated by walking it; no DWARF)"};
}

}  // namespace

std::optional<LocatedMap> map_from_call_site(Target& target, const Backtrace& bt) {
  const CodeIndex& index = target.binary().code_index();
  for (size_t i = 0; i + 1 < bt.frames.size(); ++i) {
    const Frame& callee = bt.frames[i];
    const Frame& caller = bt.frames[i + 1];
    if (!map_access(callee.function) || is_runtime_function(caller.function) || callee.inlined)
      continue;
    uint64_t call_pc = caller.pc - target.architecture().call_instruction_size;
    const MapCallSite* site = call_site(index, call_pc);
    const FunctionCode* fn = index.function_containing(call_pc);
    if (!site || !fn) return std::nullopt;
    auto [type, descriptor] = call_map_type(target, *fn, *site);
    std::optional<LocatedMap> found;
    if (site->map.kind == ArgumentOrigin::Kind::Global)
      found = from_global(target, *site, caller, type);
    else if (type)
      found = reached_from(target, index, bt, i + 1, *type, *site);
    if (!found && type) found = held_in_frames(target, bt, i + 1, *type, *site);
    if (found && descriptor) found->descriptor = descriptor;
    return found;
  }
  return std::nullopt;
}

StaticMapFacts::StaticMapFacts(Target& target, const LocatedMap& map)
    : index_(target.binary().code_index()), pclntab_(target.binary().pclntab()) {
  global_ = map.global_address ? std::optional<uint64_t>(map.global_address)
                               : global_address(target, map.name);
  descriptor_ = map.descriptor ? std::optional<uint64_t>(map.descriptor)
                : map.type     ? target.binary().type_descriptor(*map.type)
                               : std::nullopt;
}

std::optional<CodeTouch> StaticMapFacts::touch(const MapCallSite& site,
                                               const std::string& via) const {
  bool on_global =
      global_ && site.map.kind == ArgumentOrigin::Kind::Global && site.map.address == *global_;
  bool of_type = descriptor_ && site.map_type.kind == ArgumentOrigin::Kind::Address &&
                 site.map_type.address == *descriptor_;
  if (!on_global && !of_type) return std::nullopt;
  CodeTouch t;
  t.function = site.function;
  t.via = via;
  t.callee = site.callee_name;
  t.access = site.access;
  t.file = site.file;
  t.line = site.line;
  t.by_global = on_global;
  return t;
}

std::vector<CodeTouch> StaticMapFacts::touches(uint64_t entry) const {
  if (auto it = touches_.find(entry); it != touches_.end()) return it->second;
  std::vector<CodeTouch> out;
  // Breadth first through direct calls, each function once, runtime code
  // left out (its maps are not the program's).
  std::deque<std::pair<uint64_t, int>> queue{{entry, 0}};
  std::set<uint64_t> seen{entry};
  while (!queue.empty()) {
    auto [at, depth] = queue.front();
    queue.pop_front();
    const FunctionCode* fn = index_.function(at);
    if (!fn) continue;
    std::string via = at == entry ? "" : fn->name;
    for (const MapCallSite& site : fn->map_calls)
      if (auto t = touch(site, via)) {
        t->code_entry = at;
        out.push_back(std::move(*t));
      }
    if (depth == kCallDepth) continue;
    for (uint64_t callee : fn->callees) {
      const FunctionCode* next = index_.function(callee);
      if (!next || is_runtime_function(next->name) || !seen.insert(callee).second) continue;
      queue.push_back({callee, depth + 1});
    }
  }
  return touches_.emplace(entry, std::move(out)).first->second;
}

std::vector<uint64_t> StaticMapFacts::referenced_globals(uint64_t entry) const {
  std::set<uint64_t> out;
  if (const FunctionCode* fn = index_.function(entry))
    for (const DataReference& r : fn->data_references) out.insert(r.target);
  return {out.begin(), out.end()};
}

std::vector<StaticAccessor> StaticMapFacts::static_accessors() const {
  std::vector<StaticAccessor> out;
  if (!global_) return out;
  for (const FunctionCode* fn : index_.functions_referring_to(*global_, 8)) {
    StaticAccessor s;
    s.function = fn->name;
    if (pclntab_)
      if (auto f = pclntab_->function(fn->entry))
        if (auto pos = pclntab_->file_line(*f, fn->entry)) {
          s.file = pos->first;
          s.line = pos->second;
        }
    // Its calls on the global, and those on maps of the map's type whose
    // map argument the scan could not trace (loaded earlier, kept across
    // a call).
    for (const MapCallSite& site : fn->map_calls)
      if (auto t = touch(site, "")) s.map_calls.push_back(std::move(*t));
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace gomapdbg
