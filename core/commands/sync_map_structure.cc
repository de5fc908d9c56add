#include "commands/sync_map_structure.h"

#include "values/json_sink.h"

namespace gomapdbg {

namespace {

std::string n(uint64_t value) { return std::to_string(value); }

std::string counts_text(const SyncEntryCounts& c) {
  std::string text = n(c.slots) + " keys: " + n(c.live) + " live, " + n(c.deleted) + " deleted, " +
                     n(c.expunged) + " expunged";
  if (c.unreadable) text += ", " + n(c.unreadable) + " unreadable";
  return text;
}

// "1:5 2:3" of the non-zero counts, or "none".
template <typename Counts>
std::string histogram_text(const Counts& counts) {
  std::string text;
  for (size_t i = 0; i < counts.size(); ++i)
    if (counts[i]) text += (text.empty() ? "" : " ") + n(i) + ":" + n(counts[i]);
  return text.empty() ? "none" : text;
}

template <typename Counts>
std::string histogram_json(const Counts& counts) {
  std::string json = "{";
  for (size_t i = 0; i < counts.size(); ++i)
    if (counts[i]) json += (json.size() > 1 ? ", \"" : "\"") + n(i) + "\": " + n(counts[i]);
  return json + "}";
}

std::string counts_json(const SyncEntryCounts& c) {
  return "{\"keys\": " + n(c.slots) + ", \"live\": " + n(c.live) +
         ", \"deleted\": " + n(c.deleted) + ", \"expunged\": " + n(c.expunged) +
         ", \"unreadable\": " + n(c.unreadable) + "}";
}

}  // namespace

std::vector<std::string> sync_structure_lines(const SyncMapStructure& s) {
  if (s.impl == SyncMapImpl::ReadDirty)
    return {
        "structure: read/dirty maps (" + n(s.live) + " live entries, from the " +
            (s.amended && s.dirty_map ? "dirty" : "read") + " map)",
        "read map " + hex(s.read_map) + " (readOnly " + hex(s.read) +
            "): " + counts_text(s.read_counts),
        "dirty map " + hex(s.dirty_map) + ": " + counts_text(s.dirty_counts),
        std::string("amended: ") + (s.amended ? "true" : "false") +
            ", misses: " + std::to_string(s.misses),
    };
  return {
      "structure: hash trie (" + n(s.live) + " live entries)",
      "root " + hex(s.root) + ": " + n(s.indirects) + " indirect nodes (" + n(s.dead_indirects) +
          " dead), depth " + std::to_string(s.depth),
      "fan-out, nodes by children set: " + histogram_text(s.fanout),
      "entries by level: " + histogram_text(s.entries_by_level),
      "overflow chains by length: " + histogram_text(s.chains),
  };
}

std::string sync_structure_json(const SyncMapStructure& s) {
  std::string json = "\"physical\": \"sync\", \"structure\": {\"live\": " + n(s.live);
  if (s.impl == SyncMapImpl::ReadDirty)
    return json + ", \"implementation\": \"read-dirty\", \"read\": " + json_address(s.read) +
           ", \"read_map\": " + json_address(s.read_map) +
           ", \"dirty_map\": " + json_address(s.dirty_map) +
           ", \"amended\": " + (s.amended ? "true" : "false") +
           ", \"misses\": " + std::to_string(s.misses) +
           ", \"read_entries\": " + counts_json(s.read_counts) +
           ", \"dirty_entries\": " + counts_json(s.dirty_counts) + "}";
  return json + ", \"implementation\": \"hash-trie\", \"root\": " + json_address(s.root) +
         ", \"indirect_nodes\": " + n(s.indirects) +
         ", \"dead_indirect_nodes\": " + n(s.dead_indirects) +
         ", \"depth\": " + std::to_string(s.depth) + ", \"fanout\": " + histogram_json(s.fanout) +
         ", \"entries_by_level\": " + histogram_json(s.entries_by_level) +
         ", \"chains\": " + histogram_json(s.chains) + "}";
}

namespace {

std::string entry_text(uint64_t entry, SyncEntryState state) {
  if (state == SyncEntryState::Absent) return "absent";
  return "entry " + hex(entry) + " " + sync_entry_state_name(state);
}

std::string entry_json(uint64_t entry, SyncEntryState state) {
  return std::string("{\"entry\": ") +
         (state == SyncEntryState::Absent ? "null" : json_address(entry)) + ", \"state\": \"" +
         sync_entry_state_name(state) + "\"}";
}

std::string path_text(const std::vector<int>& path, const char* separator) {
  std::string text;
  for (size_t i = 0; i < path.size(); ++i) text += (i ? separator : "") + std::to_string(path[i]);
  return text;
}

}  // namespace

std::vector<std::string> sync_key_lines(const SyncMapLayout& layout, const SyncKeyPlace& p) {
  if (layout.impl == SyncMapImpl::ReadDirty)
    return {"read map: " + entry_text(p.read_entry, p.read_state) +
            "; dirty map: " + entry_text(p.dirty_entry, p.dirty_state)};
  if (p.state == SyncEntryState::Absent) return {"trie: no entry for it"};
  return {"trie: entry " + hex(p.entry) + " at level " + std::to_string(p.level) + " (children " +
          path_text(p.path, ".") + "), overflow chain position " + n(p.chain_position)};
}

std::string sync_key_json(const SyncMapLayout& layout, const SyncKeyPlace& p) {
  if (layout.impl == SyncMapImpl::ReadDirty)
    return "\"location\": {\"read\": " + entry_json(p.read_entry, p.read_state) +
           ", \"dirty\": " + entry_json(p.dirty_entry, p.dirty_state) + "}";
  if (p.state == SyncEntryState::Absent) return "\"location\": null";
  return "\"location\": {\"entry\": " + json_address(p.entry) +
         ", \"level\": " + std::to_string(p.level) + ", \"children\": [" + path_text(p.path, ", ") +
         "], \"chain_position\": " + n(p.chain_position) + "}";
}

}  // namespace gomapdbg
