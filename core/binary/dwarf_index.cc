#include "binary/dwarf_index.h"

#include <dwarf.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string_view>

#include "elf/elf_image.h"
#include "errors.h"

namespace gomapdbg {

std::optional<uint64_t> die_udata(Dwarf_Die* die, unsigned attribute) {
  Dwarf_Attribute attr;
  Dwarf_Word value = 0;
  if (!dwarf_attr_integrate(die, attribute, &attr) || dwarf_formudata(&attr, &value) != 0)
    return std::nullopt;
  return value;
}

std::optional<Dwarf_Die> die_ref(Dwarf_Die* die, unsigned attribute) {
  Dwarf_Attribute attr;
  Dwarf_Die target;
  if (!dwarf_attr_integrate(die, attribute, &attr) || !dwarf_formref_die(&attr, &target))
    return std::nullopt;
  return target;
}

std::string go_type_name(std::string name) {
  static constexpr std::string_view kDot = "\u00b7";
  for (size_t at = name.find(kDot); at != std::string::npos; at = name.find(kDot, at)) {
    size_t end = at + kDot.size();
    while (end < name.size() && std::isdigit(static_cast<unsigned char>(name[end]))) ++end;
    if (end > at + kDot.size())
      name.erase(at, end - at);
    else
      at = end;
  }
  return name;
}

std::string die_name(Dwarf_Die* die) {
  const char* name = dwarf_diename(die);
  return name ? name : "";
}

DwarfIndex::DwarfIndex(const ElfFile& file) {
  dwarf_ = dwarf_begin_elf(file.elf(), DWARF_C_READ, nullptr);
  if (!dwarf_) return;
  Dwarf_CU* cu = nullptr;
  Dwarf_Half version = 0;
  uint8_t unit_type = 0;
  Dwarf_Die cudie, subdie;
  while (dwarf_get_units(dwarf_, cu, &cu, &version, &unit_type, &cudie, &subdie) == 0) {
    if (!version_) version_ = version;
    index_unit(cudie);
  }
  std::sort(functions_.begin(), functions_.end(),
            [](const FunctionRange& a, const FunctionRange& b) { return a.low < b.low; });
}

DwarfIndex::~DwarfIndex() {
  if (dwarf_) dwarf_end(dwarf_);
}

void DwarfIndex::index_unit(Dwarf_Die& cu) {
  Dwarf_Die child;
  if (dwarf_child(&cu, &child) != 0) return;
  do {
    const char* name = dwarf_diename(&child);
    if (!name) continue;
    Dwarf_Off off = dwarf_dieoffset(&child);
    switch (dwarf_tag(&child)) {
      case DW_TAG_variable:
        globals_.emplace(name, off);
        break;
      case DW_TAG_subprogram: {
        Dwarf_Addr low = 0, high = 0;
        if (dwarf_lowpc(&child, &low) == 0 && dwarf_highpc(&child, &high) == 0 && high > low)
          functions_.push_back({low, high, off});
        break;
      }
      case DW_TAG_base_type:
      case DW_TAG_structure_type:
      case DW_TAG_typedef:
      case DW_TAG_pointer_type:
      case DW_TAG_array_type:
      case DW_TAG_subroutine_type:
      case DW_TAG_unspecified_type: {
        types_.emplace(name, off);
        // Also by its Go spelling, for --type and map headers by name (the
        // first of two same-named local types wins).
        if (std::strstr(name, "\u00b7")) types_.emplace(go_type_name(name), off);
        Dwarf_Attribute attr;
        Dwarf_Addr runtime_offset = 0;
        if (dwarf_attr(&child, kDwAtGoRuntimeType, &attr) &&
            dwarf_formaddr(&attr, &runtime_offset) == 0 && runtime_offset) {
          runtime_types_.emplace(runtime_offset, off);
          runtime_offsets_.emplace(off, runtime_offset);
        }
        break;
      }
      default:
        break;
    }
  } while (dwarf_siblingof(&child, &child) == 0);
}

std::optional<Dwarf_Off> DwarfIndex::type(const std::string& name) const {
  auto it = types_.find(name);
  if (it == types_.end()) return std::nullopt;
  return it->second;
}

std::optional<Dwarf_Off> DwarfIndex::global(const std::string& name) const {
  auto it = globals_.find(name);
  if (it == globals_.end()) return std::nullopt;
  return it->second;
}

const std::vector<std::string>& DwarfIndex::sorted_global_names() const {
  std::call_once(sorted_global_names_once_, [this] {
    sorted_global_names_.reserve(globals_.size());
    for (const auto& entry : globals_) sorted_global_names_.push_back(entry.first);
    std::sort(sorted_global_names_.begin(), sorted_global_names_.end());
  });
  return sorted_global_names_;
}

std::optional<Dwarf_Off> DwarfIndex::function_at(uint64_t pc) const {
  auto it = std::upper_bound(functions_.begin(), functions_.end(), pc,
                             [](uint64_t v, const FunctionRange& f) { return v < f.low; });
  if (it == functions_.begin()) return std::nullopt;
  --it;
  if (pc >= it->high) return std::nullopt;
  return it->die;
}

std::optional<uint64_t> DwarfIndex::runtime_offset_of(Dwarf_Off type) const {
  auto it = runtime_offsets_.find(type);
  if (it == runtime_offsets_.end()) return std::nullopt;
  return it->second;
}

std::optional<Dwarf_Off> DwarfIndex::type_by_runtime_offset(uint64_t offset) const {
  auto it = runtime_types_.find(offset);
  if (it == runtime_types_.end()) return std::nullopt;
  return it->second;
}

Dwarf_Die DwarfIndex::die(Dwarf_Off offset) const {
  Dwarf_Die out;
  if (!dwarf_ || !dwarf_offdie(dwarf_, offset, &out))
    throw LayoutError("DWARF entry at offset " + std::to_string(offset) + " is unreadable");
  return out;
}

}  // namespace gomapdbg
