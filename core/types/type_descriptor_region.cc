#include "types/type_descriptor_region.h"

#include "errors.h"
#include "types/go_type.h"

namespace gomapdbg {

namespace {

// abi.Type (48 bytes): TFlag @20, Kind @23; TFlagUncommon = 1 << 0.
constexpr uint64_t kTypeSize = 48, kTFlag = 20, kKind = 23;
constexpr uint8_t kTFlagUncommon = 1, kKindMask = 0x1f;
// Kind tails on 64-bit targets (go1.27 internal/abi/type.go, map.go):
// FuncType {InCount u16 @48, OutCount u16 @50}, InterfaceType {PkgPath @48,
// Methods []Imethod @56}, StructType {PkgPath @48, Fields []StructField @56}.
constexpr uint64_t kArrayType = 72, kChanType = 64, kFuncType = 56, kInterfaceType = 80,
                   kMapType = 136, kPtrType = 56, kSliceType = 56, kStructType = 80;
constexpr uint64_t kFuncInCount = 48, kFuncOutCount = 50, kSliceLen = 56 + 8;
constexpr uint16_t kFuncVariadic = 1 << 15;
constexpr uint64_t kImethod = 8, kStructField = 24, kPointer = 8;
// UncommonType {PkgPath i32, Mcount u16 @4, Xcount u16, Moff u32, _ u32}
// follows the kind's fixed part; Mcount Methods of 16 bytes follow the
// kind's variable part.
constexpr uint64_t kUncommon = 16, kUncommonMcount = 4, kMethod = 16;
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
      return {kArrayType};
    case GoKind::Chan:
      return {kChanType};
    case GoKind::Func: {
      uint16_t in = memory.get<uint16_t>(at + kFuncInCount);
      uint16_t out = memory.get<uint16_t>(at + kFuncOutCount) & ~kFuncVariadic;
      return with_parts(kFuncType, uint64_t{in} + out, kPointer);
    }
    case GoKind::Interface:
      return with_parts(kInterfaceType, memory.u64(at + kSliceLen), kImethod);
    case GoKind::Map:
      return {kMapType};
    case GoKind::Pointer:
      return {kPtrType};
    case GoKind::Slice:
      return {kSliceType};
    case GoKind::Struct:
      return with_parts(kStructType, memory.u64(at + kSliceLen), kStructField);
    case GoKind::Invalid:
      return {};
    default:
      return static_cast<uint8_t>(kind) <= static_cast<uint8_t>(GoKind::UnsafePointer)
                 ? KindSize{kTypeSize}
                 : KindSize{};
  }
}

}  // namespace

uint64_t type_descriptor_size(const Memory& memory, uint64_t descriptor) {
  try {
    uint8_t header[kTypeSize];
    memory.read(descriptor, header, sizeof header);
    KindSize kind = kind_size(memory, descriptor, static_cast<GoKind>(header[kKind] & kKindMask));
    if (!kind.fixed) return 0;
    uint64_t methods = 0;
    if (header[kTFlag] & kTFlagUncommon)
      methods =
          kUncommon + memory.get<uint16_t>(descriptor + kind.fixed + kUncommonMcount) * kMethod;
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
