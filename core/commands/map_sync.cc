// `go map` of a sync.Map: the listing's header from the sync.Map's fields,
// its live entries as a map[any]any's, or its physical structure.
#include "commands/map_listing.h"
#include "errors.h"
#include "values/sync_map_value.h"

namespace gomapdbg {

void list_sync_map(Target& target, const GoValue& value, const MapOptions& options,
                   MapListingSink& sink, Output& out) {
  SyncMapBytes sync = *sync_map_of(target.memory(), *value.type, value.bytes.data());
  if (options.key) throw UsageError("--key does not apply to a sync.Map (its keys are `any`)");
  MapListing map{value, MapLayout{}, sync.address, target.binary().build_info().version};
  map.sync = binary_sync_map_layout(target.binary(), target.memory(), *sync.type);
  map.layout.key = map.layout.value = map.sync->any;
  auto walker =
      std::make_unique<SyncMap>(target.memory(), *map.sync, sync.bytes.data(), sync.address);
  map.sync_walker = walker.get();
  map.walker = std::move(walker);
  map.header = &map.walker->header();
  sink.header(map);
  if (!options.buckets)
    return list_entries(map, options.all ? UINT64_MAX : options.limit, sink, out);
  WalkStats stats;
  SyncMapStructure structure = map.sync_walker->structure(stats);
  sink.sync_structure(map, structure, stats);
}

}  // namespace gomapdbg
