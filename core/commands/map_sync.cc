// `go map` of a sync.Map: the listing's header from the sync.Map's fields,
// its live entries as a map[any]any's, or its physical structure.
#include "commands/map_listing.h"
#include "errors.h"
#include "values/go_quote.h"
#include "values/sync_map_value.h"
#include "values/value_renderer.h"

namespace gomapdbg {

namespace {

// Whether a key's text (an interface's: string("k"), int(3), main.Point{...})
// is what the user wrote: the whole text, the dynamic value inside T(...)
// (3 finds int(3) or int64(3), whichever comes first), or an unquoted string.
bool key_text_matches(const std::string& text, const std::string& wanted,
                      const std::string& quoted) {
  if (text == wanted) return true;
  size_t open = text.find('(');
  if (open == std::string::npos || text.back() != ')') return false;
  std::string_view inner(text.data() + open + 1, text.size() - open - 2);
  return inner == wanted || (text.starts_with("string(") && inner == quoted);
}

}  // namespace

void list_sync_map(Target& target, const GoValue& value, const MapOptions& options,
                   MapListingSink& sink, Output& out) {
  SyncMapBytes sync = *sync_map_of(target.memory(), *value.type, value.bytes.data(), value.address);
  MapListing map{value, MapLayout{}, sync.address, target.binary().build_info().version};
  map.sync = binary_sync_map_layout(target.binary(), target.memory(), *sync.type);
  map.layout.key = map.layout.value = map.sync->any;
  auto walker =
      std::make_unique<SyncMap>(target.memory(), *map.sync, sync.bytes.data(), sync.address);
  map.sync_walker = walker.get();
  map.walker = std::move(walker);
  map.header = &map.walker->header();
  sink.header(map);
  if (options.key) {
    ValueRenderer text(target.memory(), &target.binary(), options.caps.applied_to({}));
    std::string quoted, key_text;
    append_go_quoted(quoted, *options.key);
    WalkStats stats;
    SyncKeyPlace place = map.sync_walker->find_key(
        [&](const uint8_t* key) {
          key_text.clear();
          text.render(key_text, *map.sync->any, key);
          return key_text_matches(key_text, *options.key, quoted);
        },
        stats);
    return sink.sync_key(map, *options.key, place, stats);
  }
  if (!options.buckets)
    return list_entries(map, options.all ? UINT64_MAX : options.limit, sink, out);
  WalkStats stats;
  SyncMapStructure structure = map.sync_walker->structure(stats);
  sink.sync_structure(map, structure, stats);
}

}  // namespace gomapdbg
