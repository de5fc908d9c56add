#include "commands/map_listing.h"

#include "commands/map_key_lookup.h"
#include "errors.h"
#include "values/sync_map_value.h"
#include "values/value_renderer.h"

namespace gomapdbg {

namespace {

std::string impossible_fields(const MapHeader& header) {
  std::string text;
  for (const std::string& field : header.impossible) text += (text.empty() ? "" : ", ") + field;
  return text;
}

}  // namespace

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

void list_map(Target& target, const GoValue& value, const MapOptions& options, MapListingSink& sink,
              Output& out) {
  if (value.type && sync_map_of(target.memory(), *value.type, value.bytes.data()))
    return list_sync_map(target, value, options, sink, out);
  if (value.type->kind != GoKind::Map)
    throw UsageError(value.describe() + " is " + with_article(value.type->name) + ", not a map");
  MapListing map{value, map_layout(*value.type), load<uint64_t>(value.bytes.data()),
                 target.binary().build_info().version};
  if (options.key && map.layout.key) check_key_text(*options.key, *map.layout.key);
  if (!map.address) return sink.nil_map(map);
  map.walker = make_map_walker(target.memory(), map.layout, map.address);
  map.header = &map.walker->header();
  if (options.type && !map.header->impossible.empty())
    throw UsageError(hex(map.address) + " does not hold a " + value.type->name +
                     " header: " + impossible_fields(*map.header));
  sink.header(map);
  uint64_t limit = options.all ? UINT64_MAX : options.limit;
  if (!options.buckets && !options.key) return list_entries(map, limit, sink, out);
  BucketViewRequest physical{limit, options.key, std::nullopt, std::nullopt};
  physical.total = map.header->count;
  sink.begin_physical(map, physical);
  if (options.key) hash_integer_key(target, map.layout, map.address, *options.key, physical);
  // Shows the slots, and finds the key by its text.
  ValueRenderer text(target.memory(), &target.binary(), options.caps.applied_to({}));
  print_buckets(*map.walker, map.layout, text, physical, out);
}

}  // namespace gomapdbg
