// What `go map` shows of one map, in either syntax: a header (expression,
// type, address, layout, header fields), then the entries in storage order
// or the physical view. list_map reads it once and hands it to a sink:
// text (map_command.h) or JSON (map_json.h).
#pragma once

#include <memory>
#include <string>

#include "commands/map_buckets.h"
#include "commands/map_command.h"
#include "commands/output.h"
#include "maps/map_layout.h"
#include "maps/map_walker.h"
#include "maps/sync_map.h"
#include "target/target.h"
#include "target/variables.h"

namespace gomapdbg {

struct MapListing {
  const GoValue& value;
  MapLayout layout;
  uint64_t address = 0;    // 0: a nil map, without walker
  std::string go_version;  // of the binary, when its build info says
  std::unique_ptr<MapWalker> walker;
  const MapHeader* header = nullptr;
  // A sync.Map: its layout (keys and values `any`) and walker (`walker` too).
  std::optional<SyncMapLayout> sync;
  SyncMap* sync_walker = nullptr;

  const char* layout_name() const {
    return sync ? sync_map_layout_name(sync->impl) : layout.name();
  }
};

class MapListingSink {
 public:
  virtual ~MapListingSink() = default;
  virtual void nil_map(const MapListing& map) = 0;
  // The header was read (an unreadable one throws before anything is written).
  virtual void header(const MapListing& map) = 0;
  // The physical view follows instead of the entries (JSON sets physical.json).
  virtual void begin_physical(const MapListing& map, BucketViewRequest& physical) = 0;
  virtual void begin_entries(const MapListing& map) = 0;
  // The `index`-th entry, in storage order.
  virtual void entry(const MapListing& map, const uint8_t* key, const uint8_t* value,
                     uint64_t index) = 0;
  virtual void end_entries(const MapListing& map, uint64_t shown, const WalkStats& stats) = 0;
  // A sync.Map's physical structure (--buckets), after its header.
  virtual void sync_structure(const MapListing& map, const SyncMapStructure& structure,
                              const WalkStats& stats) = 0;
  // Where the key `--key` names is in a sync.Map, after its header.
  virtual void sync_key(const MapListing& map, const std::string& key, const SyncKeyPlace& place,
                        const WalkStats& stats) = 0;
};

// Lists the map `value` holds as `options` ask; throws UsageError when it is
// not a map and Error when its header is unreadable.
void list_map(Target& target, const GoValue& value, const MapOptions& options, MapListingSink& sink,
              Output& out);
// The entries, up to `limit`, to the sink.
void list_entries(MapListing& map, uint64_t limit, MapListingSink& sink, Output& out);
// The same for a sync.Map (commands/map_sync.cc).
void list_sync_map(Target& target, const GoValue& value, const MapOptions& options,
                   MapListingSink& sink, Output& out);

}  // namespace gomapdbg
