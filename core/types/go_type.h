// Go types as the core sees them: a kind (reflect.Kind numbering), a size and
// the parts the renderer and the map walkers need. Built from DWARF
// (dwarf_types.h) or from runtime type descriptors (runtime_types.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gomapdbg {

// Values of reflect.Kind / internal/abi.Kind (unchanged go1.19–go1.27).
enum class GoKind : uint8_t {
  Invalid = 0,
  Bool,
  Int,
  Int8,
  Int16,
  Int32,
  Int64,
  Uint,
  Uint8,
  Uint16,
  Uint32,
  Uint64,
  Uintptr,
  Float32,
  Float64,
  Complex64,
  Complex128,
  Array,
  Chan,
  Func,
  Interface,
  Map,
  Pointer,
  Slice,
  String,
  Struct,
  UnsafePointer,
};

const char* kind_name(GoKind kind);

struct GoType;

struct GoField {
  std::string name;
  uint64_t offset = 0;
  const GoType* type = nullptr;
  bool embedded = false;
};

struct GoType {
  std::string name;
  GoKind kind = GoKind::Invalid;
  uint64_t size = 0;
  // Pointer, slice, array, chan: the element. Map: the value type.
  const GoType* elem = nullptr;
  // Map: the key type.
  const GoType* key = nullptr;
  // Map and chan: the runtime header struct the pointer leads to
  // (hash<K,V>, map<K,V>, hchan<T>).
  const GoType* header = nullptr;
  // A decoded map type without a header: why (an unknown Go version, a
  // damaged descriptor).
  std::string header_problem;
  uint64_t length = 0;          // array length
  std::vector<GoField> fields;  // struct members (also string/slice/iface words)
  uint64_t dwarf_offset = 0;
  uint64_t descriptor = 0;  // a decoded type's runtime type descriptor

  const GoField* field(const std::string& field_name) const;
  // For runtime layouts read from DWARF: the field, or a LayoutError naming
  // what could not be laid out ("map layout", "runtime layout").
  const GoField& required_field(const char* field_name, const char* layout) const;
  std::optional<uint64_t> field_offset(const char* field_name) const;
  bool is_signed_int() const { return kind >= GoKind::Int && kind <= GoKind::Int64; }
  bool is_unsigned_int() const { return kind >= GoKind::Uint && kind <= GoKind::Uintptr; }
};

// A type parameter's shape (go.shape.int, go.shape.*uint8): the stand-in
// the compiler gives a generic function's values (Go 1.18+); a pointer
// shape says nothing of what it points to.
bool is_shape_type(const GoType& type);

// A type name with its article, as an error says it: "an int", "a main.ID".
std::string with_article(const std::string& type_name);

}  // namespace gomapdbg
