#include "types/type_descriptor_region.h"

#include "abi/map_type_layout.h"
#include "abi/type_descriptor_layout.h"
#include "errors.h"
#include "types/go_type.h"

namespace gomapdbg {

using namespace abi;

namespace {

constexpr uint64_t kPointer = 8;
// Bounds no real descriptor comes near: a damaged one ends the walk.
constexpr uint64_t kMaxParts = 1 << 16;
constexpr size_t kMaxDescriptors = 2'000'000;

struct KindSize {
  uint64_t fixed = 0;     // the kind's struct, 0 for an unknown kind
  uint64_t variable = 0;  // what follows it (func parameters, methods, fields)
};

// `count` parts of `each` bytes after the kind's struct; an absurd count
// (which could wrap the product) makes the kind unknown, ending the walk.
KindSize with_parts(uint64_t fixed, uint64_t count, uint64_t each) {
  return count > kMaxParts ? KindSize{} : KindSize{fixed, count * each};
}

KindSize kind_size(const Memory& memory, uint64_t at, GoKind kind) {
  switch (kind) {
    case GoKind::Array:
      return {kArrayTypeSize};
    case GoKind::Chan:
      return {kChanTypeSize};
    case GoKind::Func: {
      uint16_t in = memory.get<uint16_t>(at + kFuncInCount);
      uint16_t out = memory.get<uint16_t>(at + kFuncOutCount) & ~kFuncVariadic;
      return with_parts(kFuncTypeSize, uint64_t{in} + out, kPointer);
    }
    case GoKind::Interface:
      return with_parts(kInterfaceTypeSize, memory.u64(at + kInterfaceMethodCount), kImethodSize);
    case GoKind::Map:
      return {kSwiss127TypeSize};
    case GoKind::Pointer:
      return {kPtrTypeSize};
    case GoKind::Slice:
      return {kSliceTypeSize};
    case GoKind::Struct:
      return with_parts(kStructTypeSize, memory.u64(at + kStructFieldCount), kStructFieldSize);
    case GoKind::Invalid:
      return {};
    default:
      return static_cast<uint8_t>(kind) <= static_cast<uint8_t>(GoKind::UnsafePointer)
                 ? KindSize{kTypeHeaderSize}
                 : KindSize{};
  }
}

}  // namespace

uint64_t type_descriptor_size(const Memory& memory, uint64_t descriptor) {
  try {
    uint8_t header[kTypeHeaderSize];
    memory.read(descriptor, header, sizeof header);
    KindSize kind =
        kind_size(memory, descriptor, static_cast<GoKind>(header[kTypeKind] & kKindMask));
    if (!kind.fixed) return 0;
    uint64_t methods = 0;
    if (header[kTypeTFlag] & kTFlagUncommon)
      methods = kUncommonSize +
                memory.get<uint16_t>(descriptor + kind.fixed + kUncommonMcount) * kMethodSize;
    return kind.fixed + methods + kind.variable;
  } catch (const MemoryError&) {
    return 0;
  }
}

TypeDescriptorRegion walk_type_descriptor_region(const Memory& memory, uint64_t types,
                                                 uint64_t length) {
  TypeDescriptorRegion region;
  uint64_t end = types + length;
  // The linker starts one pointer in (go1.27 runtime typelinksinit).
  for (uint64_t at = types + kPointer; at < end;) {
    at = (at + kPointer - 1) & ~(kPointer - 1);
    if (at >= end) break;
    uint64_t size = type_descriptor_size(memory, at);
    if (!size || size > end - at) {
      region.problem = "the type descriptor region ends early at " + hex(at) + " (" +
                       std::to_string(region.descriptors.size()) + " descriptors read)";
      break;
    }
    if (region.descriptors.size() >= kMaxDescriptors) {
      region.problem = "the type descriptor region holds over " + std::to_string(kMaxDescriptors) +
                       " descriptors; the rest are skipped";
      break;
    }
    region.descriptors.push_back(at);
    at += size;
  }
  return region;
}

}  // namespace gomapdbg
