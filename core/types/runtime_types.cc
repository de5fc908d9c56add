#include "types/runtime_types.h"

#include "abi/go_headers.h"
#include "abi/map_type_layout.h"
#include "abi/type_descriptor_layout.h"
#include "errors.h"

namespace gomapdbg {

using namespace abi;

namespace {

constexpr uint64_t kMaxFields = 4096;
constexpr int kMaxDepth = 16;

// Whether a decoded type's size agrees with its kind and parts: the
// renderers read a slice's three words, a struct's fields and an array's
// elements from a buffer of type.size bytes, so a damaged descriptor (a
// "slice" of 8 bytes, a field past the end) must not reach them.
bool size_agrees(const GoType& t) {
  switch (t.kind) {
    case GoKind::Bool:
    case GoKind::Int8:
    case GoKind::Uint8:
      return t.size == 1;
    case GoKind::Int16:
    case GoKind::Uint16:
      return t.size == 2;
    case GoKind::Int32:
    case GoKind::Uint32:
    case GoKind::Float32:
      return t.size == 4;
    case GoKind::Int:
    case GoKind::Uint:
    case GoKind::Int64:
    case GoKind::Uint64:
    case GoKind::Uintptr:
    case GoKind::Float64:
    case GoKind::Complex64:
    case GoKind::Chan:
    case GoKind::Func:
    case GoKind::Map:
    case GoKind::Pointer:
    case GoKind::UnsafePointer:
      return t.size == 8;
    case GoKind::Complex128:
      return t.size == 16;
    case GoKind::Interface:
      return t.size == kInterfaceSize;
    case GoKind::String:
      return t.size == kStringSize;
    case GoKind::Slice:
      return t.size == kSliceSize && t.elem;
    case GoKind::Array:
      return t.elem && (t.length == 0 ? t.size == 0
                                      : t.elem->size <= t.size / t.length &&
                                            t.elem->size * t.length == t.size);
    case GoKind::Struct:
      for (const GoField& f : t.fields)
        if (!f.type || f.offset > t.size || f.type->size > t.size - f.offset) return false;
      return true;
    default:
      return false;
  }
}

}  // namespace

std::string RuntimeTypes::name_at(uint64_t address, const Memory& memory, bool* embedded) {
  // abi.Name: a flag byte, a uvarint length, the bytes (reference §7.3).
  uint8_t head[11] = {};
  size_t got = memory.read_prefix(address, head, sizeof head);
  if (got < 2) return "?";
  if (embedded) *embedded = head[0] & (1 << 3);
  uint64_t len = 0;
  size_t pos = 1;
  for (int shift = 0; pos < got && shift < 35; shift += 7) {
    uint8_t b = head[pos++];
    len |= uint64_t{b & 0x7fu} << shift;
    if (!(b & 0x80)) break;
  }
  if (len > 4096) return "?";
  std::string name(len, '\0');
  if (memory.read_prefix(address + pos, name.data(), len) < len) return "?";
  return name;
}

bool RuntimeTypes::direct_iface(uint64_t address, const Memory& memory) {
  uint8_t header[kTypeHeaderSize];
  memory.read(address, header, sizeof header);
  if (version_.at_least(1, 26)) return header[kTypeTFlag] & kDirectIfaceBit;
  return header[kTypeKind] & kDirectIfaceBit;
}

const GoType* RuntimeTypes::decode(uint64_t address, const Memory& memory) {
  return decode_at_depth(address, memory, 0);
}

const GoType* RuntimeTypes::decode_at_depth(uint64_t address, const Memory& memory, int depth) {
  if (!address || depth > kMaxDepth) return nullptr;
  auto it = by_address_.find(address);
  if (it != by_address_.end()) return it->second;
  GoType& type = storage_.emplace_back();
  type.descriptor = address;
  by_address_[address] = &type;  // before filling: types may refer to themselves
  try {
    fill(type, address, memory, depth);
    if (!size_agrees(type)) {
      type.name = "<damaged type " + hex(address) + ": " + kind_name(type.kind) + " of " +
                  std::to_string(type.size) + " bytes>";
      type.kind = GoKind::Invalid;
    }
  } catch (const MemoryError&) {
    type.kind = GoKind::Invalid;
    type.name = "<unreadable type " + hex(address) + ">";
  }
  return &type;
}

void RuntimeTypes::fill(GoType& type, uint64_t address, const Memory& memory, int depth) {
  uint8_t header[kTypeHeaderSize];
  memory.read(address, header, sizeof header);
  type.size = load<uint64_t>(header + kTypeSize);
  type.kind = static_cast<GoKind>(header[kTypeKind] & kKindMask);
  type.name = name_at(base_ + load<int32_t>(header + kTypeStr), memory);
  if ((header[kTypeTFlag] & kTFlagExtraStar) && !type.name.empty() && type.name[0] == '*')
    type.name.erase(0, 1);
  switch (type.kind) {
    case GoKind::Pointer:
    case GoKind::Slice:
    case GoKind::Chan:
      type.elem = decode_at_depth(memory.u64(address + kElem), memory, depth + 1);
      break;
    case GoKind::Array:
      type.elem = decode_at_depth(memory.u64(address + kElem), memory, depth + 1);
      type.length = memory.u64(address + kArrayLen);
      break;
    case GoKind::Map:
      type.key = decode_at_depth(memory.u64(address + kMapTypeKey), memory, depth + 1);
      type.elem = decode_at_depth(memory.u64(address + kMapTypeElem), memory, depth + 1);
      if (!map_headers_) {
        type.header_problem = "map types decoded without a map header builder";
        break;
      }
      try {
        type.header = map_headers_->build(type, address, memory);
      } catch (const Error& e) {
        // The type still prints; laying it out says why not.
        type.header_problem = e.what();
      }
      break;
    case GoKind::Struct: {
      uint64_t fields = memory.u64(address + kStructFields);
      uint64_t count = memory.u64(address + kStructFieldCount);
      if (count > kMaxFields) throw MemoryError("struct type with absurd field count");
      std::vector<uint8_t> raw = memory.bytes(fields, count * kStructFieldSize);
      for (uint64_t i = 0; i < count; ++i) {
        const uint8_t* f = &raw[i * kStructFieldSize];
        GoField field;
        field.name = name_at(load<uint64_t>(f + kStructFieldName), memory, &field.embedded);
        field.type = decode_at_depth(load<uint64_t>(f + kStructFieldTyp), memory, depth + 1);
        field.offset = load<uint64_t>(f + kStructFieldOffset);
        type.fields.push_back(field);
      }
      break;
    }
    case GoKind::Interface: {
      // The two words as DWARF's runtime.eface / runtime.iface name them:
      // is_empty_interface goes by the first one.
      uint64_t methods = memory.u64(address + kInterfaceMethodCount);
      type.fields = {{methods ? "tab" : "_type", 0, nullptr, false},
                     {"data", kInterfaceData, nullptr, false}};
      break;
    }
    default:
      break;
  }
}

}  // namespace gomapdbg
