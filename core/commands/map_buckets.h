// The physical view of a map (`go map --buckets`, `go map --key K`): every
// bucket or group with its control bytes decoded and its slots, overflow
// chains and evacuation state, then a summary with load factor, histograms
// and a one-character-per-bucket occupancy picture.
#pragma once

#include <optional>
#include <string>

#include "commands/output.h"
#include "maps/hash_home.h"
#include "maps/map_walker.h"
#include "values/value_renderer.h"

namespace gomapdbg {

struct BucketListing {
  uint64_t limit = 100;            // buckets/groups printed (the summary covers all)
  std::optional<std::string> key;  // print only the bucket/group holding this key
  // With `key`: its hash as the runtime computes it, if known (shown), and
  // where that hash leads: printed when the key is absent.
  std::optional<uint64_t> hash;
  std::optional<HashHome> home;
};

void print_buckets(MapWalker& walker, const MapLayout& layout, const ValueRenderer& renderer,
                   const BucketListing& options, Output& out);

}  // namespace gomapdbg
