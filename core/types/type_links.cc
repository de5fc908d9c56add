#include "types/type_links.h"

#include <algorithm>
#include <cctype>
#include <unordered_set>

#include "abi/go_headers.h"
#include "types/type_descriptor_region.h"

namespace gomapdbg {

namespace {

// Bounds: no real binary comes near them; a damaged one stops there.
constexpr uint64_t kMaxLinks = 1'000'000;
constexpr size_t kMaxTypes = 2'000'000;

bool ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '/' ||
         c == '-' || static_cast<unsigned char>(c) >= 0x80;
}

// Reads `count` elements of `size` bytes at `data`, up to the first
// unreadable one; says so in `problems`.
std::vector<uint8_t> read_array(const Memory& memory, const StaticSlice& slice, uint64_t size,
                                const char* what, std::vector<std::string>& problems) {
  uint64_t count = std::min(slice.len, kMaxLinks);
  std::vector<uint8_t> raw(count * size);
  size_t got = raw.empty() ? 0 : memory.read_prefix(slice.data, raw.data(), raw.size());
  if (got < raw.size())
    problems.push_back(std::string("moduledata.") + what + " at " + hex(slice.data) + ": only " +
                       std::to_string(got / size) + " of " + std::to_string(slice.len) +
                       " entries are readable");
  raw.resize(got / size * size);
  return raw;
}

// "encoding/json/v2.field" -> "encoding/json.field": a module's major
// version element is not the package's name (that is the element before it).
std::string without_major_versions(const std::string& name) {
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    if (name[i] == '/' && i + 2 < name.size() && name[i + 1] == 'v' &&
        std::isdigit(static_cast<unsigned char>(name[i + 2]))) {
      size_t end = i + 2;
      while (end < name.size() && std::isdigit(static_cast<unsigned char>(name[end]))) ++end;
      if (end < name.size() && name[end] == '.') {
        i = end - 1;
        continue;
      }
    }
    out += name[i];
  }
  return out;
}

}  // namespace

std::string normalized_type_name(const std::string& raw) {
  std::string name = without_major_versions(raw);
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (std::isspace(static_cast<unsigned char>(c))) continue;
    if (c == '/') {  // an import path: Go spells the package by its name only
      while (!out.empty() && ident_char(out.back())) out.pop_back();
      continue;
    }
    bool word_start = i == 0 || !ident_char(name[i - 1]);
    if (word_start && name.compare(i, 3, "any") == 0 &&
        (i + 3 == name.size() || !ident_char(name[i + 3]))) {
      out += "interface{}";
      i += 2;
      continue;
    }
    out += c;
  }
  return out;
}

TypeLinks::TypeLinks(const ModuleData& module, RuntimeTypes& types, const Memory& memory) {
  std::vector<const GoType*> roots;
  if (module.typedesclen) {
    add_region(module, types, memory, roots);
  } else {
    add_links(module, types, memory, roots);
    add_itabs(module, types, memory, roots);
  }
  index_reachable(std::move(roots));
}

void TypeLinks::add_region(const ModuleData& module, RuntimeTypes& types, const Memory& memory,
                           std::vector<const GoType*>& roots) {
  TypeDescriptorRegion region =
      walk_type_descriptor_region(memory, module.types, module.typedesclen);
  if (!region.problem.empty()) problems_.push_back(region.problem);
  for (uint64_t at : region.descriptors) roots.push_back(types.decode(at, memory));
}

void TypeLinks::add_links(const ModuleData& module, RuntimeTypes& types, const Memory& memory,
                          std::vector<const GoType*>& roots) {
  std::vector<uint8_t> raw = read_array(memory, module.typelinks, 4, "typelinks", problems_);
  for (size_t i = 0; i + 4 <= raw.size(); i += 4) {
    int32_t offset = load<int32_t>(&raw[i]);
    if (offset <= 0 || module.types + offset >= module.etypes) continue;  // not a descriptor
    roots.push_back(types.decode(module.types + offset, memory));
  }
}

void TypeLinks::add_itabs(const ModuleData& module, RuntimeTypes& types, const Memory& memory,
                          std::vector<const GoType*>& roots) {
  std::vector<uint8_t> raw = read_array(memory, module.itablinks, 8, "itablinks", problems_);
  for (size_t i = 0; i + 8 <= raw.size(); i += 8) {
    uint64_t type = 0;
    if (memory.read_prefix(load<uint64_t>(&raw[i]) + kItabType, &type, 8) != 8) continue;
    if (type < module.types || type >= module.etypes) continue;
    roots.push_back(types.decode(type, memory));
  }
}

// Indexes every decoded type reachable from `pending` by name; of two
// types Go spells alike (local types of two functions) the first met wins.
void TypeLinks::index_reachable(std::vector<const GoType*> pending) {
  std::unordered_set<const GoType*> seen;
  std::reverse(pending.begin(), pending.end());
  while (!pending.empty() && seen.size() < kMaxTypes) {
    const GoType* t = pending.back();
    pending.pop_back();
    if (!t || !t->descriptor || t->kind == GoKind::Invalid || !seen.insert(t).second) continue;
    by_name_.emplace(normalized_type_name(t->name), t->descriptor);
    for (const GoField& f : t->fields) pending.push_back(f.type);
    pending.push_back(t->key);
    pending.push_back(t->elem);
  }
}

std::optional<uint64_t> TypeLinks::find(const std::string& name) const {
  auto it = by_name_.find(normalized_type_name(name));
  if (it == by_name_.end()) return std::nullopt;
  return it->second;
}

}  // namespace gomapdbg
