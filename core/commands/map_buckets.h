// The physical view of a map (`go map --buckets`, `go map --key K`): every
// bucket or group with its control bytes decoded and its slots, overflow
// chains and evacuation state, then a summary with load factor, histograms
// and a one-character-per-bucket occupancy picture. The walk builds a view
// model (bucket_view.h) that text or JSON renders.
#pragma once

#include <optional>
#include <string>

#include "commands/output.h"
#include "maps/hash_home.h"
#include "maps/map_walker.h"
#include "values/json_renderer.h"
#include "values/value_renderer.h"

namespace gomapdbg {

// What `--buckets` (and `--key`) asks to see, and what the key lookup found.
struct BucketViewRequest {
  uint64_t limit = 100;            // buckets/groups printed (the summary covers all)
  std::optional<std::string> key;  // print only the bucket/group holding this key
  // With `key`: its hash as the runtime computes it, if known (shown), and
  // where that hash leads: printed when the key is absent.
  std::optional<uint64_t> hash;
  std::optional<HashHome> home;
  uint64_t total = 0;  // live entries the header promises (for progress)
  // Set: JSON instead of text, rendered by `json` (see print_buckets).
  const JsonRenderer* json = nullptr;
};

// Text (bucket_view_text.h), or with `options.json` the rest of a JSON
// object whose header part the caller wrote (bucket_view_json.h). `renderer`
// renders text and finds the key.
void print_buckets(MapWalker& walker, const MapLayout& layout, const ValueRenderer& renderer,
                   const BucketViewRequest& options, Output& out);

}  // namespace gomapdbg
