// Builds GoType values from DWARF DIEs, once per DIE. Go marks its types
// with DW_AT_go_kind; the linker's synthesized map structs (hash<K,V>,
// bucket<K,V>, map<K,V>, table<K,V>, groups) have none and become structs.
#pragma once

#include <elfutils/libdw.h>

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "binary/dwarf_index.h"
#include "types/go_type.h"

namespace gomapdbg {

class TypeTable {
 public:
  explicit TypeTable(const DwarfIndex& index) : index_(index) {}

  const GoType* at(Dwarf_Off offset);
  // A type by its Go name as DWARF spells it ("map[string]int", "main.Point").
  const GoType* by_name(const std::string& name);

 private:
  void fill(GoType& type, Dwarf_Die die);
  void fill_typedef(GoType& type, Dwarf_Die& die, std::optional<GoKind> go_kind);
  void fill_array(GoType& type, Dwarf_Die& die);
  std::vector<GoField> struct_fields(Dwarf_Die& die);
  const GoType* ref(Dwarf_Die* die, unsigned attribute);

  const DwarfIndex& index_;
  std::unordered_map<Dwarf_Off, std::unique_ptr<GoType>> types_;
};

}  // namespace gomapdbg
