#include "crash/map_locator.h"

#include <cstring>

#include "errors.h"
#include "maps/map_functions.h"
#include "maps/map_walker.h"
#include "target/variables.h"

namespace gomapdbg {

namespace {

// Stacks are scanned at most this far (goroutine stacks rarely exceed it
// when they crash in map code; the bound keeps corrupt SPs cheap).
constexpr uint64_t kMaxStackScan = uint64_t{1} << 20;

// A map pointer read from a DWARF argument of this frame, if any.
std::optional<uint64_t> map_argument(Target& target, const Frame& frame) {
  if (!target.binary().dwarf().present() || !frame.cfa) return std::nullopt;
  for (const char* name : kMapArgumentNames) {
    auto value = find_live_in_frame(target, frame.dwarf_state(), name);
    if (value && value->bytes.size() >= 8) {
      uint64_t pointer = load<uint64_t>(value->bytes.data());
      if (pointer) return pointer;
    }
  }
  return std::nullopt;
}

// The DWARF map type (with its header layout) of a runtime map type descriptor.
const GoType* map_type_of_descriptor(Target& target, uint64_t descriptor) {
  const GoType* type = target.binary().dynamic_type(descriptor, target.memory());
  if (type && type->kind == GoKind::Map && !type->header)
    type = target.binary().types().by_name(type->name);
  return type && type->kind == GoKind::Map && type->header ? type : nullptr;
}

// The map an iterator step works on: the iterator argument `it` (classic
// runtime.hiter, swiss maps.Iter) holds the map (h / m) and its type
// descriptor (t / typ).
std::optional<std::pair<uint64_t, uint64_t>> iterator_map(Target& target, const Frame& frame) {
  if (!target.binary().dwarf().present() || !frame.cfa) return std::nullopt;
  try {
    auto it = find_in_frame(target, frame.dwarf_state(), "it");
    if (!it || it->type->kind != GoKind::Pointer || !it->type->elem) return std::nullopt;
    const GoType& iter = *it->type->elem;
    const GoField* map = iter.field("h") ? iter.field("h") : iter.field("m");
    const GoField* type = iter.field("t") ? iter.field("t") : iter.field("typ");
    uint64_t address = load<uint64_t>(it->bytes.data());
    if (!map || !type || !address) return std::nullopt;
    uint64_t words[2] = {target.memory().u64(address + map->offset),
                         target.memory().u64(address + type->offset)};
    if (!words[0] || !words[1]) return std::nullopt;
    return std::make_pair(words[0], words[1]);
  } catch (const Error&) {
    return std::nullopt;
  }
}

// The maptype descriptor argument of a map function's frame → its DWARF map type.
const GoType* map_type_argument(Target& target, const Frame& frame) {
  if (!target.binary().dwarf().present() || !frame.cfa) return nullptr;
  for (const char* name : kMapTypeArgumentNames) {
    auto value = find_live_in_frame(target, frame.dwarf_state(), name);
    if (!value || value->bytes.size() < 8) continue;
    if (const GoType* type = map_type_of_descriptor(target, load<uint64_t>(value->bytes.data())))
      return type;
  }
  return nullptr;
}

// Globals of map type, by the header address they hold now.
struct GlobalMap {
  uint64_t address;
  std::string name;
  const GoType* type;
};
std::vector<GlobalMap> global_maps(Target& target) {
  std::vector<GlobalMap> out;
  if (!target.binary().dwarf().present()) return out;
  for (const auto& [name, off] : target.binary().dwarf().globals()) {
    auto value = find_live_global(target, name);
    if (!value || value->type->kind != GoKind::Map || !value->type->header) continue;
    uint64_t address = load<uint64_t>(value->bytes.data());
    if (address) out.push_back({address, name, value->type});
  }
  return out;
}

}  // namespace

bool plausible_map(Target& target, const GoType& type, uint64_t address) {
  try {
    MapLayout layout = map_layout(type);
    auto walker = make_map_walker(target.memory(), layout, address);
    if (walker->header().count > (uint64_t{1} << 36)) return false;
    uint64_t seen = 0;
    WalkStats stats =
        walker->walk([&](const uint8_t*, const uint8_t*) { return ++seen < 1'000'000; });
    return stats.stopped || stats.entries == walker->header().count || walker->header().writing;
  } catch (const Error&) {
    return false;
  }
}

namespace {

// A map header that reads and lays out: enough for a map a DWARF argument
// names (mid-crash its count may disagree with its entries: a clear or a
// grow was interrupted).
bool readable(Target& target, const GoType& type, uint64_t address) {
  try {
    MapLayout layout = map_layout(type);
    make_map_walker(target.memory(), layout, address);
    return true;
  } catch (const Error&) {
    return false;
  }
}

// The goroutine's stack words from its innermost SP up, bounded.
std::vector<uint64_t> stack_words(Target& target, const Backtrace& bt, const Goroutine& g,
                                  uint64_t& base) {
  uint64_t sp = 0;
  for (const Frame& f : bt.frames)
    if (f.stack == StackKind::Goroutine) {
      sp = f.sp;
      break;
    }
  if (!sp || sp < g.stack_lo || sp >= g.stack_hi) sp = g.stack_lo;
  uint64_t hi = std::min(g.stack_hi, sp + kMaxStackScan);
  base = sp;
  if (!sp || hi <= sp) return {};
  std::vector<uint64_t> words((hi - sp) / 8);
  size_t got = target.memory().read_prefix(sp, words.data(), words.size() * 8);
  words.resize(got / 8);
  return words;
}

// The goroutine-stack frame whose [sp, cfa) holds the slot.
size_t frame_of_slot(const Backtrace& bt, uint64_t slot) {
  for (size_t i = 0; i < bt.frames.size(); ++i) {
    const Frame& f = bt.frames[i];
    if (f.stack == StackKind::Goroutine && slot >= f.sp && slot < f.cfa) return i;
  }
  return bt.frames.size();
}

// The variable of a frame outside the runtime that holds the map at
// `address`, for naming a map no global holds: "m, argument of
// main.writeInts in frame 4"; "" when none does.
std::string variable_holding(Target& target, const Backtrace& bt, uint64_t address) {
  if (!target.binary().dwarf().present()) return "";
  for (size_t i = 0; i < bt.frames.size(); ++i) {
    const Frame& f = bt.frames[i];
    // An inlined call's variables are not its physical frame's (DWARF
    // nests them in the caller): only a physical frame's are read.
    if (!f.cfa || f.inlined || is_runtime_function(f.function)) continue;
    std::vector<std::string> unavailable;
    try {
      for (const GoValue& v : frame_variables(target, f.dwarf_state(), unavailable))
        if (v.type && v.type->kind == GoKind::Map && v.bytes.size() >= 8 &&
            load<uint64_t>(v.bytes.data()) == address)
          return v.origin + ", " + v.where + " of " + f.function + " in frame " + std::to_string(i);
    } catch (const Error&) {
      // a frame whose variables cannot be read names nothing
    }
  }
  return "";
}

std::optional<LocatedMap> locate_unnamed(Target& target, const Backtrace& bt, const Goroutine& g,
                                         bool scan_stack);

}  // namespace

GoValue LocatedMap::value() const {
  std::vector<uint8_t> bytes(8);
  std::memcpy(bytes.data(), &address, 8);
  if (!name.empty()) return GoValue{type, std::move(bytes), name, "global"};
  return GoValue{type, std::move(bytes), hex(address) + " as " + type->name, ""};
}

std::optional<LocatedMap> locate_map(Target& target, const Backtrace& bt, const Goroutine& g,
                                     bool scan_stack) {
  auto m = locate_unnamed(target, bt, g, scan_stack);
  if (m && m->name.empty()) m->local = variable_holding(target, bt, m->address);
  return m;
}

namespace {

std::optional<LocatedMap> locate_unnamed(Target& target, const Backtrace& bt, const Goroutine& g,
                                         bool scan_stack) {
  std::vector<GlobalMap> globals = global_maps(target);
  auto named = [&](LocatedMap m) {
    for (const GlobalMap& gm : globals)
      if (gm.address == m.address) {
        m.name = gm.name;
        if (!m.type) m.type = gm.type;
      }
    return m;
  };
  for (const Frame& f : bt.frames) {
    auto access = map_access(f.function);
    if (!access) continue;
    if (auto pointer = map_argument(target, f)) {
      const GoType* type = map_type_argument(target, f);
      LocatedMap m = named({*pointer, type, "", "argument of " + f.function});
      if (m.type && readable(target, *m.type, m.address)) return m;
    }
    if (*access != MapAccess::Iterate) continue;
    if (auto iterated = iterator_map(target, f)) {
      const GoType* type = map_type_of_descriptor(target, iterated->second);
      LocatedMap m = named({iterated->first, type, "", "the iterator argument of " + f.function});
      if (m.type && readable(target, *m.type, m.address)) return m;
    }
  }
  if (!scan_stack) return std::nullopt;
  // The map argument is gone but the map type argument may not be: the only
  // global map of that type is the likely one.
  for (const Frame& f : bt.frames) {
    if (!map_access(f.function)) continue;
    const GoType* type = map_type_argument(target, f);
    if (!type) continue;
    const GlobalMap* only = nullptr;
    size_t same_type = 0;
    for (const GlobalMap& gm : globals)
      if (gm.type->name == type->name) {
        only = &gm;
        ++same_type;
      }
    if (same_type == 1 && plausible_map(target, *only->type, only->address))
      return LocatedMap{only->address, only->type, only->name,
                        "the only global " + type->name + " (the map type argument of " +
                            f.function + "; its map argument is gone)"};
    break;
  }
  // No DWARF answer: a word on the stack equal to a global map's header.
  uint64_t base = 0;
  std::vector<uint64_t> words = stack_words(target, bt, g, base);
  for (size_t i = 0; i < words.size(); ++i)
    for (const GlobalMap& gm : globals)
      if (words[i] == gm.address && plausible_map(target, *gm.type, gm.address)) {
        size_t frame = frame_of_slot(bt, base + i * 8);
        std::string in = frame < bt.frames.size() ? " in " + bt.frames[frame].function : "";
        return LocatedMap{gm.address, gm.type, gm.name, "stack slot " + hex(base + i * 8) + in};
      }
  return std::nullopt;
}

}  // namespace

std::optional<Holding> find_map_pointer(Target& target, const Backtrace& bt, const Goroutine& g,
                                        const ThreadState* thread, uint64_t address) {
  for (size_t i = 0; i < bt.frames.size(); ++i) {
    const Frame& f = bt.frames[i];
    if (!map_access(f.function)) continue;
    if (map_argument(target, f) == address) return Holding{"argument of " + f.function, i, true};
  }
  uint64_t base = 0;
  std::vector<uint64_t> words = stack_words(target, bt, g, base);
  for (size_t i = 0; i < words.size(); ++i) {
    if (words[i] != address) continue;
    size_t frame = frame_of_slot(bt, base + i * 8);
    std::string in = frame < bt.frames.size() ? " in " + bt.frames[frame].function : "";
    return Holding{"stack slot " + hex(base + i * 8) + in, frame, false};
  }
  const char* tls_base = target.architecture().tls_base;
  if (thread)
    for (const auto& [name, value] : thread->input.registers)
      if (value == address && !(tls_base && name == tls_base))
        return Holding{"register " + name + " of thread " + std::to_string(thread->input.tid), 0,
                       false};
  return std::nullopt;
}

}  // namespace gomapdbg
