#include "target/type_names.h"

#include <algorithm>

#include "binary/dwarf_index.h"
#include "program/go_binary.h"
#include "types/go_type.h"

namespace gomapdbg {

std::vector<std::string> type_names(Target& target, const std::string& prefix, bool maps_only) {
  const DwarfIndex& dwarf = target.binary().dwarf();
  std::vector<std::string> maps, others;
  if (!dwarf.present()) return maps;
  for (const auto& [name, offset] : dwarf.types()) {
    // "·": DWARF's spelling of a local type, also indexed by its Go name.
    if (name.compare(0, prefix.size(), prefix) != 0 || name.find("\u00b7") != std::string::npos)
      continue;
    Dwarf_Die die = dwarf.die(offset);
    auto kind = die_udata(&die, kDwAtGoKind);
    if (!kind || (*kind & 0x1f) == 0) continue;  // the linker's synthesized structs
    bool is_map = static_cast<GoKind>(*kind & 0x1f) == GoKind::Map;
    if (is_map || !maps_only) (is_map ? maps : others).push_back(name);
  }
  std::sort(maps.begin(), maps.end());
  std::sort(others.begin(), others.end());
  maps.insert(maps.end(), others.begin(), others.end());
  return maps;
}

}  // namespace gomapdbg
