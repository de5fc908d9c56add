#include "maps/classic_map.h"

#include <algorithm>
#include <cstring>

#include "errors.h"
#include "maps/runtime_constants.h"

namespace gomapdbg {

namespace {

std::string flag_names(uint8_t flags) {
  std::string out;
  auto add = [&](uint8_t bit, const char* name) {
    if (!(flags & bit)) return;
    if (!out.empty()) out += "|";
    out += name;
  };
  add(runtime::kFlagIterator, "iterator");
  add(runtime::kFlagOldIterator, "oldIterator");
  add(runtime::kFlagHashWriting, "hashWriting");
  add(runtime::kFlagSameSizeGrow, "sameSizeGrow");
  return hex(flags) + (out.empty() ? "" : " (" + out + ")");
}

constexpr size_t kChunkBytes = 4 << 20;
constexpr size_t kFirstChunkBytes = 64 << 10;

}  // namespace

ClassicMap::ClassicMap(const Memory& memory, const MapLayout& layout, uint64_t address)
    : memory_(memory), classic_(layout.classic), slots_(memory, layout) {
  std::vector<uint8_t> h = memory.bytes(address, classic_.header_size);
  header_.address = address;
  int64_t count = load<int64_t>(&h[classic_.count]);
  header_.count = count < 0 ? 0 : static_cast<uint64_t>(count);
  flags_ = h[classic_.flags];
  log2_buckets_ = h[classic_.log2_buckets];
  buckets_ = load<uint64_t>(&h[classic_.buckets]);
  oldbuckets_ = load<uint64_t>(&h[classic_.oldbuckets]);
  header_.writing = flags_ & runtime::kFlagHashWriting;
  auto& f = header_.fields;
  f.push_back({"count", std::to_string(count)});
  f.push_back({"flags", flag_names(flags_)});
  f.push_back({"B", std::to_string(log2_buckets_)});
  f.push_back({"noverflow", std::to_string(load<uint16_t>(&h[classic_.noverflow]))});
  f.push_back({"hash0", hex(load<uint32_t>(&h[classic_.hash0]))});
  f.push_back({"buckets", hex(buckets_), true});
  f.push_back({"oldbuckets", hex(oldbuckets_), true});
  f.push_back({"nevacuate", std::to_string(load<uint64_t>(&h[classic_.nevacuate]))});
  if (classic_.clear_seq)
    f.push_back({"clearSeq", std::to_string(load<uint64_t>(&h[*classic_.clear_seq]))});
  if (classic_.extra) f.push_back({"extra", hex(load<uint64_t>(&h[*classic_.extra])), true});
  find_impossible_fields(count);
}

void ClassicMap::find_impossible_fields(int64_t count) {
  auto& bad = header_.impossible;
  if (count < 0) bad.push_back("count=" + std::to_string(count) + " (negative)");
  if (header_.count > runtime::kMaxPossibleEntries)
    bad.push_back("count=" + std::to_string(count) + " (more than memory can hold)");
  if (flags_ & ~runtime::kAllClassicFlags)
    bad.push_back("flags=" + hex(flags_) + " (bits the runtime never sets)");
  if (log2_buckets_ >= runtime::kHashBits)
    bad.push_back("B=" + std::to_string(log2_buckets_) + " (under 64)");
}

bool ClassicMap::slot(const BucketView& bucket, int s, const uint8_t** key, const uint8_t** value) {
  return slots_.resolve_slot(bucket.bytes + classic_.keys + s * classic_.key_slot,
                             bucket.bytes + classic_.values + s * classic_.value_slot, key, value);
}

bool classic_slot_read(const BucketView& bucket, uint8_t top) {
  if (bucket.copies_only) return false;
  if (top >= runtime::kMinTopHash) return true;
  return bucket.being_evacuated && (top == runtime::kEvacuatedX || top == runtime::kEvacuatedY);
}

WalkStats ClassicMap::run(const EntryVisitor& visit) {
  WalkStats stats;
  seen_overflow_.clear();
  being_evacuated_.clear();
  heads_walked_ = 0;
  if (log2_buckets_ > kMaxLog2Buckets) {
    walk_absurd(visit, stats);
    return stats;
  }
  nbuckets_ = uint64_t{1} << log2_buckets_;
  stop_at_ = UINT64_MAX;
  if (!buckets_) {
    if (header_.count)
      stats.warnings.push_back("buckets is nil but count is " + std::to_string(header_.count));
    return stats;
  }
  if (oldbuckets_) find_evacuations_in_progress(stats);
  if (!walk_array(buckets_, nbuckets_, false, visit, stats)) return stats;
  if (oldbuckets_ && !walk_array(oldbuckets_, old_buckets_count(), true, visit, stats))
    return stats;
  if (stats.entries != header_.count)
    stats.warnings.push_back("found " + std::to_string(stats.entries) + " entries but count is " +
                             std::to_string(header_.count) +
                             (header_.writing ? " (the map was being written)" : ""));
  return stats;
}

// The bucket array may still be readable: its first buckets are walked
// (bounded by count, the first unreadable bucket and kMaxPartialBuckets),
// for what the map held, with a warning saying so.
void ClassicMap::walk_absurd(const EntryVisitor& visit, WalkStats& stats) {
  std::string absurd = "corrupt map header at " + hex(header_.address) +
                       ": B = " + std::to_string(log2_buckets_) + " is absurd (at most " +
                       std::to_string(kMaxLog2Buckets) + ")";
  if (!buckets_ || !header_.count) throw LayoutError(absurd);
  nbuckets_ = kMaxPartialBuckets;
  stop_at_ = header_.count;
  // Only the array's start is known; old buckets are not looked at.
  bool stopped = !walk_array(buckets_, nbuckets_, false, visit, stats);
  std::string why =
      stats.entries >= stop_at_ ? "count (" + std::to_string(header_.count) + ") entries were found"
      : stopped                 ? "the listing was cut"
      : heads_walked_ < nbuckets_ ? "unreadable memory"
                                  : "the cap of " + std::to_string(kMaxPartialBuckets) + " buckets";
  stats.warnings.insert(stats.warnings.begin(),
                        absurd + "; walked " + std::to_string(heads_walked_) +
                            " buckets from the start of the bucket array at " + hex(buckets_) +
                            " until " + why + " (entries past them, if any, are not shown)");
  if (stats.entries < header_.count && !stopped)
    stats.warnings.push_back("found " + std::to_string(stats.entries) + " entries but count is " +
                             std::to_string(header_.count));
}

// Evacuation (runtime evacuate, evacuate_fast32/64/str; go1.19–1.23 map*.go,
// 1.24/1.25 map*_noswiss.go) handles one old bucket chain at a time, slot by
// slot: it marks the old slot evacuatedX/Y (evacuatedEmpty if empty), then
// writes the destination tophash, key and elem. The old keys and elems stay
// intact until the whole chain is done (they are cleared afterwards, and only
// when the bucket holds pointers and no old iterator exists). Writers
// evacuate old bucket i before touching new bucket i (or i+newbit), so while
// old bucket i is being evacuated, its destination buckets hold nothing but
// copies of its entries. Hence: an old chain with some slots marked and some
// not is read whole (live and marked slots), and its destinations are
// skipped; a chain with every slot marked lives in the new array. One window
// is left: once the chain's last slot is marked and before its key and elem
// are copied, the chain reads as done and that one entry is missing (or its
// new slot holds a stale key).
void ClassicMap::find_evacuations_in_progress(WalkStats& stats) {
  WalkStats quiet;  // the walk of the old array warns about what is unreadable
  std::unordered_set<uint64_t> seen;
  bool all = for_each_bucket(oldbuckets_, old_buckets_count(), true, quiet, [&](BucketView& view) {
    if (evacuation(view.bytes, seen) == Evacuation::InProgress) being_evacuated_.insert(view.index);
    return being_evacuated_.size() < kMaxBucketsBeingEvacuated;
  });
  if (!all)
    stats.warnings.push_back("at least " + std::to_string(kMaxBucketsBeingEvacuated) +
                             " old buckets are half evacuated (the runtime evacuates one at a "
                             "time); the rest are taken as evacuated");
}

bool ClassicMap::slot_moved(uint8_t top) {
  return top >= runtime::kEvacuatedX && top <= runtime::kEvacuatedEmpty;
}

ClassicMap::Evacuation ClassicMap::evacuation(const uint8_t* head,
                                              std::unordered_set<uint64_t>& seen) const {
  if (!slot_moved(head[classic_.tophash])) return Evacuation::None;
  std::vector<uint8_t> overflow_bytes;
  const uint8_t* bucket = head;
  for (;;) {
    for (int s = 0; s < runtime::kSlotsPerBucket; ++s)
      if (!slot_moved(bucket[classic_.tophash + s])) return Evacuation::InProgress;
    // Cleared (a bucket with pointers) or the end of the chain: all moved.
    // `seen` spans every chain: one shared by two chains (corrupt) is read
    // once, which bounds the whole pass.
    uint64_t next = load<uint64_t>(bucket + classic_.overflow);
    if (!next || in_bucket_array(next) || !seen.insert(next).second ||
        seen.size() > kMaxOverflowBuckets)
      return Evacuation::Done;
    overflow_bytes.resize(classic_.bucket_size);
    if (memory_.read_prefix(next, overflow_bytes.data(), overflow_bytes.size()) <
        overflow_bytes.size())
      return Evacuation::Done;
    bucket = overflow_bytes.data();
  }
}

template <typename Fn>
bool ClassicMap::for_each_bucket(uint64_t array, uint64_t nbuckets, bool old, WalkStats& stats,
                                 Fn&& fn) {
  const uint64_t size = classic_.bucket_size;
  // Chunks grow from 64 KiB to 4 MiB: a corrupt B over unreadable memory
  // costs one small read, not a 4 MiB buffer.
  uint64_t per_chunk = std::max<uint64_t>(1, kFirstChunkBytes / size);
  std::vector<uint8_t> chunk;
  for (uint64_t first = 0; first < nbuckets; first += per_chunk,
                per_chunk = std::min(per_chunk * 2, std::max<uint64_t>(1, kChunkBytes / size))) {
    uint64_t n = std::min(per_chunk, nbuckets - first);
    chunk.resize(n * size);
    uint64_t at = array + first * size;
    size_t got = memory_.read_prefix(at, chunk.data(), chunk.size());
    if (got < chunk.size()) {
      stats.warn(std::string(old ? "old " : "") + "bucket array unreadable at " + hex(at + got) +
                 " (bucket " + std::to_string(first + got / size) + " of " +
                 std::to_string(nbuckets) + ")");
      n = got / size;
    }
    for (uint64_t i = 0; i < n; ++i) {
      BucketView view;
      view.bytes = &chunk[i * size];
      view.address = at + i * size;
      view.index = first + i;
      view.old = old;
      if (!fn(view)) return false;
    }
    if (n * size < chunk.size()) break;
  }
  return true;
}

bool ClassicMap::walk_array(uint64_t array, uint64_t nbuckets, bool old, const EntryVisitor& visit,
                            WalkStats& stats) {
  // (A partial walk has no usable B, so no old array either.)
  const uint64_t old_mask = partial() ? 0 : old_buckets_count() - 1;
  bool found_all = false;  // a partial walk found count entries
  bool finished = for_each_bucket(array, nbuckets, old, stats, [&](BucketView& view) {
    // A partial walk runs on past the array proper, into overflow buckets
    // allocated after it: those already walked in a chain are not heads.
    if (partial() && seen_overflow_.count(view.address)) {
      ++heads_walked_;
      return true;
    }
    if (old) {
      view.being_evacuated = being_evacuated_.count(view.index) > 0;
      // An evacuated old bucket's entries now live in the new array.
      view.evacuated = !view.being_evacuated && slot_moved(view.bytes[classic_.tophash]);
      if (view.evacuated) return !physical_ || physical_->bucket(fill_view(view));
    } else if (oldbuckets_ && !partial()) {
      view.copies_of = view.index & old_mask;
      view.copies_only = being_evacuated_.count(view.copies_of) > 0;
    }
    if (!walk_chain(view, visit, stats)) return false;
    ++heads_walked_;
    found_all = stats.entries >= stop_at_;
    return !found_all;
  });
  return finished || found_all;
}

// A chain pointing back into a bucket array's 2^B (or old) buckets would
// revisit a chain's head: a cycle. (Preallocated overflow buckets follow
// the array in the same allocation, so only the array proper counts.)
bool ClassicMap::in_bucket_array(uint64_t address) const {
  uint64_t size = classic_.bucket_size;
  auto inside = [&](uint64_t array, uint64_t count) {
    return array && address >= array && address - array < count * size;
  };
  if (partial()) return inside(buckets_, heads_walked_ + 1);  // B unknown: the heads walked so far
  return inside(buckets_, nbuckets_) || (oldbuckets_ && inside(oldbuckets_, old_buckets_count()));
}

uint64_t ClassicMap::old_buckets_count() const {
  bool same_size = flags_ & runtime::kFlagSameSizeGrow;
  unsigned old_log2 = same_size || log2_buckets_ == 0 ? log2_buckets_ : log2_buckets_ - 1u;
  return uint64_t{1} << old_log2;
}

const BucketView& ClassicMap::fill_view(BucketView& view) const {
  std::memcpy(view.control, view.bytes + classic_.tophash, sizeof view.control);
  view.next_overflow = load<uint64_t>(view.bytes + classic_.overflow);
  return view;
}

bool ClassicMap::walk_chain(BucketView view, const EntryVisitor& visit, WalkStats& stats) {
  std::vector<uint8_t> overflow_bytes;
  const uint8_t* bucket = view.bytes;
  for (;;) {
    if (physical_ && !physical_->bucket(fill_view(view))) return false;
    for (int s = 0; s < runtime::kSlotsPerBucket; ++s) {
      if (!classic_slot_read(view, bucket[classic_.tophash + s])) continue;
      bool keep_going = true;
      slots_.visit(bucket + classic_.keys + s * classic_.key_slot,
                   bucket + classic_.values + s * classic_.value_slot, visit, stats, keep_going);
      if (!keep_going) return false;
    }
    uint64_t next = load<uint64_t>(bucket + classic_.overflow);
    if (!next) return true;
    if (in_bucket_array(next) || !seen_overflow_.insert(next).second) {
      stats.warn("overflow chain revisits bucket " + hex(next) + " (a cycle); chain cut");
      return true;
    }
    if (seen_overflow_.size() > kMaxOverflowBuckets) {
      stats.warn("more than " + std::to_string(kMaxOverflowBuckets) +
                 " overflow buckets; walk cut");
      return true;
    }
    overflow_bytes.resize(classic_.bucket_size);
    if (memory_.read_prefix(next, overflow_bytes.data(), overflow_bytes.size()) <
        overflow_bytes.size()) {
      stats.warn("overflow bucket unreadable at " + hex(next));
      return true;
    }
    bucket = overflow_bytes.data();
    view.bytes = bucket;
    view.address = next;
    ++view.chain_position;
  }
}

}  // namespace gomapdbg
