#include "values/sync_map_value.h"

#include "errors.h"
#include "program/go_binary.h"
#include "values/value_decoder.h"

namespace gomapdbg {

SyncMapLayout binary_sync_map_layout(GoBinary& binary, const Memory& memory,
                                     const GoType& sync_map) {
  TypeByName named = [&](const std::string& name) -> const GoType* {
    try {
      return binary.type_by_name(name);
    } catch (const Error&) {
      return nullptr;
    }
  };
  SyncMapLayout layout = sync_map_layout(sync_map, named);
  if (layout.impl == SyncMapImpl::ReadDirty) {
    // var expunged = new(any): entries holding its value were deleted and
    // left out of the dirty map.
    if (auto symbol = binary.image().symbol("sync.expunged")) {
      uint64_t sentinel = 0;
      std::string why;
      if (memory.try_read(symbol->address, &sentinel, sizeof sentinel, why) && sentinel)
        layout.expunged = sentinel;
    }
  }
  return layout;
}

std::optional<SyncMapBytes> sync_map_of(const Memory& memory, const GoType& type,
                                        const uint8_t* bytes, uint64_t address) {
  if (is_sync_map_type(type)) return SyncMapBytes{&type, {bytes, bytes + type.size}, address};
  if (type.kind != GoKind::Pointer || !type.elem || !is_sync_map_type(*type.elem))
    return std::nullopt;
  uint64_t pointee = load<uint64_t>(bytes);
  if (!pointee) throw Error("nil *sync.Map");
  return SyncMapBytes{type.elem, memory.bytes(pointee, type.elem->size), pointee};
}

MapSample sample_sync_map(const Memory& memory, GoBinary& binary, const GoType& type,
                          const uint8_t* bytes, size_t max_entries) {
  SyncMapLayout layout = binary_sync_map_layout(binary, memory, type);
  SyncMap walker(memory, layout, bytes, 0);
  MapSample sample{layout.any, layout.any, walker.header().count, {}};
  if (max_entries == 0) return sample;
  walker.walk([&](const uint8_t* key, const uint8_t* value) {
    sample.entries.push_back(
        {std::vector<uint8_t>(key, key + 16), std::vector<uint8_t>(value, value + 16)});
    return sample.entries.size() < max_entries;
  });
  return sample;
}

void ValueDecoder::decode_sync_map(const GoType& type, const uint8_t* p, int depth) {
  MapSample sample;
  try {
    sample = sample_sync_map(memory_, *binary_, type, p, map_sample_size());
  } catch (const Error&) {
    // Not laid out or unreadable: its fields as they are.
    return decode_struct_fields(type, p, depth);
  }
  emit_map(type, 0, sample, depth);
}

}  // namespace gomapdbg
