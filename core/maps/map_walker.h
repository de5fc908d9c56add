// Enumerates the live entries of a map from raw memory, in storage order.
// The visitor sees key and value bytes (indirect slots already followed) and
// returns false to stop early. Corrupt structures end a walk with a warning
// and whatever was found, never a hang: every loop is bounded.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "maps/map_layout.h"
#include "memory/memory.h"

namespace gomapdbg {

using EntryVisitor = std::function<bool(const uint8_t* key, const uint8_t* value)>;

struct HeaderField {
  std::string name;
  std::string value;
  bool address = false;  // a pointer into the heap (buckets, dirPtr), not a number or a seed
};

struct MapHeader {
  uint64_t address = 0;
  uint64_t count = 0;  // len(m) as the header says
  bool writing = false;
  std::vector<HeaderField> fields;
  // Fields holding values no runtime writes ("writing=227 (0 or 1)"): the
  // address does not hold a header of this map type.
  std::vector<std::string> impossible;
};

struct WalkStats {
  // A corrupt map can produce a warning per bucket, slot or directory entry
  // (millions): warn() keeps the first kMaxWarnings of those and counts the
  // rest. What a walk says once (counts, cuts) is pushed straight to
  // `warnings` and always kept.
  static constexpr size_t kMaxWarnings = 100;

  uint64_t entries = 0;
  bool stopped = false;  // the visitor asked to stop
  std::vector<std::string> warnings;
  uint64_t warnings_dropped = 0;

  void warn(std::string warning) {
    if (kept_ < kMaxWarnings) {
      warnings.push_back(std::move(warning));
      ++kept_;
    } else if (warnings_dropped++ == 0) {
      dropped_at_ = warnings.size();
    }
  }
  // Puts "N more warnings not shown" where the dropped ones would have been;
  // the walkers call it when a walk ends.
  void finish() {
    if (!warnings_dropped) return;
    warnings.insert(warnings.begin() + static_cast<std::ptrdiff_t>(dropped_at_),
                    std::to_string(warnings_dropped) + " more warnings not shown");
    warnings_dropped = 0;
  }

 private:
  size_t kept_ = 0, dropped_at_ = 0;
};

// The physical view: every classic bucket (with its overflow chain and
// evacuation state) or swiss table and group, visited in storage order.
struct BucketView {
  uint64_t address = 0;
  uint64_t index = 0;      // bucket index in its array, or group index in its table
  int chain_position = 0;  // classic: 0 for the head bucket, n for the n-th overflow
  bool old = false;        // classic: in oldbuckets (growth in progress)
  bool evacuated = false;  // classic: an old bucket already moved to the new array
  // classic: an old bucket chain the runtime is evacuating right now (some
  // slots marked evacuatedX/Y/Empty, some not): every entry is read here,
  // moved ones from their old copy.
  bool being_evacuated = false;
  // classic: a new bucket (chain) that so far holds only copies from the old
  // bucket being evacuated: its slots are not entries of the map.
  bool copies_only = false;
  uint64_t copies_of = 0;          // with copies_only: the old bucket's index
  uint64_t table = 0;              // swiss: the table's address (0 for a small map)
  uint8_t control[8] = {};         // tophash bytes (classic) or ctrl bytes (swiss)
  const uint8_t* bytes = nullptr;  // the raw bucket/group
  uint64_t next_overflow = 0;      // classic: the overflow pointer
};

// Whether a classic slot with this tophash holds an entry the walk reads
// from this bucket (see ClassicMap: a bucket being evacuated keeps its moved
// entries intact until its whole chain is done).
bool classic_slot_read(const BucketView& bucket, uint8_t tophash);

struct TableView {
  uint64_t address = 0;
  int64_t index = 0;               // first directory entry
  uint64_t directory_entries = 0;  // how many entries point to it
  uint16_t used = 0, capacity = 0, growth_left = 0;
  uint8_t local_depth = 0;
  uint64_t groups = 0, group_count = 0;
  // Non-zero: this table is being installed over that one (a table grow or
  // split in progress) and is not walked; its entries are copies.
  uint64_t replacing = 0;
  uint8_t replacing_depth = 0;
};

class PhysicalVisitor {
 public:
  virtual ~PhysicalVisitor() = default;
  virtual void table(const TableView&) {}
  // Returns false to stop the walk.
  virtual bool bucket(const BucketView& bucket) = 0;
};

class MapWalker {
 public:
  virtual ~MapWalker() = default;
  virtual const MapHeader& header() const = 0;
  WalkStats walk(const EntryVisitor& visit) {
    physical_ = nullptr;
    WalkStats stats = run(visit);
    stats.finish();
    return stats;
  }
  // Walks the structure; `visit` (optional) still sees every live entry.
  WalkStats walk_physical(PhysicalVisitor& physical, const EntryVisitor& visit) {
    physical_ = &physical;
    WalkStats stats = run(visit);
    physical_ = nullptr;
    stats.finish();
    return stats;
  }
  // Key and value bytes of a live slot of a bucket/group seen by a
  // PhysicalVisitor (indirect slots followed); false if unreadable.
  virtual bool slot(const BucketView& bucket, int slot, const uint8_t** key,
                    const uint8_t** value) = 0;

 protected:
  virtual WalkStats run(const EntryVisitor& visit) = 0;
  PhysicalVisitor* physical_ = nullptr;  // set during walk_physical
};

// Reads the header at `address` (non-zero); throws MemoryError if unreadable.
// The walker keeps a reference to `layout`: it must outlive the walker.
std::unique_ptr<MapWalker> make_map_walker(const Memory& memory, const MapLayout& layout,
                                           uint64_t address);
std::unique_ptr<MapWalker> make_map_walker(const Memory&, MapLayout&&, uint64_t) = delete;

// Shared by both walkers: the slot's key/value bytes, following indirection.
class SlotReader {
 public:
  SlotReader(const Memory& memory, const MapLayout& layout);
  // Returns false (with a warning) when an indirect pointer is unreadable.
  bool visit(const uint8_t* key, const uint8_t* value, const EntryVisitor& visitor,
             WalkStats& stats, bool& keep_going);
  // Resolves a slot's key and value without visiting it.
  bool resolve_slot(const uint8_t* key, const uint8_t* value, const uint8_t** key_out,
                    const uint8_t** value_out);

 private:
  const uint8_t* resolve(const uint8_t* slot, bool indirect, uint64_t size,
                         std::vector<uint8_t>& scratch, WalkStats& stats);
  const Memory& memory_;
  const MapLayout& layout_;
  std::vector<uint8_t> key_scratch_, value_scratch_;
};

}  // namespace gomapdbg
