#include "types/go_type.h"

#include <string_view>

#include "errors.h"

namespace gomapdbg {

const char* kind_name(GoKind kind) {
  static const char* const names[] = {
      "invalid", "bool",      "int",        "int8",   "int16",  "int32",         "int64",
      "uint",    "uint8",     "uint16",     "uint32", "uint64", "uintptr",       "float32",
      "float64", "complex64", "complex128", "array",  "chan",   "func",          "interface",
      "map",     "ptr",       "slice",      "string", "struct", "unsafe.Pointer"};
  auto i = static_cast<size_t>(kind);
  return i < sizeof names / sizeof names[0] ? names[i] : "invalid";
}

const GoField* GoType::field(const std::string& field_name) const {
  for (const auto& f : fields)
    if (f.name == field_name) return &f;
  return nullptr;
}

const GoField& GoType::required_field(const char* field_name, const char* layout) const {
  const GoField* f = field(field_name);
  if (!f)
    throw LayoutError(std::string("unknown ") + layout + ": " + name + " has no field '" +
                      field_name + "' in DWARF (a Go version this tool does not know?)");
  return *f;
}

std::optional<uint64_t> GoType::field_offset(const char* field_name) const {
  const GoField* f = field(field_name);
  return f ? std::optional<uint64_t>(f->offset) : std::nullopt;
}

std::string with_article(const std::string& type_name) {
  bool vowel =
      !type_name.empty() && std::string_view("aeiou").find(type_name[0]) != std::string_view::npos;
  return (vowel ? "an " : "a ") + type_name;
}

bool is_shape_type(const GoType& type) { return type.name.starts_with("go.shape."); }

}  // namespace gomapdbg
