#include "commands/map_buckets.h"

#include <algorithm>
#include <memory>

#include "commands/bucket_view.h"
#include "commands/bucket_view_json.h"
#include "commands/bucket_view_text.h"
#include "commands/map_key_lookup.h"

namespace gomapdbg {

namespace {

// Walks the structure once: hands the sink the first `limit` units (or only
// the one holding the key) and gathers the statistics.
class PhysicalListing : public PhysicalVisitor {
 public:
  PhysicalListing(MapWalker& walker, bool swiss, const BucketViewRequest& options,
                  const KeyLookup* lookup, BucketSink& sink, Output& out)
      : walker_(walker),
        swiss_(swiss),
        options_(options),
        lookup_(lookup),
        sink_(sink),
        out_(out),
        stats_(swiss) {}

  void table(const TableView& t) override {
    stats_.table(t);
    sink_.table(t, stats_.tables - 1, !lookup_ && shown_ < options_.limit);
  }

  bool bucket(const BucketView& b) override {
    UnitView u = decode_unit(walker_, b, swiss_);
    stats_.unit(u);
    for (int i = 0; i < u.live; ++i) {
      ++live_seen_;
      out_.tick(live_seen_, std::max(options_.total, live_seen_));
    }
    if (lookup_) {
      std::optional<int> slot = lookup_->find(u);
      if (!slot) return true;
      sink_.key_found(u, *slot);
      found_ = true;
      return false;
    }
    if (shown_ < options_.limit)
      sink_.unit(u, shown_++);
    else
      ++not_shown_;
    return true;
  }

  BucketOutcome finish(const WalkStats& walk) {
    out_.progress_done();
    stats_.finish();
    return BucketOutcome{stats_, walk, found_, shown_, not_shown_};
  }

 private:
  MapWalker& walker_;
  bool swiss_;
  const BucketViewRequest& options_;
  const KeyLookup* lookup_;
  BucketSink& sink_;
  Output& out_;
  BucketStats stats_;
  uint64_t live_seen_ = 0, shown_ = 0, not_shown_ = 0;
  bool found_ = false;
};

// The bucket (with its overflow chain, not the old array) or group a hash selects.
class HomeListing : public PhysicalVisitor {
 public:
  HomeListing(MapWalker& walker, bool swiss, const HashHome& home, BucketSink& sink)
      : walker_(walker), swiss_(swiss), home_(home), sink_(sink) {}
  bool bucket(const BucketView& b) override {
    if (b.old || b.index != home_.index || b.table != home_.table) return true;
    found_ = true;
    sink_.home_unit(decode_unit(walker_, b, swiss_));
    return true;
  }
  bool found() const { return found_; }

 private:
  MapWalker& walker_;
  bool swiss_;
  HashHome home_;
  BucketSink& sink_;
  bool found_ = false;
};

std::unique_ptr<BucketSink> make_sink(const MapLayout& layout, const ValueRenderer& renderer,
                                      const BucketViewRequest& options, const KeyLookup* lookup,
                                      Output& out) {
  if (options.json)
    return std::make_unique<BucketJson>(layout, *options.json, options.key, options.hash, out);
  std::optional<std::string> key;
  if (lookup) key = lookup->text();
  return std::make_unique<BucketText>(layout, renderer, key, options.hash, out);
}

}  // namespace

void print_buckets(MapWalker& walker, const MapLayout& layout, const ValueRenderer& renderer,
                   const BucketViewRequest& options, Output& out) {
  bool swiss = layout.family == MapFamily::Swiss;
  std::optional<KeyLookup> lookup;
  if (options.key) lookup.emplace(*options.key, *layout.key, renderer);
  const KeyLookup* key = lookup ? &*lookup : nullptr;
  std::unique_ptr<BucketSink> sink = make_sink(layout, renderer, options, key, out);
  PhysicalListing listing(walker, swiss, options, key, *sink, out);
  WalkStats walk = walker.walk_physical(listing, nullptr);
  BucketOutcome outcome = listing.finish(walk);
  sink->finish(outcome);
  if (options.key && !outcome.found && options.home && options.hash) {
    sink->begin_home(*options.home, *options.hash);
    HomeListing home(walker, swiss, *options.home, *sink);
    walker.walk_physical(home, nullptr);
    sink->end_home(*options.home, home.found());
  }
  sink->close(outcome);
}

}  // namespace gomapdbg
