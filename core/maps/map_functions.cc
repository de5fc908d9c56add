#include "maps/map_functions.h"

#include <array>
#include <cstring>

namespace gomapdbg {

namespace {

struct Pattern {
  const char* prefix;  // a function name, or a prefix ending in '_' or '.'
  MapAccess access;
};

// Classic maps: runtime.map* (go1.19–1.25, runtime/map*.go). Swiss maps:
// the same runtime.map* symbols (linknamed from internal/runtime/maps) plus
// the methods of internal/runtime/maps (go1.24–1.27).
constexpr std::array kPatterns = {
    Pattern{"runtime.mapassign", MapAccess::Write},
    Pattern{"runtime.mapdelete", MapAccess::Write},
    Pattern{"runtime.mapclear", MapAccess::Write},
    Pattern{"runtime.growWork", MapAccess::Write},
    Pattern{"runtime.evacuate", MapAccess::Write},
    Pattern{"runtime.hashGrow", MapAccess::Write},
    Pattern{"runtime.mapaccess", MapAccess::Read},
    Pattern{"runtime.copyKeys", MapAccess::Read},
    Pattern{"runtime.copyValues", MapAccess::Read},
    Pattern{"runtime.mapiterinit", MapAccess::Iterate},
    Pattern{"runtime.mapiternext", MapAccess::Iterate},
    Pattern{"runtime.mapIterStart", MapAccess::Iterate},
    Pattern{"runtime.mapIterNext", MapAccess::Iterate},
    Pattern{"runtime.mapclone", MapAccess::Clone},
    // runtime.mapclone's code is named maps.clone (//go:linkname mapclone
    // maps.clone, go1.21+): what a binary's pclntab lists.
    Pattern{"maps.clone", MapAccess::Clone},
    Pattern{"internal/runtime/maps.(*Map).PutSlot", MapAccess::Write},
    Pattern{"internal/runtime/maps.(*Map).putSlotSmall", MapAccess::Write},
    Pattern{"internal/runtime/maps.(*Map).Delete", MapAccess::Write},
    Pattern{"internal/runtime/maps.(*Map).deleteSmall", MapAccess::Write},
    Pattern{"internal/runtime/maps.(*Map).Clear", MapAccess::Write},
    Pattern{"internal/runtime/maps.(*Map).clearSmall", MapAccess::Write},
    Pattern{"internal/runtime/maps.(*Map).growToSmall", MapAccess::Write},
    Pattern{"internal/runtime/maps.(*Map).growToTable", MapAccess::Write},
    Pattern{"internal/runtime/maps.(*Map).installTableSplit", MapAccess::Write},
    Pattern{"internal/runtime/maps.(*table).", MapAccess::Write},
    Pattern{"internal/runtime/maps.(*Map).getWithKey", MapAccess::Read},
    Pattern{"internal/runtime/maps.(*Map).getWithoutKey", MapAccess::Read},
    Pattern{"internal/runtime/maps.(*Map).Get", MapAccess::Read},
    Pattern{"internal/runtime/maps.(*Iter).", MapAccess::Iterate},
    Pattern{"internal/runtime/maps.(*Map).Clone", MapAccess::Clone},
};

constexpr std::array kMapFatals = {
    "concurrent map writes",
    "concurrent map read and map write",
    "concurrent map iteration and map write",
    "concurrent map clone and map write",
    "small map with no empty slot (concurrent map writes?)",  // go1.24–go1.26
};

constexpr std::array kFatalPathFunctions = {
    "runtime.fatal",
    "runtime.throw",
    "runtime.fatalthrow",
    "runtime.fatalpanic",
};

constexpr std::array kFatalMessageFunctions = {"runtime.fatal", "runtime.throw"};

// Swiss maps' fatal (linknamed to runtime.maps_fatal, which calls runtime.fatal).
constexpr const char* kSwissMapsFatal = "internal/runtime/maps.fatal";

}  // namespace

std::span<const char* const> fatal_path_functions() { return kFatalPathFunctions; }

std::span<const char* const> fatal_message_functions() { return kFatalMessageFunctions; }

bool is_fatal_function(const std::string& function) {
  for (const char* name : kFatalPathFunctions)
    if (function == name) return true;
  return function == kSwissMapsFatal;
}

const char* access_name(MapAccess access) {
  switch (access) {
    case MapAccess::Write:
      return "write";
    case MapAccess::Read:
      return "read";
    case MapAccess::Iterate:
      return "iteration";
    case MapAccess::Clone:
      return "clone";
  }
  return "?";
}

std::optional<MapAccess> map_access(const std::string& function) {
  // Table-internal helpers of reads (e.g. (*table).getWithKey) are reads.
  if (function.find("maps.(*table).get") != std::string::npos) return MapAccess::Read;
  for (const Pattern& p : kPatterns)
    if (function.rfind(p.prefix, 0) == 0) return p.access;
  return std::nullopt;
}

const char* fatal_message_for(MapAccess access) {
  switch (access) {
    case MapAccess::Write:
      return kMapFatals[0];
    case MapAccess::Read:
      return kMapFatals[1];
    case MapAccess::Iterate:
      return kMapFatals[2];
    case MapAccess::Clone:
      return kMapFatals[3];
  }
  return "";
}

bool is_map_fatal(const std::string& message) {
  for (const char* m : kMapFatals)
    if (message == m) return true;
  return false;
}

}  // namespace gomapdbg
