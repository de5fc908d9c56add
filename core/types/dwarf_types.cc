#include "types/dwarf_types.h"

#include <dwarf.h>

#include <cctype>
#include <optional>
#include <string_view>

#include "errors.h"

namespace gomapdbg {

namespace {

GoKind kind_of_base(Dwarf_Die* die, uint64_t size) {
  uint64_t encoding = die_udata(die, DW_AT_encoding).value_or(0);
  switch (encoding) {
    case DW_ATE_boolean:
      return GoKind::Bool;
    case DW_ATE_float:
      return size == 4 ? GoKind::Float32 : GoKind::Float64;
    case DW_ATE_complex_float:
      return size == 8 ? GoKind::Complex64 : GoKind::Complex128;
    case DW_ATE_signed:
    case DW_ATE_signed_char:
      return size == 1   ? GoKind::Int8
             : size == 2 ? GoKind::Int16
             : size == 4 ? GoKind::Int32
                         : GoKind::Int64;
    default:
      return size == 1   ? GoKind::Uint8
             : size == 2 ? GoKind::Uint16
             : size == 4 ? GoKind::Uint32
                         : GoKind::Uint64;
  }
}

}  // namespace

const GoType* TypeTable::by_name(const std::string& name) {
  auto off = index_.type(name);
  return off ? at(*off) : nullptr;
}

const GoType* TypeTable::ref(Dwarf_Die* die, unsigned attribute) {
  auto target = die_ref(die, attribute);
  return target ? at(dwarf_dieoffset(&*target)) : nullptr;
}

const GoType* TypeTable::at(Dwarf_Off offset) {
  auto it = types_.find(offset);
  if (it != types_.end()) return it->second.get();
  // Insert first so that self-referential types (a struct holding a pointer
  // to itself) terminate.
  auto& slot = types_[offset];
  slot = std::make_unique<GoType>();
  GoType* type = slot.get();
  type->dwarf_offset = offset;
  fill(*type, index_.die(offset));
  return type;
}

void TypeTable::fill(GoType& type, Dwarf_Die die) {
  type.name = go_type_name(die_name(&die));
  Dwarf_Word size = 0;
  if (dwarf_aggregate_size(&die, &size) == 0) type.size = size;
  // The linker's synthesized types carry DW_AT_go_kind 0: treat as absent.
  std::optional<GoKind> go_kind;
  if (auto k = die_udata(&die, kDwAtGoKind); k && (*k & 0x1f) != 0)
    go_kind = static_cast<GoKind>(*k & 0x1f);

  switch (dwarf_tag(&die)) {
    case DW_TAG_typedef:
      return fill_typedef(type, die, go_kind);
    case DW_TAG_pointer_type:
      type.kind = go_kind.value_or(GoKind::Pointer);
      type.elem = ref(&die, DW_AT_type);
      // Some linkers emit unsafe.Pointer without DW_AT_go_kind and pointee.
      if (type.name == "unsafe.Pointer" || !type.elem) type.kind = GoKind::UnsafePointer;
      type.size = 8;
      return;
    case DW_TAG_array_type:
      return fill_array(type, die);
    case DW_TAG_base_type:
      type.kind = go_kind ? *go_kind : kind_of_base(&die, type.size);
      return;
    case DW_TAG_subroutine_type:
      type.kind = GoKind::Func;
      type.size = 8;
      return;
    case DW_TAG_structure_type:
      type.kind = go_kind.value_or(GoKind::Struct);
      if (type.kind == GoKind::Slice) type.elem = ref(&die, kDwAtGoElem);
      type.fields = struct_fields(die);
      return;
    default:
      type.kind = go_kind.value_or(GoKind::Invalid);
      return;
  }
}

// Go uses typedefs for map, chan, func and interface types: the name and
// kind are here, the representation behind DW_AT_type.
void TypeTable::fill_typedef(GoType& type, Dwarf_Die& die, std::optional<GoKind> go_kind) {
  const GoType* target = ref(&die, DW_AT_type);
  if (target) {
    type.size = target->size;
    type.fields = target->fields;
    type.elem = target->elem;
    type.length = target->length;
    type.kind = target->kind;
  }
  if (go_kind) type.kind = *go_kind;
  if (type.kind == GoKind::Map) {
    type.key = ref(&die, kDwAtGoKey);
    type.elem = ref(&die, kDwAtGoElem);
    type.header = target ? target->elem : nullptr;
    type.size = 8;
  } else if (type.kind == GoKind::Chan) {
    type.elem = ref(&die, kDwAtGoElem);
    type.header = target ? target->elem : nullptr;
    type.size = 8;
  }
}

void TypeTable::fill_array(GoType& type, Dwarf_Die& die) {
  type.kind = GoKind::Array;
  type.elem = ref(&die, DW_AT_type);
  Dwarf_Die sub;
  if (dwarf_child(&die, &sub) == 0) {
    if (auto count = die_udata(&sub, DW_AT_count))
      type.length = *count;
    else if (auto upper = die_udata(&sub, DW_AT_upper_bound))
      type.length = *upper + 1;
  }
  if (type.elem) type.size = type.elem->size * type.length;
}

std::vector<GoField> TypeTable::struct_fields(Dwarf_Die& die) {
  std::vector<GoField> fields;
  Dwarf_Die member;
  if (dwarf_child(&die, &member) != 0) return fields;
  do {
    if (dwarf_tag(&member) != DW_TAG_member) continue;
    GoField field;
    field.name = die_name(&member);
    field.offset = die_udata(&member, DW_AT_data_member_location).value_or(0);
    field.type = ref(&member, DW_AT_type);
    Dwarf_Attribute embedded;
    bool flag = false;
    field.embedded = dwarf_attr(&member, kDwAtGoEmbeddedField, &embedded) &&
                     dwarf_formflag(&embedded, &flag) == 0 && flag;
    fields.push_back(field);
  } while (dwarf_siblingof(&member, &member) == 0);
  return fields;
}

}  // namespace gomapdbg
