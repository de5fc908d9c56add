#include "maps/map_layout.h"

#include "errors.h"
#include "maps/runtime_constants.h"

namespace gomapdbg {

namespace {

const GoField& need(const GoType& type, const char* name) {
  return type.required_field(name, "map layout");
}

std::optional<uint64_t> maybe(const GoType& type, const char* name) {
  return type.field_offset(name);
}

const GoType& deref(const GoType* pointer, const std::string& what) {
  if (!pointer || pointer->kind != GoKind::Pointer || !pointer->elem)
    throw LayoutError("unknown map layout: " + what + " is not a typed pointer in DWARF");
  return *pointer->elem;
}

// A slot field holds K itself, or *K when K is over 128 bytes (indirect).
bool is_indirect(const GoType* slot_type, const GoType* declared) {
  return slot_type && declared && slot_type != declared && slot_type->kind == GoKind::Pointer &&
         slot_type->elem == declared;
}

void classic_layout(const GoType& hmap, MapLayout& out) {
  ClassicLayout& c = out.classic;
  c.header_size = hmap.size;
  c.count = need(hmap, "count").offset;
  c.flags = need(hmap, "flags").offset;
  c.log2_buckets = need(hmap, "B").offset;
  c.noverflow = need(hmap, "noverflow").offset;
  c.hash0 = need(hmap, "hash0").offset;
  c.buckets = need(hmap, "buckets").offset;
  c.oldbuckets = need(hmap, "oldbuckets").offset;
  c.nevacuate = need(hmap, "nevacuate").offset;
  c.clear_seq = maybe(hmap, "clearSeq");
  c.extra = maybe(hmap, "extra");
  const GoType& bucket = deref(need(hmap, "buckets").type, hmap.name + ".buckets");
  c.bucket_size = bucket.size;
  c.tophash = need(bucket, "tophash").offset;
  const GoField& keys = need(bucket, "keys");
  const GoField& values = need(bucket, "values");
  c.keys = keys.offset;
  c.values = values.offset;
  c.overflow = need(bucket, "overflow").offset;
  if (!keys.type || !values.type || !keys.type->elem || !values.type->elem)
    throw LayoutError("unknown map layout: " + bucket.name + " keys/values are not arrays");
  c.key_slot = keys.type->elem->size;
  c.value_slot = values.type->elem->size;
  out.indirect_key = is_indirect(keys.type->elem, out.key);
  out.indirect_value = is_indirect(values.type->elem, out.value);
}

const GoType& array_elem(const GoType& group, const char* name) {
  const GoField& array = need(group, name);
  if (!array.type || array.type->kind != GoKind::Array || !array.type->elem)
    throw LayoutError("unknown map layout: " + group.name + "." + name + " is not an array");
  return *array.type->elem;
}

// group {ctrl; slots [8]struct{key; elem}}, go1.24 on.
void interleaved_group(const GoType& group, MapLayout& out) {
  SwissLayout& s = out.swiss;
  const GoType& slot = array_elem(group, "slots");
  uint64_t slots = need(group, "slots").offset;
  const GoField& key = need(slot, "key");
  const GoField& elem = need(slot, "elem");
  s.keys = slots + key.offset;
  s.elems = slots + elem.offset;
  s.key_stride = s.elem_stride = slot.size;
  out.indirect_key = is_indirect(key.type, out.key);
  out.indirect_value = is_indirect(elem.type, out.value);
}

// group {ctrl; keys [8]K; elems [8]V}, go1.27 GOEXPERIMENT=mapsplitgroup.
void split_group(const GoType& group, MapLayout& out) {
  SwissLayout& s = out.swiss;
  const GoType& key = array_elem(group, "keys");
  const GoType& elem = array_elem(group, "elems");
  s.split_groups = true;
  s.keys = need(group, "keys").offset;
  s.elems = need(group, "elems").offset;
  s.key_stride = key.size;
  s.elem_stride = elem.size;
  out.indirect_key = is_indirect(&key, out.key);
  out.indirect_value = is_indirect(&elem, out.value);
}

// The walkers read slot i at keys + i*key_stride (and elems likewise) from
// a group's group_size bytes; every slot must lie inside them.
void check_group_fits(const GoType& group, const MapLayout& out) {
  const SwissLayout& s = out.swiss;
  uint64_t key_bytes = out.indirect_key ? 8 : out.key->size;
  uint64_t elem_bytes = out.indirect_value ? 8 : out.value->size;
  constexpr uint64_t kLast = runtime::kSlotsPerBucket - 1;
  bool fits = s.ctrl + runtime::kSlotsPerBucket <= s.group_size && s.key_stride < s.group_size &&
              s.elem_stride < s.group_size &&
              s.keys + kLast * s.key_stride + key_bytes <= s.group_size &&
              s.elems + kLast * s.elem_stride + elem_bytes <= s.group_size;
  if (!fits) throw LayoutError("unknown map layout: the slots of " + group.name + " overrun it");
}

void swiss_layout(const GoType& map, MapLayout& out) {
  SwissLayout& s = out.swiss;
  s.header_size = map.size;
  s.used = need(map, "used").offset;
  s.seed = need(map, "seed").offset;
  s.dir_ptr = need(map, "dirPtr").offset;
  s.dir_len = need(map, "dirLen").offset;
  s.global_depth = need(map, "globalDepth").offset;
  s.global_shift = need(map, "globalShift").offset;
  s.writing = need(map, "writing").offset;
  s.tombstone_possible = maybe(map, "tombstonePossible");
  s.clear_seq = maybe(map, "clearSeq");
  // dirPtr is **table<K,V>.
  const GoType& entry = deref(need(map, "dirPtr").type, map.name + ".dirPtr");
  const GoType& table = deref(&entry, map.name + " directory entry");
  s.table_size = table.size;
  s.table_used = need(table, "used").offset;
  s.table_capacity = need(table, "capacity").offset;
  s.table_growth_left = need(table, "growthLeft").offset;
  s.table_local_depth = need(table, "localDepth").offset;
  s.table_index = need(table, "index").offset;
  const GoField& groups = need(table, "groups");
  if (!groups.type) throw LayoutError("unknown map layout: " + table.name + ".groups has no type");
  s.table_groups_data = groups.offset + need(*groups.type, "data").offset;
  s.table_groups_mask = groups.offset + need(*groups.type, "lengthMask").offset;
  const GoType& group = deref(need(*groups.type, "data").type, groups.type->name + ".data");
  s.group_size = group.size;
  s.ctrl = need(group, "ctrl").offset;
  if (group.field("slots"))
    interleaved_group(group, out);
  else if (group.field("keys"))
    split_group(group, out);
  else
    throw LayoutError("unknown map layout: " + group.name +
                      " has neither slots (interleaved) nor keys and elems (split groups)");
  check_group_fits(group, out);
}

}  // namespace

const char* family_name(MapFamily family) {
  return family == MapFamily::Classic ? "classic" : "swiss";
}

const char* layout_name(MapFamily family, bool split_groups) {
  if (family == MapFamily::Swiss && split_groups) return "swiss-split";
  return family_name(family);
}

MapLayout map_layout(const GoType& map_type) {
  if (map_type.kind != GoKind::Map) throw UsageError(map_type.name + " is not a map type");
  if (!map_type.header_problem.empty())
    throw LayoutError(map_type.name + ": " + map_type.header_problem);
  if (!map_type.header || !map_type.key || !map_type.elem)
    throw LayoutError("DWARF for " + map_type.name + " lacks its key, value or header type");
  MapLayout out;
  out.key = map_type.key;
  out.value = map_type.elem;
  const GoType& header = *map_type.header;
  if (header.field("buckets") && header.field("B")) {
    out.family = MapFamily::Classic;
    classic_layout(header, out);
  } else if (header.field("dirPtr") && header.field("dirLen")) {
    out.family = MapFamily::Swiss;
    swiss_layout(header, out);
  } else {
    throw LayoutError("unknown map layout: " + header.name +
                      " has neither classic (buckets, B) nor swiss (dirPtr, dirLen) fields");
  }
  return out;
}

}  // namespace gomapdbg
