// SyncMapLayout from DWARF: sync.Map's own fields lead to the read-only map,
// the dirty map and its entry type (read/dirty) or to the trie's indirect
// and node types (hash trie, through atomic.Pointer's `_ [0]*T` field); the
// trie's entry type and go1.19's readOnly are found by name. Absent ones
// are laid out from their Go declarations (struct layout rules, not
// per-version tables): readOnly{m map; amended bool},
// entry{node{isEntry bool}; overflow *entry; key, value any}.
#include "errors.h"
#include "maps/sync_map.h"

namespace gomapdbg {

namespace {

constexpr const char* kWhat = "sync.Map layout";

// T of an atomic.Pointer[T] (its `_ [0]*T` field), or null.
const GoType* atomic_pointer_target(const GoType& pointer) {
  const GoField* marker = pointer.field("_");
  if (!marker || !marker->type || marker->type->kind != GoKind::Array) return nullptr;
  const GoType* elem = marker->type->elem;
  return elem && elem->kind == GoKind::Pointer ? elem->elem : nullptr;
}

// Offset of an atomic.Pointer's (or atomic.Uint32's, atomic.Bool's) v word.
uint64_t atomic_word(const GoField& field) {
  if (!field.type) throw LayoutError(std::string(kWhat) + ": field " + field.name + " has no type");
  return field.offset + field.type->required_field("v", kWhat).offset;
}

void lay_out_trie(const GoField& m, const TypeByName& named, SyncMapLayout& layout) {
  const GoType& trie = *m.type;
  const GoField& root = trie.required_field("root", kWhat);
  layout.root = m.offset + atomic_word(root);
  if (const GoField* inited = trie.field("inited")) layout.inited = m.offset + atomic_word(*inited);
  if (const GoType* indirect = root.type ? atomic_pointer_target(*root.type) : nullptr) {
    layout.indirect_size = indirect->size;
    layout.indirect_children = indirect->required_field("children", kWhat).offset;
    if (const GoField* dead = indirect->field("dead"))
      layout.indirect_dead =
          dead->offset + (dead->type ? dead->type->field_offset("v").value_or(0) : 0);
  } else {
    throw LayoutError(std::string(kWhat) + ": the trie's root type is not in DWARF");
  }
  const GoType* entry = nullptr;
  for (const char* name : kTrieEntryNames)
    if (!entry) entry = named(name);
  if (entry && entry->field("key") && entry->field("value")) {
    layout.entry_size = entry->size;
    layout.entry_overflow = atomic_word(entry->required_field("overflow", kWhat));
    layout.entry_key = entry->required_field("key", kWhat).offset;
    layout.entry_value = entry->required_field("value", kWhat).offset;
    layout.any = entry->field("key")->type;
  }
  if (!layout.any) layout.any = named("interface {}");
  if (!layout.any) throw LayoutError(std::string(kWhat) + ": DWARF has no interface {} type");
}

void lay_out_read_dirty(const GoType& sync_map, const TypeByName& named, SyncMapLayout& layout) {
  layout.impl = SyncMapImpl::ReadDirty;
  const GoField& read = sync_map.required_field("read", kWhat);
  const GoField& dirty = sync_map.required_field("dirty", kWhat);
  layout.misses = sync_map.required_field("misses", kWhat).offset;
  if (!read.type || !dirty.type || dirty.type->kind != GoKind::Map)
    throw LayoutError(std::string(kWhat) + ": read or dirty has no usable type");
  const GoField& v = read.type->required_field("v", kWhat);
  const GoType* read_only = nullptr;
  if (v.type && v.type->kind == GoKind::Interface) {
    // go1.19: atomic.Value{v any} holding a readOnly, which is not
    // pointer-shaped: the interface's data word points to it.
    layout.read_pointer = read.offset + v.offset + 8;
    read_only = named("sync.readOnly");
  } else {
    layout.read_pointer = read.offset + v.offset;
    read_only = atomic_pointer_target(*read.type);
  }
  if (read_only) {
    layout.read_size = read_only->size;
    layout.read_m = read_only->required_field("m", kWhat).offset;
    layout.read_amended = read_only->required_field("amended", kWhat).offset;
  }
  layout.dirty = dirty.offset;
  layout.entries = map_layout(*dirty.type);
  layout.any = dirty.type->key;
  const GoType* entry_pointer = dirty.type->elem;
  if (!entry_pointer || !entry_pointer->elem)
    throw LayoutError(std::string(kWhat) + ": the dirty map's entry type is not in DWARF");
  layout.entry_p = entry_pointer->elem->required_field("p", kWhat).offset;
  if (!layout.any || layout.any->kind != GoKind::Interface || layout.any->size != 16)
    throw LayoutError(std::string(kWhat) + ": the dirty map's key is not an interface");
}

}  // namespace

const char* sync_map_layout_name(SyncMapImpl impl) {
  return impl == SyncMapImpl::ReadDirty ? "sync-readdirty" : "sync-trie";
}

bool is_sync_map_type(const GoType& type) {
  return type.kind == GoKind::Struct && type.name == "sync.Map";
}

SyncMapLayout sync_map_layout(const GoType& sync_map, const TypeByName& named) {
  SyncMapLayout layout;
  layout.size = sync_map.size;
  const GoField* m = sync_map.field("m");
  if (m && m->type && m->type->name.starts_with("internal/sync.HashTrieMap"))
    lay_out_trie(*m, named, layout);
  else
    lay_out_read_dirty(sync_map, named, layout);
  return layout;
}

}  // namespace gomapdbg
