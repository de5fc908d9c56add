#include "maps/map_header_types.h"

#include "errors.h"
#include "maps/runtime_constants.h"

namespace gomapdbg {

namespace {

using runtime::kSlotsOffset;
constexpr uint64_t kSlots = runtime::kSlotsPerBucket;

}  // namespace

const GoType* MapHeaderTypes::build(const GoType& map, uint64_t descriptor, const Memory& memory) {
  if (!family_)
    throw LayoutError(
        "cannot tell whether the binary has classic or swiss maps (no DWARF, no map functions "
        "in pclntab, no Go version)");
  map_header_tables(version_, *family_);  // a version without a row says so first
  if (!map.key || !map.elem)
    throw LayoutError("the map type descriptor at " + hex(descriptor) +
                      " has no readable key or elem type");
  MapTypeDescriptor d = read_map_type_descriptor(memory, descriptor, *family_, version_);
  check_map_type_descriptor(d, *map.key, *map.elem);
  return build(d, *map.key, *map.elem);
}

const GoType* MapHeaderTypes::build(const MapTypeDescriptor& d, const GoType& key,
                                    const GoType& value) {
  const MapHeaderTables& tables = map_header_tables(version_, d.family);
  if (d.family == MapFamily::Classic) return classic(tables, d, key, value);
  return swiss(tables, d, key, value);
}

MapLayout classic_map_layout(GoVersion version, const GoType& key, const GoType& value) {
  MapHeaderTypes headers(version, MapFamily::Classic);
  GoType map;
  map.name = "map[" + key.name + "]" + value.name;
  map.kind = GoKind::Map;
  map.key = &key;
  map.elem = &value;
  map.header = headers.build(classic_bucket_shape(key, value), key, value);
  return map_layout(map);
}

const GoType* MapHeaderTypes::classic(const MapHeaderTables& tables, const MapTypeDescriptor& d,
                                      const GoType& key, const GoType& value) {
  std::string args = "<" + key.name + "," + value.name + ">";
  GoType& bucket = make("bucket" + args, GoKind::Struct, d.bucket_size);
  uint64_t values = kSlotsOffset + kSlots * d.key_slot;
  bucket.fields = {
      {"tophash", 0, array(scalar("uint8", GoKind::Uint8, 1), kSlots)},
      {"keys", kSlotsOffset, array(slot(key, d.indirect_key), kSlots)},
      {"values", values, array(slot(value, d.indirect_value), kSlots)},
      {"overflow", d.bucket_size - runtime::kOverflowPointerSize, pointer(&bucket)},
  };
  Targets targets;
  targets.bucket_array = pointer(&bucket);
  return from_table(tables.header, "hash" + args, targets);
}

const GoType* MapHeaderTypes::swiss(const MapHeaderTables& tables, const MapTypeDescriptor& d,
                                    const GoType& key, const GoType& value) {
  GoType& group =
      make("noalg.map.group[" + key.name + "]" + value.name, GoKind::Struct, d.group_size);
  const GoType* key_slot = slot(key, d.indirect_key);
  const GoType* value_slot = slot(value, d.indirect_value);
  const GoType* ctrl = scalar("uint64", GoKind::Uint64, 8);
  if (d.split_groups) {
    group.fields = {{"ctrl", 0, ctrl},
                    {"keys", d.keys_offset, array(key_slot, kSlots)},
                    {"elems", d.elems_offset, array(value_slot, kSlots)}};
  } else {
    GoType& entry =
        make("noalg.struct { key " + key_slot->name + "; elem " + value_slot->name + " }",
             GoKind::Struct, d.key_stride);
    entry.fields = {{"key", 0, key_slot}, {"elem", d.elems_offset - d.keys_offset, value_slot}};
    group.fields = {{"ctrl", 0, ctrl}, {"slots", d.keys_offset, array(&entry, kSlots)}};
  }
  std::string args = "<" + key.name + "," + value.name + ">";
  Targets targets;
  targets.group_array = pointer(&group);
  targets.groups = from_table(tables.groups, "groupReference" + args, targets);
  const GoType* table = from_table(tables.table, "table" + args, targets);
  targets.directory = pointer(pointer(table));
  return from_table(tables.header, "map" + args, targets);
}

const GoType* MapHeaderTypes::from_table(const RuntimeStruct& table, std::string name,
                                         const Targets& targets) {
  GoType& out = make(std::move(name), GoKind::Struct, table.size);
  for (const RuntimeField& f : table.fields)
    out.fields.push_back({f.name, f.offset, field_type(f.type, targets)});
  return &out;
}

const GoType* MapHeaderTypes::field_type(RuntimeFieldType type, const Targets& targets) {
  switch (type) {
    case RuntimeFieldType::Uint8:
      return scalar("uint8", GoKind::Uint8, 1);
    case RuntimeFieldType::Uint16:
      return scalar("uint16", GoKind::Uint16, 2);
    case RuntimeFieldType::Uint32:
      return scalar("uint32", GoKind::Uint32, 4);
    case RuntimeFieldType::Uint64:
      return scalar("uint64", GoKind::Uint64, 8);
    case RuntimeFieldType::Int:
      return scalar("int", GoKind::Int, 8);
    case RuntimeFieldType::Uintptr:
      return scalar("uintptr", GoKind::Uintptr, 8);
    case RuntimeFieldType::Bool:
      return scalar("bool", GoKind::Bool, 1);
    case RuntimeFieldType::MapExtra:
      return scalar("*runtime.mapextra", GoKind::UnsafePointer, 8);
    case RuntimeFieldType::BucketArray:
      return targets.bucket_array;
    case RuntimeFieldType::Directory:
      return targets.directory;
    case RuntimeFieldType::GroupsReference:
      return targets.groups;
    case RuntimeFieldType::GroupArray:
      return targets.group_array;
  }
  return nullptr;
}

GoType& MapHeaderTypes::make(std::string name, GoKind kind, uint64_t size) {
  GoType& t = storage_.emplace_back();
  t.name = std::move(name);
  t.kind = kind;
  t.size = size;
  return t;
}

const GoType* MapHeaderTypes::scalar(const char* name, GoKind kind, uint64_t size) {
  const GoType*& known = scalars_[name];
  if (!known) known = &make(name, kind, size);
  return known;
}

const GoType* MapHeaderTypes::pointer(const GoType* elem) {
  GoType& p = make("*" + elem->name, GoKind::Pointer, 8);
  p.elem = elem;
  return &p;
}

const GoType* MapHeaderTypes::array(const GoType* elem, uint64_t length) {
  GoType& a =
      make("[" + std::to_string(length) + "]" + elem->name, GoKind::Array, elem->size * length);
  a.elem = elem;
  a.length = length;
  return &a;
}

// A slot holds the type itself, or a pointer to it when it is indirect.
const GoType* MapHeaderTypes::slot(const GoType& type, bool indirect) {
  return indirect ? pointer(&type) : &type;
}

}  // namespace gomapdbg
