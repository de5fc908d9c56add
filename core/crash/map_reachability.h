// Whether a value leads to a given map: a bounded walk through pointers,
// struct fields, array and slice elements, interface values and map entries,
// from a frame's variable (receiver `s` → `s.items`) or a global
// (`main.registry["sessions"].(map[string]int)`). Holding a pointer that
// reaches the map is half the evidence that a frame accesses it; the other
// half is code that accesses maps of its type (see competing_accessors.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "target/target.h"
#include "target/variables.h"

namespace gomapdbg {

struct ReachLimits {
  int max_hops = 4;               // pointers, interfaces, slices and map entries followed
  size_t max_nodes = 4096;        // values visited in all
  size_t max_elements = 16;       // of each array or slice
  size_t max_map_entries = 64;    // of each map on the way
  uint64_t max_read = 64 * 1024;  // bytes of one pointee or slice read
};

// The Go path from `root` (named by its origin) to a map value whose header
// is at `map_address`, or nullopt when none is found within the limits.
std::optional<std::string> path_to_map(Target& target, const GoValue& root, uint64_t map_address,
                                       const ReachLimits& limits = {});

struct ReachedMap {
  uint64_t header = 0;
  const GoType* type = nullptr;
  std::string path;
};
// Every non-nil map of type `type_name` that `root` leads to, each once.
std::vector<ReachedMap> maps_reached(Target& target, const GoValue& root,
                                     const std::string& type_name, const ReachLimits& limits = {});

// The same over any memory; `binary` (may be null: interfaces are then not
// followed) gives dynamic types and renders map keys in paths.
std::optional<std::string> path_to_map(const Memory& memory, GoBinary* binary, const GoValue& root,
                                       uint64_t map_address, const ReachLimits& limits = {});
std::vector<ReachedMap> maps_reached(const Memory& memory, GoBinary* binary, const GoValue& root,
                                     const std::string& type_name, const ReachLimits& limits = {});

}  // namespace gomapdbg
