#include "values/key_order.h"

#include <bit>
#include <cmath>

#include "abi/go_headers.h"
#include "errors.h"
#include "values/value_access.h"

namespace gomapdbg {

namespace {

// Bytes of a string key compared; longer keys that share them tie, and their
// lengths (then their texts) decide.
constexpr uint64_t kMaxKeyBytes = 4096;
// Keys nest only through arrays, structs and interfaces; a damaged type may not end.
constexpr int kMaxKeyDepth = 32;
constexpr uint64_t kSignBit = uint64_t{1} << 63;

class KeyBuilder {
 public:
  KeyBuilder(const Memory& memory, GoBinary* binary, SortKey& out)
      : memory_(memory), binary_(binary), out_(out) {}

  void add(const GoType& type, const uint8_t* p, int depth) {
    if (depth > kMaxKeyDepth) return;
    switch (type.kind) {
      case GoKind::Bool:
        return add_number(p[0] != 0);
      case GoKind::Int:
      case GoKind::Int8:
      case GoKind::Int16:
      case GoKind::Int32:
      case GoKind::Int64:
        // Two's complement with the sign bit flipped orders as unsigned.
        return add_number(static_cast<uint64_t>(load_int(p, type.size)) ^ kSignBit);
      case GoKind::Uint:
      case GoKind::Uint8:
      case GoKind::Uint16:
      case GoKind::Uint32:
      case GoKind::Uint64:
      case GoKind::Uintptr:
        return add_number(load_uint(p, type.size));
      case GoKind::Pointer:
      case GoKind::UnsafePointer:
      case GoKind::Chan:
        return add_number(load<uint64_t>(p));
      case GoKind::Float32:
        return add_float(load<float>(p));
      case GoKind::Float64:
        return add_float(load<double>(p));
      case GoKind::Complex64:
        add_float(load<float>(p));
        return add_float(load<float>(p + 4));
      case GoKind::Complex128:
        add_float(load<double>(p));
        return add_float(load<double>(p + 8));
      case GoKind::String: {
        auto [data, len] = load_string(p);
        return add_string(data, len);
      }
      case GoKind::Interface:
        return add_interface(type, p, depth);
      case GoKind::Array:
        return add_array(type, p, depth);
      case GoKind::Struct:
        for (const auto& f : type.fields)
          if (f.type && f.offset + f.type->size <= type.size) add(*f.type, p + f.offset, depth + 1);
        return;
      default:
        return;  // maps, slices and funcs are not comparable: never keys
    }
  }

 private:
  void add_number(uint64_t number) { out_.push_back({.number = number}); }

  void add_float(double value) {
    bool nan = std::isnan(value);
    add_number(!nan);  // NaN first, all NaNs equal
    if (nan) return add_number(0);
    if (value == 0) value = 0.0;  // -0 == +0
    // IEEE 754 bits order as unsigned once negatives are flipped whole and
    // positives get the sign bit.
    uint64_t bits = std::bit_cast<uint64_t>(value);
    add_number(bits & kSignBit ? ~bits : bits | kSignBit);
  }

  void add_string(uint64_t data, uint64_t len) {
    std::string bytes(std::min(len, kMaxKeyBytes), '\0');
    bytes.resize(bytes.empty() ? 0 : memory_.read_prefix(data, bytes.data(), bytes.size()));
    out_.push_back({.bytes = std::move(bytes)});
    add_number(len);
  }

  void add_array(const GoType& type, const uint8_t* p, int depth) {
    if (!type.elem || !type.elem->size) return;
    for (uint64_t i = 0; i < type.length && (i + 1) * type.elem->size <= type.size; ++i)
      add(*type.elem, p + i * type.elem->size, depth + 1);
  }

  void add_interface(const GoType& type, const uint8_t* p, int depth) {
    InterfaceWords words = load_interface(p);
    add_number(words.first != 0);  // nil first
    if (!words.first || !binary_) return;
    try {
      add_number(interface_descriptor(memory_, type, words.first));
      DynamicValue value = read_interface(memory_, *binary_, type, p);
      add(*value.type, value.bytes.data(), depth + 1);
    } catch (const Error&) {
      // Unreadable: what was added stays, the text decides among the rest.
    }
  }

  const Memory& memory_;
  GoBinary* binary_;
  SortKey& out_;
};

}  // namespace

SortKey fmt_sort_key(const Memory& memory, GoBinary* binary, const GoType& type,
                     const uint8_t* bytes) {
  SortKey key;
  KeyBuilder(memory, binary, key).add(type, bytes, 0);
  return key;
}

}  // namespace gomapdbg
