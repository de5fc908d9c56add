// The physical view of a map as a model, built once while the walk goes
// (map_buckets.h drives it): each bucket or group with its slots classified,
// the tables, and statistics over all of them. Text and JSON render it
// (bucket_view_text.h, bucket_view_json.h).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "maps/hash_home.h"
#include "maps/map_walker.h"
#include "maps/runtime_constants.h"

namespace gomapdbg {

struct SlotView {
  enum class State {
    Live,    // an entry the map walk reads here
    Copy,    // classic: a copy of an entry the walk reads in the old bucket
    Marked,  // a marker control byte (emptyRest, evacuatedX, deleted, ...)
    Invalid  // a control byte no runtime writes
  };
  State state = State::Invalid;
  uint8_t control = 0;
  const char* marker = nullptr;  // Marked: the marker's name
  bool holds_entry() const { return state == State::Live || state == State::Copy; }
};

// A bucket of a chain (classic) or a group (swiss), its slots classified.
struct UnitView {
  const BucketView& bucket;
  bool swiss;
  std::array<SlotView, runtime::kSlotsPerBucket> slots;
  int live = 0, tombstones = 0;
  MapWalker& walker;

  // A slot's key and value, read when shown (an indirect slot's bytes stay
  // valid until the next read); false when unreadable.
  bool entry(int slot, const uint8_t** key, const uint8_t** value) const {
    return walker.slot(bucket, slot, key, value);
  }
};
UnitView decode_unit(MapWalker& walker, const BucketView& bucket, bool swiss);

// The statistics over every table and unit walked.
class BucketStats {
 public:
  explicit BucketStats(bool is_swiss) : swiss(is_swiss) {}
  void table(const TableView& t);
  void unit(const UnitView& u);
  // After the walk: counts the last classic chain.
  void finish();

  bool swiss;
  uint64_t tables = 0, installing = 0;  // swiss: tables walked, and skipped being installed
  uint64_t units = 0;                   // groups, or classic bucket chains and evacuated buckets
  uint64_t live = 0, tombstones = 0;
  uint64_t overflow = 0, evacuated = 0, old_seen = 0;  // classic buckets
  std::vector<uint64_t> being_evacuated;               // old bucket indices
  std::map<uint64_t, uint64_t> chains, fill;           // chain lengths, live slots per unit
  std::string picture;                                 // one character per unit (capped)

 private:
  void close_chain();
  void add_cell(char c);
  uint64_t chain_ = 0, chain_live_ = 0;  // the classic chain being walked
};

// What a listing found besides its units: for the summary and the ends.
struct BucketOutcome {
  const BucketStats& stats;
  const WalkStats& walk;
  bool found = false;  // with a key
  uint64_t shown = 0, not_shown = 0;
};

// Receives the physical view as the walk builds it.
class BucketSink {
 public:
  virtual ~BucketSink() = default;
  // `ordinal`: the table's among those not being installed; `listed`: it
  // falls in the listing (not past its limit, nor a key lookup).
  virtual void table(const TableView& t, uint64_t ordinal, bool listed) = 0;
  // The `shown`-th unit listed.
  virtual void unit(const UnitView& u, uint64_t shown) = 0;
  virtual void key_found(const UnitView& u, int slot) = 0;
  virtual void finish(const BucketOutcome& outcome) = 0;
  // An absent key: the units its hash selects, after begin_home.
  virtual void begin_home(const HashHome& home, uint64_t hash) = 0;
  virtual void home_unit(const UnitView& u) = 0;
  virtual void end_home(const HashHome& home, bool found) = 0;
  virtual void close(const BucketOutcome& outcome) = 0;
};

}  // namespace gomapdbg
