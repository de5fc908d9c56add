#include "arch/map_entry_arguments.h"

#include <array>

namespace gomapdbg {

namespace {

// Entry points taking (t *maptype, h *hmap / m *maps.Map, ...): classic
// runtime/map*.go (go1.19–1.25) and the swiss linknamed shims (go1.24–1.27).
constexpr std::array kTypeAndMapPrefixes = {
    "runtime.mapaccess", "runtime.mapassign",   "runtime.mapdelete",
    "runtime.mapclear",  "runtime.mapiterinit", "runtime.mapIterStart",
};

}  // namespace

std::optional<const char*> map_entry_form(const std::string& function) {
  for (const char* prefix : kTypeAndMapPrefixes)
    if (function.rfind(prefix, 0) == 0) return "t, h";
  // runtime.mapclone, linknamed as maps.clone (the name pclntab gives it).
  if (function == "runtime.mapclone" || function == "maps.clone") return "m any";
  return std::nullopt;
}

std::optional<MapEntryArguments> map_entry_arguments(const Architecture& arch,
                                                     const std::string& function) {
  auto form = map_entry_form(function);
  if (!form) return std::nullopt;
  const InstructionSet& set = instruction_set(arch);
  auto type = set.register_number(arch.map_type_argument);
  auto map = set.register_number(arch.map_argument);
  if (!type || !map) return std::nullopt;
  return MapEntryArguments{*type, *map, *form};
}

}  // namespace gomapdbg
