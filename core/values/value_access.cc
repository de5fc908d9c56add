#include "values/value_access.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "errors.h"
#include "maps/map_walker.h"
#include "program/go_binary.h"
#include "types/runtime_types.h"

namespace gomapdbg {

int64_t load_int(const uint8_t* p, size_t size) {
  uint64_t raw = load_uint(p, size);
  int shift = 64 - static_cast<int>(size * 8);
  return static_cast<int64_t>(raw << shift) >> shift;
}

bool is_empty_interface(const GoType& type) {
  // By shape, not name (a named `type Any interface{}` is empty too): an
  // eface's first word is `_type`, an iface's `tab` (runtime.eface and
  // runtime.iface in DWARF, go1.19–go1.26; RuntimeTypes gives decoded
  // interface types the same two fields).
  if (!type.fields.empty()) return type.fields[0].name == "_type";
  return type.name == "interface {}" || type.name == "any";
}

uint64_t interface_descriptor(const Memory& memory, const GoType& type, uint64_t first_word) {
  // eface's first word is the type; a non-empty interface's is an itab.
  return is_empty_interface(type) ? first_word : memory.u64(first_word + kItabType);
}

DynamicValue read_interface(const Memory& memory, GoBinary& binary, const GoType& type,
                            const uint8_t* p) {
  InterfaceWords words = load_interface(p);
  uint64_t descriptor = interface_descriptor(memory, type, words.first);
  const GoType* dynamic = binary.dynamic_type(descriptor, memory);
  if (!dynamic || dynamic->kind == GoKind::Invalid) throw MemoryError("unknown dynamic type");
  return read_dynamic_value(memory, dynamic,
                            binary.runtime_types().direct_iface(descriptor, memory), words.data);
}

DynamicValue read_dynamic_value(const Memory& memory, const GoType* type, bool direct,
                                uint64_t data) {
  if (type->size > kMaxDynamicValue)
    throw MemoryError("dynamic type " + type->name + " of absurd size " +
                      std::to_string(type->size));
  DynamicValue value{type, std::vector<uint8_t>(type->size)};
  if (value.bytes.empty()) return value;  // struct{}: nothing to copy, data() may be null
  if (direct) {
    std::memcpy(value.bytes.data(), &data, std::min<size_t>(8, value.bytes.size()));
  } else {
    memory.read(data, value.bytes.data(), value.bytes.size());
  }
  return value;
}

std::optional<ChanCounts> read_chan_counts(const Memory& memory, uint64_t hchan) {
  uint8_t counts[kHchanCountsSize];
  if (memory.read_prefix(hchan, counts, sizeof counts) != sizeof counts) return std::nullopt;
  return ChanCounts{load<uint64_t>(counts + kHchanQcount), load<uint64_t>(counts + kHchanDataqsiz)};
}

std::optional<uint64_t> read_func_pc(const Memory& memory, uint64_t funcval) {
  // A func value points to a funcval whose first word is the code pointer.
  uint64_t code = 0;
  if (memory.read_prefix(funcval, &code, 8) != 8) return std::nullopt;
  return code;
}

MapSample sample_map(const Memory& memory, const GoType& type, uint64_t address,
                     size_t max_entries) {
  if (!type.header) throw LayoutError("no layout");
  MapLayout layout = map_layout(type);
  auto walker = make_map_walker(memory, layout, address);
  MapSample sample{layout.key, layout.value, walker->header().count, {}};
  if (max_entries == 0) return sample;
  walker->walk([&](const uint8_t* key, const uint8_t* value) {
    sample.entries.push_back({std::vector<uint8_t>(key, key + layout.key->size),
                              std::vector<uint8_t>(value, value + layout.value->size)});
    return sample.entries.size() < max_entries;
  });
  return sample;
}

}  // namespace gomapdbg
