// Swiss-table maps (internal/runtime/maps.Map; go1.24+): an empty map, a
// small map (one group, dirLen == 0) or a directory of tables, each table an
// array of 8-slot groups with a control word. A table may fill several
// consecutive directory entries; each is walked once (reference §2.5), and a
// table a grow or split is still installing over an old one is skipped.
#pragma once

#include <functional>
#include <string>
#include <unordered_set>
#include <vector>

#include "maps/map_walker.h"

namespace gomapdbg {

class SwissMap : public MapWalker {
 public:
  // 2^23 directory entries (64 MiB, the largest single read) would mean
  // billions of entries: treat more as corrupt.
  static constexpr int64_t kMaxDirectoryLength = int64_t{1} << 23;
  // A real directory points only to tables on the heap: past this many nil
  // entries, unreadable tables or tables with an absurd size it is garbage, and the walk stops
  // instead of trying millions of pointers (each a failed read, slow in a debugger).
  static constexpr uint64_t kMaxBadDirectoryEntries = 64;
  // With an absurd dirLen, directory entries walked from dirPtr at most.
  static constexpr int64_t kMaxPartialDirectory = int64_t{1} << 16;

  SwissMap(const Memory& memory, const MapLayout& layout, uint64_t address);
  const MapHeader& header() const override { return header_; }
  bool slot(const BucketView& group, int slot, const uint8_t** key, const uint8_t** value) override;

 private:
  // Header fields no runtime writes (MapHeader::impossible); `h` the header bytes.
  void find_impossible_fields(const std::vector<uint8_t>& h);
  WalkStats run(const EntryVisitor& visit) override;
  // The walks of run(); false when the visitor stopped the walk.
  bool walk_small_map(const EntryVisitor& visit, WalkStats& stats);
  bool walk_directory(const EntryVisitor& visit, WalkStats& stats);
  bool walk_groups(const uint8_t* groups, uint64_t address, uint64_t count, uint64_t table,
                   const EntryVisitor& visit, WalkStats& stats);
  // Where slot `s`'s key and elem are in a group's bytes (interleaved or split).
  const uint8_t* slot_key(const uint8_t* group, int s) const {
    return group + swiss_.keys + s * swiss_.key_stride;
  }
  const uint8_t* slot_elem(const uint8_t* group, int s) const {
    return group + swiss_.elems + s * swiss_.elem_stride;
  }
  struct DirectoryTable {
    uint64_t address = 0;
    int64_t first_entry = 0;
    uint64_t span = 0;            // consecutive entries from first_entry
    std::vector<uint8_t> header;  // the table struct
    uint8_t local_depth = 0;
    uint16_t capacity = 0;
    // Set: this table is being installed over that one (skipped).
    const DirectoryTable* installing_over = nullptr;
  };
  // The first dir_len directory entries, or the readable ones.
  std::vector<uint64_t> read_directory(int64_t dir_len) const;
  bool walk_partial_directory(const std::vector<uint64_t>& dir, int64_t dir_len,
                              const std::string& absurd_text, const EntryVisitor& visit,
                              WalkStats& stats);
  // What a directory scan does after a table.
  enum class TableStep { Next, Enough, VisitorStopped };
  struct DirectoryScan {
    int64_t scanned = 0;  // directory entries looked at
    TableStep end = TableStep::Next;
    bool too_many_bad = false;  // cut at kMaxBadDirectoryEntries
  };
  DirectoryScan scan_directory(const std::vector<uint64_t>& dir, WalkStats& stats,
                               const std::function<TableStep(DirectoryTable&&)>& take);
  // Sets installing_over of the tables being installed over an old one.
  void find_installs_in_progress(std::vector<DirectoryTable>& tables) const;
  // Reads and checks a table's header; false (with a warning) if bad.
  bool read_table(DirectoryTable& table, WalkStats& stats);
  bool walk_table(const DirectoryTable& table, const EntryVisitor& visit, WalkStats& stats);

  const Memory& memory_;
  const SwissLayout& swiss_;
  MapHeader header_;
  uint64_t dir_ptr_ = 0;
  int64_t dir_len_ = 0;
  uint8_t global_depth_ = 0;
  uint64_t bad_entries_ = 0;  // nil entries, unreadable or absurd tables of this walk
  SlotReader slots_;
};

}  // namespace gomapdbg
