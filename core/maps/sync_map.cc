#include "maps/sync_map.h"

#include <cstring>

#include "errors.h"

namespace gomapdbg {

namespace {

constexpr uint64_t kInterfaceSize = 16;

std::string count_text(uint64_t n, const char* what) { return std::to_string(n) + " " + what; }

}  // namespace

SyncMap::SyncMap(const Memory& memory, const SyncMapLayout& layout, const uint8_t* bytes,
                 uint64_t address)
    : memory_(memory), layout_(layout) {
  header_.address = address;
  read_header(bytes);
  WalkStats counting = run([](const uint8_t*, const uint8_t*) { return true; });
  header_.count = counting.entries;
  count_warnings_ = std::move(counting.warnings);
}

void SyncMap::read_header(const uint8_t* bytes) {
  auto field = [&](const char* name, const std::string& value, bool address = false) {
    header_.fields.push_back({name, value, address});
  };
  if (layout_.impl == SyncMapImpl::HashTrie) {
    root_ = load<uint64_t>(bytes + layout_.root);
    field("root", hex(root_), true);
    field("inited", load<uint32_t>(bytes + layout_.inited) ? "true" : "false");
    return;
  }
  read_ = load<uint64_t>(bytes + layout_.read_pointer);
  dirty_ = load<uint64_t>(bytes + layout_.dirty);
  misses_ = load<int64_t>(bytes + layout_.misses);
  if (read_) {
    // An unreadable readOnly is the header's failure: nothing can be listed.
    std::vector<uint8_t> read_only = memory_.bytes(read_, layout_.read_size);
    read_map_ = load<uint64_t>(read_only.data() + layout_.read_m);
    amended_ = read_only[layout_.read_amended] != 0;
  }
  field("read", hex(read_), true);
  field("read.m", hex(read_map_), true);
  field("amended", amended_ ? "true" : "false");
  field("dirty", hex(dirty_), true);
  field("misses", std::to_string(misses_));
  if (layout_.expunged) field("expunged", hex(*layout_.expunged), true);
}

SyncMap::EntryState SyncMap::entry_state(uint64_t entry, uint8_t value[16],
                                         WalkStats& stats) const {
  uint64_t p = 0;
  std::string why;
  if (!memory_.try_read(entry + layout_.entry_p, &p, sizeof p, why)) {
    stats.warn("sync.Map entry " + hex(entry) + " unreadable: " + why);
    return EntryState::Unreadable;
  }
  if (!p) return EntryState::Deleted;
  if (layout_.expunged && p == *layout_.expunged) return EntryState::Expunged;
  if (!memory_.try_read(p, value, kInterfaceSize, why)) {
    stats.warn("sync.Map value at " + hex(p) + " unreadable: " + why);
    return EntryState::Unreadable;
  }
  return EntryState::Live;
}

bool SyncMap::walk_read_dirty_slots(uint64_t map, const SlotVisitor& visit, WalkStats& stats) {
  if (!map) return true;
  std::unique_ptr<MapWalker> walker;
  try {
    walker = make_map_walker(memory_, layout_.entries, map);
  } catch (const Error& e) {
    stats.warn(std::string("sync.Map's map at ") + hex(map) + " unreadable: " + e.what());
    return true;
  }
  bool keep_going = true;
  uint8_t value[kInterfaceSize];
  WalkStats inner = walker->walk([&](const uint8_t* key, const uint8_t* slot) {
    uint64_t entry = load<uint64_t>(slot);
    return keep_going = visit(key, entry, entry_state(entry, value, stats), value);
  });
  for (auto& w : inner.warnings) stats.warn(std::move(w));
  return keep_going;
}

bool SyncMap::walk_read_dirty_map(uint64_t map, const EntryVisitor* visit, SyncEntryCounts& counts,
                                  WalkStats& stats) {
  auto count = [&](const uint8_t* key, uint64_t, EntryState state, const uint8_t* value) {
    ++counts.slots;
    switch (state) {
      case EntryState::Live:
        ++counts.live;
        return !visit || (*visit)(key, value);
      case EntryState::Deleted:
        ++counts.deleted;
        break;
      case EntryState::Expunged:
        ++counts.expunged;
        break;
      case EntryState::Unreadable:
      case EntryState::Absent:
        ++counts.unreadable;
        break;
    }
    return true;
  };
  return walk_read_dirty_slots(map, count, stats);
}

WalkStats SyncMap::run(const EntryVisitor& visit) {
  WalkStats stats;
  for (const auto& w : count_warnings_) stats.warn(w);
  EntryVisitor counted = [&](const uint8_t* key, const uint8_t* value) {
    if (!visit(key, value)) return false;
    ++stats.entries;
    return true;
  };
  if (layout_.impl == SyncMapImpl::HashTrie) {
    TrieVisitor entries = [&](const TrieEntry& e) { return counted(e.key, e.value); };
    stats.stopped = !walk_trie(&entries, nullptr, stats);
    return stats;
  }
  // While amended, the dirty map holds every live key (read's included);
  // otherwise the read map does.
  uint64_t live_map = amended_ ? dirty_ : read_map_;
  if (amended_ && !dirty_) {
    stats.warn("sync.Map says amended but has no dirty map: listing the read map");
    live_map = read_map_;
  }
  SyncEntryCounts counts;
  stats.stopped = !walk_read_dirty_map(live_map, &counted, counts, stats);
  if (counts.expunged && live_map == dirty_)
    stats.warn(count_text(counts.expunged, "expunged entries in the dirty map (never written)"));
  return stats;
}

bool SyncMap::walk_trie(const TrieVisitor* visit, SyncMapStructure* structure, WalkStats& stats) {
  if (!root_) return true;
  struct Pending {
    uint64_t node;
    int level;
    uint64_t path;  // child indexes from the root, 4 bits each, the last lowest
  };
  std::vector<Pending> stack{{root_, 0, 0}};
  std::unordered_set<uint64_t> seen{root_};
  std::vector<uint8_t> indirect(layout_.indirect_children + 16 * 8);
  uint64_t nodes = 0;
  while (!stack.empty()) {
    Pending at = stack.back();
    stack.pop_back();
    if (++nodes > kMaxNodes) {
      stats.warn("sync.Map trie walk stopped after " + std::to_string(kMaxNodes) + " nodes");
      return true;
    }
    std::string why;
    if (!memory_.try_read(at.node, indirect.data(), indirect.size(), why)) {
      stats.warn("sync.Map trie node " + hex(at.node) + " unreadable: " + why);
      continue;
    }
    if (indirect[layout_.node_is_entry] != 0) {
      stats.warn("sync.Map trie node " + hex(at.node) + " at level " + std::to_string(at.level) +
                 " is an entry where an indirect node belongs");
      continue;
    }
    int set = 0;
    if (structure) {
      ++structure->indirects;
      structure->depth = std::max(structure->depth, at.level + 1);
      if (indirect[layout_.indirect_dead]) ++structure->dead_indirects;
    }
    // Children in reverse onto the stack: visited in index order.
    for (int i = 15; i >= 0; --i) {
      uint64_t child = load<uint64_t>(indirect.data() + layout_.indirect_children + 8 * i);
      if (!child) continue;
      ++set;
      if (!seen.insert(child).second) {
        stats.warn("sync.Map trie node " + hex(child) +
                   " is reached twice (a cycle or shared node)");
        continue;
      }
      uint8_t is_entry = 0;
      if (!memory_.try_read(child + layout_.node_is_entry, &is_entry, 1, why)) {
        stats.warn("sync.Map trie node " + hex(child) + " unreadable: " + why);
        continue;
      }
      if (is_entry) {
        // Entries are visited at once, in index order among their siblings'
        // entries; indirect siblings after.
        continue;
      }
      if (at.level + 1 >= kMaxLevels) {
        stats.warn("sync.Map trie deeper than " + std::to_string(kMaxLevels) + " levels at node " +
                   hex(child) + ": not followed");
        continue;
      }
      stack.push_back({child, at.level + 1, (at.path << 4) | static_cast<uint64_t>(i)});
    }
    if (structure) ++structure->fanout[set];
    for (int i = 0; i < 16; ++i) {
      uint64_t child = load<uint64_t>(indirect.data() + layout_.indirect_children + 8 * i);
      uint8_t is_entry = 0;
      if (!child || !memory_.try_read(child + layout_.node_is_entry, &is_entry, 1, why) ||
          !is_entry)
        continue;
      uint64_t path = (at.path << 4) | static_cast<uint64_t>(i);
      if (!walk_chain(child, at.level, path, visit, structure, seen, stats)) return false;
    }
  }
  return true;
}

bool SyncMap::walk_chain(uint64_t entry, int level, uint64_t path, const TrieVisitor* visit,
                         SyncMapStructure* structure, std::unordered_set<uint64_t>& seen,
                         WalkStats& stats) {
  std::vector<uint8_t> bytes(layout_.entry_size);
  uint64_t length = 0;
  for (uint64_t at = entry; at; ++length) {
    if (length == kMaxChain) {
      stats.warn("sync.Map overflow chain at " + hex(entry) + " cut after " +
                 std::to_string(kMaxChain) + " entries");
      break;
    }
    if (length && !seen.insert(at).second) {
      stats.warn("sync.Map overflow chain at " + hex(entry) + " loops at " + hex(at));
      break;
    }
    std::string why;
    if (!memory_.try_read(at, bytes.data(), bytes.size(), why)) {
      stats.warn("sync.Map trie entry " + hex(at) + " unreadable: " + why);
      break;
    }
    if (length && !bytes[layout_.node_is_entry]) {
      stats.warn("sync.Map overflow entry " + hex(at) + " is not an entry");
      break;
    }
    TrieEntry e{at,
                level,
                path,
                length,
                bytes.data() + layout_.entry_key,
                bytes.data() + layout_.entry_value};
    if (visit && !(*visit)(e)) return false;
    at = load<uint64_t>(bytes.data() + layout_.entry_overflow);
  }
  if (structure) {
    structure->live += length;
    if (structure->entries_by_level.size() <= static_cast<size_t>(level))
      structure->entries_by_level.resize(level + 1);
    structure->entries_by_level[level] += length;
    if (structure->chains.size() <= length) structure->chains.resize(length + 1);
    ++structure->chains[length];
  }
  return true;
}

const char* sync_entry_state_name(SyncEntryState state) {
  switch (state) {
    case SyncEntryState::Live:
      return "live";
    case SyncEntryState::Deleted:
      return "deleted";
    case SyncEntryState::Expunged:
      return "expunged";
    case SyncEntryState::Unreadable:
      return "unreadable";
    case SyncEntryState::Absent:
      break;
  }
  return "absent";
}

SyncKeyPlace SyncMap::find_key(const KeyMatcher& matches, WalkStats& stats) {
  SyncKeyPlace place;
  if (layout_.impl == SyncMapImpl::HashTrie) {
    TrieVisitor find = [&](const TrieEntry& e) {
      if (!matches(e.key)) return true;
      place.state = EntryState::Live;
      std::memcpy(place.key, e.key, kInterfaceSize);
      std::memcpy(place.value, e.value, kInterfaceSize);
      place.entry = e.address;
      place.level = e.level;
      for (int level = e.level; level >= 0; --level)
        place.path.push_back(static_cast<int>((e.path >> (4 * level)) & 15));
      place.chain_position = e.position;
      return false;
    };
    walk_trie(&find, nullptr, stats);
    stats.finish();
    return place;
  }
  auto find_in = [&](uint64_t map, uint64_t& entry_out, EntryState& state_out) {
    SlotVisitor find = [&](const uint8_t* key, uint64_t entry, EntryState state,
                           const uint8_t* value) {
      if (!matches(key)) return true;
      entry_out = entry;
      state_out = state;
      std::memcpy(place.key, key, kInterfaceSize);
      if (state == EntryState::Live) std::memcpy(place.value, value, kInterfaceSize);
      return false;
    };
    walk_read_dirty_slots(map, find, stats);
  };
  find_in(read_map_, place.read_entry, place.read_state);
  find_in(dirty_, place.dirty_entry, place.dirty_state);
  // The map holding the live keys decides (see run()); a key only in the
  // read map (expunged) is as that says.
  bool dirty_decides = amended_ && dirty_;
  place.state = dirty_decides ? place.dirty_state : place.read_state;
  if (dirty_decides && place.state == EntryState::Absent) place.state = place.read_state;
  stats.finish();
  return place;
}

SyncMapStructure SyncMap::structure(WalkStats& stats) {
  SyncMapStructure s;
  s.impl = layout_.impl;
  if (layout_.impl == SyncMapImpl::HashTrie) {
    s.root = root_;
    walk_trie(nullptr, &s, stats);
  } else {
    s.read = read_;
    s.read_map = read_map_;
    s.dirty_map = dirty_;
    s.amended = amended_;
    s.misses = misses_;
    walk_read_dirty_map(read_map_, nullptr, s.read_counts, stats);
    walk_read_dirty_map(dirty_, nullptr, s.dirty_counts, stats);
    s.live = amended_ && dirty_ ? s.dirty_counts.live : s.read_counts.live;
    if (!layout_.expunged)
      stats.warn("sync.expunged is unknown (no symbol): expunged entries count as live");
  }
  stats.finish();
  return s;
}

}  // namespace gomapdbg
