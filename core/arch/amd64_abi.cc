#include "arch/amd64_abi.h"

namespace gomapdbg::amd64 {

namespace {

// Entry points taking (t *maptype, h *hmap / m *maps.Map, ...): classic
// runtime/map*.go (go1.19–1.25) and the swiss linknamed shims (go1.24–1.27).
constexpr std::array kTypeAndMapPrefixes = {
    "runtime.mapaccess", "runtime.mapassign",   "runtime.mapdelete",
    "runtime.mapclear",  "runtime.mapiterinit", "runtime.mapIterStart",
};

}  // namespace

std::optional<MapArgumentRegisters> map_entry_arguments(const std::string& function) {
  for (const char* prefix : kTypeAndMapPrefixes)
    if (function.rfind(prefix, 0) == 0) return MapArgumentRegisters{Gpr::Rax, Gpr::Rbx, "t, h"};
  // runtime.mapclone, linknamed as maps.clone (the name pclntab gives it).
  if (function == "runtime.mapclone" || function == "maps.clone")
    return MapArgumentRegisters{Gpr::Rax, Gpr::Rbx, "m any"};
  return std::nullopt;
}

}  // namespace gomapdbg::amd64
