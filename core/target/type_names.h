// Go type names the executable's DWARF knows, for completing --type.
#pragma once

#include <string>
#include <vector>

#include "target/target.h"

namespace gomapdbg {

// The Go types (those with a Go kind: not the linker's hash<K,V> and
// bucket structs) whose names start with `prefix`, as --type takes them;
// map types first, then the others, each sorted. With `maps_only`, only
// map types.
std::vector<std::string> type_names(Target& target, const std::string& prefix, bool maps_only);

}  // namespace gomapdbg
