// Runtime type descriptors by name, for a binary without DWARF. go1.19–
// go1.26: the types moduledata.typelinks lists (the unnamed pointer, array,
// chan, func, map, slice and struct types of the program, which reflect must
// find rather than build; cmd/compile reflectdata), the concrete types of
// the itabs moduledata.itablinks lists, and every type those lead to
// (elements, keys, values, fields), which is where named types appear.
// go1.27: every descriptor of the type descriptor region
// (type_descriptor_region.h). Built once per binary and bounded; a damaged
// entry is skipped.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "binary/module_data.h"
#include "types/runtime_types.h"

namespace gomapdbg {

class TypeLinks {
 public:
  TypeLinks(const ModuleData& module, RuntimeTypes& types, const Memory& memory);

  // The descriptor of the type Go spells `name` ("map[string]main.Item",
  // "[]main.Item"); spaces do not matter, `any` is `interface {}` and a
  // package may be given by its import path (DWARF's "encoding/json.field"
  // is the descriptor's "json.field").
  std::optional<uint64_t> find(const std::string& name) const;
  // How many distinct type names were found.
  size_t size() const { return by_name_.size(); }
  // What could not be read (a typelinks or itablinks array cut short).
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  void add_links(const ModuleData& module, RuntimeTypes& types, const Memory& memory,
                 std::vector<const GoType*>& roots);
  void add_itabs(const ModuleData& module, RuntimeTypes& types, const Memory& memory,
                 std::vector<const GoType*>& roots);
  void add_region(const ModuleData& module, RuntimeTypes& types, const Memory& memory,
                  std::vector<const GoType*>& roots);
  void index_reachable(std::vector<const GoType*> pending);

  std::unordered_map<std::string, uint64_t> by_name_;  // spelled as normalized_type_name
  std::vector<std::string> problems_;
};

// A type name with the spaces Go puts in it and import paths removed and
// `any` spelled `interface{}`, so that what the user types matches what Go
// wrote in the descriptor.
std::string normalized_type_name(const std::string& name);

}  // namespace gomapdbg
