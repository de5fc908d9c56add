// `go map EXPR [--limit N | --all] [--type T]`: the map's address, type,
// layout, header and entries.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "commands/output.h"
#include "target/target.h"
#include "target/variables.h"
#include "values/value_decoder.h"

namespace gomapdbg {

struct MapOptions {
  std::optional<std::string> type;
  uint64_t limit = 100;  // entries (or with `buckets`, buckets/groups) shown unless `all`
  bool all = false;
  bool buckets = false;            // the physical view instead of the entry list
  std::optional<std::string> key;  // the physical view of the bucket/group holding this key
  bool target_warnings = true;     // a truncated or mismatched core (go report says it once)
  ValueCaps caps;                  // of the keys and values shown
};

void map_command(Target& target, const std::string& expression, const MapOptions& options,
                 Output& out);
// The same for a map value `find` returns (errors it throws are explained
// like the command's own).
void map_value_command(Target& target, const std::function<GoValue()>& find,
                       const MapOptions& options, Output& out);

}  // namespace gomapdbg
