#include "maps/swiss_map.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <unordered_map>

#include "errors.h"
#include "maps/runtime_constants.h"

namespace gomapdbg {

SwissMap::SwissMap(const Memory& memory, const MapLayout& layout, uint64_t address)
    : memory_(memory), swiss_(layout.swiss), slots_(memory, layout) {
  std::vector<uint8_t> h = memory.bytes(address, swiss_.header_size);
  header_.address = address;
  header_.count = load<uint64_t>(&h[swiss_.used]);
  dir_ptr_ = load<uint64_t>(&h[swiss_.dir_ptr]);
  dir_len_ = load<int64_t>(&h[swiss_.dir_len]);
  global_depth_ = h[swiss_.global_depth];
  uint8_t writing = h[swiss_.writing];
  header_.writing = writing != 0;
  auto& f = header_.fields;
  f.push_back({"used", std::to_string(header_.count)});
  f.push_back({"seed", hex(load<uint64_t>(&h[swiss_.seed]))});
  f.push_back({"dirPtr", hex(dir_ptr_), true});
  f.push_back({"dirLen", std::to_string(dir_len_)});
  f.push_back({"globalDepth", std::to_string(global_depth_)});
  f.push_back({"globalShift", std::to_string(h[swiss_.global_shift])});
  f.push_back({"writing", std::to_string(writing)});
  if (swiss_.tombstone_possible)
    f.push_back({"tombstonePossible", h[*swiss_.tombstone_possible] ? "true" : "false"});
  if (swiss_.clear_seq)
    f.push_back({"clearSeq", std::to_string(load<uint64_t>(&h[*swiss_.clear_seq]))});
  find_impossible_fields(h);
}

void SwissMap::find_impossible_fields(const std::vector<uint8_t>& h) {
  auto& bad = header_.impossible;
  if (header_.count > runtime::kMaxPossibleEntries)
    bad.push_back("used=" + std::to_string(header_.count) + " (more than memory can hold)");
  if (dir_len_ < 0) bad.push_back("dirLen=" + std::to_string(dir_len_) + " (negative)");
  if (global_depth_ > runtime::kHashBits)
    bad.push_back("globalDepth=" + std::to_string(global_depth_) + " (at most 64)");
  if (h[swiss_.global_shift] > runtime::kHashBits)
    bad.push_back("globalShift=" + std::to_string(h[swiss_.global_shift]) + " (at most 64)");
  if (h[swiss_.writing] > 1)
    bad.push_back("writing=" + std::to_string(h[swiss_.writing]) + " (0 or 1)");
  if (swiss_.tombstone_possible && h[*swiss_.tombstone_possible] > 1)
    bad.push_back("tombstonePossible=" + std::to_string(h[*swiss_.tombstone_possible]) +
                  " (0 or 1)");
}

bool SwissMap::slot(const BucketView& group, int s, const uint8_t** key, const uint8_t** value) {
  return slots_.resolve_slot(slot_key(group.bytes, s), slot_elem(group.bytes, s), key, value);
}

WalkStats SwissMap::run(const EntryVisitor& visit) {
  WalkStats stats;
  bad_entries_ = 0;
  if (!dir_ptr_) {
    if (header_.count)
      stats.warnings.push_back("dirPtr is nil but used is " + std::to_string(header_.count));
    return stats;
  }
  bool finished = dir_len_ == 0 ? walk_small_map(visit, stats) : walk_directory(visit, stats);
  if (!finished) return stats;
  if (stats.entries != header_.count)
    stats.warnings.push_back("found " + std::to_string(stats.entries) + " entries but used is " +
                             std::to_string(header_.count) +
                             (header_.writing ? " (the map was being written)" : ""));
  return stats;
}

// Small map: dirPtr is the one group.
bool SwissMap::walk_small_map(const EntryVisitor& visit, WalkStats& stats) {
  std::vector<uint8_t> group(swiss_.group_size);
  if (memory_.read_prefix(dir_ptr_, group.data(), group.size()) < group.size()) {
    stats.warnings.push_back("small map group unreadable at " + hex(dir_ptr_));
    return true;
  }
  return walk_groups(group.data(), dir_ptr_, 1, 0, visit, stats);
}

bool SwissMap::walk_directory(const EntryVisitor& visit, WalkStats& stats) {
  // An absurd dirLen over a readable directory: its entries are walked
  // from dirPtr until used entries are found (or unreadable memory, too
  // many bad entries, the cap), with a warning saying so.
  bool absurd = dir_len_ < 0 || dir_len_ > kMaxDirectoryLength;
  std::string absurd_text = "corrupt map header at " + hex(header_.address) +
                            ": dirLen = " + std::to_string(dir_len_) + " is absurd";
  if (absurd && !header_.count) throw LayoutError(absurd_text);
  int64_t dir_len = absurd ? kMaxPartialDirectory : dir_len_;
  if (!absurd && (global_depth_ >= 64 || dir_len_ != int64_t{1} << global_depth_))
    stats.warnings.push_back("dirLen " + std::to_string(dir_len_) + " does not match globalDepth " +
                             std::to_string(global_depth_));
  std::vector<uint64_t> dir = read_directory(dir_len);
  const auto readable = static_cast<int64_t>(dir.size());
  if (readable < dir_len && !absurd)
    stats.warnings.push_back("directory unreadable at " + hex(dir_ptr_ + readable * 8) +
                             " (entry " + std::to_string(readable) + " of " +
                             std::to_string(dir_len_) + ")");
  if (absurd && readable == 0) throw LayoutError(absurd_text);
  if (absurd) return walk_partial_directory(dir, dir_len, absurd_text, visit, stats);
  // All tables are collected first, to tell tables being installed (a
  // write in progress).
  std::vector<DirectoryTable> tables;
  scan_directory(dir, stats, [&](DirectoryTable&& t) {
    tables.push_back(std::move(t));
    return TableStep::Next;
  });
  find_installs_in_progress(tables);
  for (const DirectoryTable& t : tables)
    if (!walk_table(t, visit, stats)) return false;
  return true;
}

// Read in growing chunks: a corrupt dirLen over unreadable memory costs
// one small read, not a 64 MiB buffer.
std::vector<uint64_t> SwissMap::read_directory(int64_t dir_len) const {
  std::vector<uint64_t> dir;
  int64_t readable = 0;
  for (int64_t want = std::min<int64_t>(dir_len, 4096); readable < dir_len;
       want = std::min(dir_len, want * 2)) {
    dir.resize(static_cast<size_t>(want));
    size_t got =
        memory_.read_prefix(dir_ptr_ + readable * 8, &dir[readable], (dir.size() - readable) * 8);
    readable += static_cast<int64_t>(got / 8);
    if (readable < want) break;
  }
  dir.resize(static_cast<size_t>(readable));
  return dir;
}

// With an absurd dirLen each table is walked as it is found, to stop once
// `used` entries are; the warning says how far the walk went.
bool SwissMap::walk_partial_directory(const std::vector<uint64_t>& dir, int64_t dir_len,
                                      const std::string& absurd_text, const EntryVisitor& visit,
                                      WalkStats& stats) {
  DirectoryScan scan = scan_directory(dir, stats, [&](DirectoryTable&& t) {
    if (!walk_table(t, visit, stats)) return TableStep::VisitorStopped;
    return stats.entries >= header_.count ? TableStep::Enough : TableStep::Next;
  });
  if (scan.end == TableStep::VisitorStopped) return false;
  std::string why = scan.too_many_bad               ? "too many bad entries"
                    : scan.end == TableStep::Enough ? "used entries were found"
                    : static_cast<int64_t>(dir.size()) < dir_len
                        ? "unreadable memory"
                        : "the cap of " + std::to_string(kMaxPartialDirectory) + " entries";
  stats.warnings.insert(stats.warnings.begin(),
                        absurd_text + "; walked " + std::to_string(scan.scanned) +
                            " directory entries from dirPtr " + hex(dir_ptr_) + " until " + why +
                            " (entries past them, if any, are not shown)");
  return true;
}

// Tables in directory order, each read and checked once (a table spans
// consecutive entries), until `take` says stop or too many entries are bad.
SwissMap::DirectoryScan SwissMap::scan_directory(
    const std::vector<uint64_t>& dir, WalkStats& stats,
    const std::function<TableStep(DirectoryTable&&)>& take) {
  DirectoryScan scan;
  std::unordered_set<uint64_t> seen;
  const auto readable = static_cast<int64_t>(dir.size());
  for (int64_t i = 0; i < readable; i = scan.scanned) {
    scan.scanned = i + 1;
    if (bad_entries_ > kMaxBadDirectoryEntries) {
      stats.warnings.push_back(
          "more than " + std::to_string(kMaxBadDirectoryEntries) +
          " directory entries are nil or point to unreadable tables; walk cut at entry " +
          std::to_string(i) + " of " + std::to_string(dir_len_));
      scan.too_many_bad = true;
      scan.scanned = i;
      return scan;
    }
    uint64_t table = dir[i];
    if (!table) {
      ++bad_entries_;
      stats.warn("directory entry " + std::to_string(i) + " is nil");
      continue;
    }
    if (!seen.insert(table).second) continue;  // a table spanning several entries
    uint64_t span = 1;
    while (i + static_cast<int64_t>(span) < readable && dir[i + span] == table) ++span;
    scan.scanned = i + static_cast<int64_t>(span);
    DirectoryTable t{table, i, span};
    if (!read_table(t, stats)) continue;
    scan.end = take(std::move(t));
    if (scan.end != TableStep::Next) return scan;
  }
  return scan;
}

// A table with localDepth d nominally covers the aligned block of
// dirLen/2^d directory entries holding its first entry. Outside a write the
// blocks of the tables tile the directory. Two windows of a write break that
// (internal/runtime/maps map.go, table.go; go1.24–1.27): (*table).grow and
// (*Map).installTableSplit install a new table, or the two halves of a split
// one, entry by entry (replaceTable) over the block of the old table, which
// stays complete (everything is copied before installing) and is dropped
// only when the last entry is replaced. So taking tables from the largest
// block down and skipping any whose block a table already taken covers reads
// every entry once: the old table until it has left the directory.
void SwissMap::find_installs_in_progress(std::vector<DirectoryTable>& tables) const {
  unsigned log2_len = 0;
  while (log2_len < 63 && (int64_t{1} << (log2_len + 1)) <= dir_len_) ++log2_len;
  std::vector<size_t> order(tables.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  // A grown table doubles the capacity of the one it replaces: at equal
  // depth the smaller one is the old one.
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    auto rank = [&](size_t i) { return std::pair(tables[i].local_depth, tables[i].capacity); };
    return rank(a) < rank(b);
  });
  // Taken blocks: (log2 of the size, first entry) -> the table.
  std::unordered_map<uint64_t, const DirectoryTable*> taken;
  auto block_key = [](unsigned log2_size, uint64_t first) { return first << 6 | log2_size; };
  for (size_t i : order) {
    DirectoryTable& t = tables[i];
    if (t.local_depth > log2_len) continue;  // corrupt: walked, covering nothing
    unsigned log2_size = log2_len - t.local_depth;
    uint64_t first = static_cast<uint64_t>(t.first_entry);
    for (unsigned size = log2_size; size <= log2_len && !t.installing_over; ++size) {
      auto it = taken.find(block_key(size, first >> size << size));
      if (it != taken.end()) t.installing_over = it->second;
    }
    if (!t.installing_over) taken[block_key(log2_size, first >> log2_size << log2_size)] = &t;
  }
}

bool SwissMap::read_table(DirectoryTable& dt, WalkStats& stats) {
  const uint64_t table = dt.address;
  std::vector<uint8_t>& t = dt.header;
  t.resize(swiss_.table_size);
  if (memory_.read_prefix(table, t.data(), t.size()) < t.size()) {
    ++bad_entries_;
    stats.warn("table unreadable at " + hex(table));
    return false;
  }
  uint64_t mask = load<uint64_t>(&t[swiss_.table_groups_mask]);
  if (mask >= runtime::kMaxGroupsPerTable || ((mask + 1) & mask) != 0) {
    ++bad_entries_;
    stats.warn("table at " + hex(table) + " has an absurd group count (lengthMask " +
               std::to_string(mask) + "); skipped");
    return false;
  }
  dt.local_depth = t[swiss_.table_local_depth];
  dt.capacity = load<uint16_t>(&t[swiss_.table_capacity]);
  return true;
}

bool SwissMap::walk_table(const DirectoryTable& dt, const EntryVisitor& visit, WalkStats& stats) {
  const uint64_t table = dt.address;
  const std::vector<uint8_t>& t = dt.header;
  uint64_t data = load<uint64_t>(&t[swiss_.table_groups_data]);
  uint64_t mask = load<uint64_t>(&t[swiss_.table_groups_mask]);
  if (physical_) {
    TableView view{table,
                   dt.first_entry,
                   dt.span,
                   load<uint16_t>(&t[swiss_.table_used]),
                   load<uint16_t>(&t[swiss_.table_capacity]),
                   load<uint16_t>(&t[swiss_.table_growth_left]),
                   t[swiss_.table_local_depth],
                   data,
                   mask + 1};
    if (dt.installing_over) {
      view.replacing = dt.installing_over->address;
      view.replacing_depth = dt.installing_over->local_depth;
    }
    physical_->table(view);
  }
  if (dt.installing_over) return true;  // its entries are copies of the table it replaces
  std::vector<uint8_t> groups((mask + 1) * swiss_.group_size);
  size_t got = memory_.read_prefix(data, groups.data(), groups.size());
  if (got < groups.size())
    stats.warn("groups of table " + hex(table) + " unreadable at " + hex(data + got));
  return walk_groups(groups.data(), data, got / swiss_.group_size, table, visit, stats);
}

bool SwissMap::walk_groups(const uint8_t* groups, uint64_t address, uint64_t count, uint64_t table,
                           const EntryVisitor& visit, WalkStats& stats) {
  for (uint64_t g = 0; g < count; ++g) {
    const uint8_t* group = groups + g * swiss_.group_size;
    if (physical_) {
      BucketView view;
      view.bytes = group;
      view.address = address + g * swiss_.group_size;
      view.index = g;
      view.table = table;
      std::memcpy(view.control, group + swiss_.ctrl, sizeof view.control);
      if (!physical_->bucket(view)) return false;
    }
    for (int slot = 0; slot < runtime::kSlotsPerBucket; ++slot) {
      if (group[swiss_.ctrl + slot] & runtime::kCtrlEmpty) continue;  // empty or deleted
      bool keep_going = true;
      slots_.visit(slot_key(group, slot), slot_elem(group, slot), visit, stats, keep_going);
      if (!keep_going) return false;
    }
  }
  return true;
}

}  // namespace gomapdbg
