// Classic hash maps (runtime.hmap; go1.19–1.23, and 1.24/1.25 with
// GOEXPERIMENT=noswissmap): 2^B buckets of 8 slots with overflow chains, and
// while growing an old bucket array whose un-evacuated buckets still hold
// entries (each live entry is in exactly one place; reference §1.6), except
// inside evacuate, where the chain being moved and its destinations both
// hold some: the walk reads that chain, not the copies (classic_map.cc).
#pragma once

#include <unordered_set>

#include "maps/map_walker.h"

namespace gomapdbg {

class ClassicMap : public MapWalker {
 public:
  // Above this B the bucket array would not fit any address space we read.
  static constexpr unsigned kMaxLog2Buckets = 34;
  static constexpr uint64_t kMaxOverflowBuckets = uint64_t{1} << 26;
  // The runtime evacuates one old bucket at a time; more than this many
  // half-evacuated ones means the old array is garbage.
  static constexpr size_t kMaxBucketsBeingEvacuated = 64;
  // With an absurd B, buckets walked from the array's start at most.
  static constexpr uint64_t kMaxPartialBuckets = uint64_t{1} << 16;

  ClassicMap(const Memory& memory, const MapLayout& layout, uint64_t address);
  const MapHeader& header() const override { return header_; }
  bool slot(const BucketView& bucket, int slot, const uint8_t** key,
            const uint8_t** value) override;

 private:
  // Header fields no runtime writes (MapHeader::impossible).
  void find_impossible_fields(int64_t count);
  enum class Evacuation { None, InProgress, Done };

  // Walks one bucket array; returns false when the visitor stopped.
  bool walk_array(uint64_t array, uint64_t nbuckets, bool old, const EntryVisitor& visit,
                  WalkStats& stats);
  // Calls fn(BucketView&) for each readable bucket of an array, in order,
  // until it returns false.
  template <typename Fn>
  bool for_each_bucket(uint64_t array, uint64_t nbuckets, bool old, WalkStats& stats, Fn&& fn);
  void find_evacuations_in_progress(WalkStats& stats);
  Evacuation evacuation(const uint8_t* old_head, std::unordered_set<uint64_t>& seen) const;
  static bool slot_moved(uint8_t tophash);
  WalkStats run(const EntryVisitor& visit) override;
  // B is absurd: the partial walk from the start of the bucket array.
  void walk_absurd(const EntryVisitor& visit, WalkStats& stats);
  bool walk_chain(BucketView head, const EntryVisitor& visit, WalkStats& stats);
  const BucketView& fill_view(BucketView& view) const;
  bool in_bucket_array(uint64_t address) const;
  bool partial() const { return stop_at_ != UINT64_MAX; }
  uint64_t old_buckets_count() const;

  const Memory& memory_;
  const ClassicLayout& classic_;
  MapHeader header_;
  uint8_t flags_ = 0, log2_buckets_ = 0;
  uint64_t buckets_ = 0, oldbuckets_ = 0;
  uint64_t nbuckets_ = 0;          // buckets walked in the array: 2^B, or the partial cap
  uint64_t stop_at_ = UINT64_MAX;  // a partial walk ends once it found this many entries
  uint64_t heads_walked_ = 0;      // bucket chains walked in the array
  std::unordered_set<uint64_t> seen_overflow_;
  std::unordered_set<uint64_t> being_evacuated_;  // old bucket indices
  SlotReader slots_;
};

}  // namespace gomapdbg
