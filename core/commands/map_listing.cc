#include "commands/map_listing.h"

#include "commands/map_key_lookup.h"
#include "errors.h"
#include "values/value_renderer.h"

namespace gomapdbg {

namespace {

void list_entries(MapListing& map, uint64_t limit, MapListingSink& sink, Output& out) {
  uint64_t shown = 0, count = map.header->count;
  sink.begin_entries(map);
  WalkStats stats = map.walker->walk([&](const uint8_t* key, const uint8_t* value) {
    if (shown == limit) return false;
    sink.entry(map, key, value, shown);
    ++shown;
    out.tick(shown, count);
    return true;
  });
  out.progress_done();
  sink.end_entries(map, shown, stats);
}

}  // namespace

void list_map(Target& target, const GoValue& value, const MapOptions& options, MapListingSink& sink,
              Output& out) {
  if (value.type->kind != GoKind::Map)
    throw UsageError(value.describe() + " is a " + value.type->name + ", not a map");
  MapListing map{value, map_layout(*value.type), load<uint64_t>(value.bytes.data()),
                 target.binary().build_info().version};
  if (!map.address) return sink.nil_map(map);
  map.walker = make_map_walker(target.memory(), map.layout, map.address);
  map.header = &map.walker->header();
  sink.header(map);
  uint64_t limit = options.all ? UINT64_MAX : options.limit;
  if (!options.buckets && !options.key) return list_entries(map, limit, sink, out);
  BucketViewRequest physical{limit, options.key, std::nullopt, std::nullopt};
  physical.total = map.header->count;
  sink.begin_physical(map, physical);
  if (options.key) hash_integer_key(target, map.layout, map.address, *options.key, physical);
  ValueRenderer text(target.memory(), &target.binary());  // finds the key by its text
  print_buckets(*map.walker, map.layout, text, physical, out);
}

}  // namespace gomapdbg
