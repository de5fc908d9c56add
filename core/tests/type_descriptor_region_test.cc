// go1.27's type descriptor region (types/type_descriptor_region.h): the
// descriptors laid end to end from moduledata.types + 8, each sized by
// abi.Type.DescriptorSize() and pointer-aligned, walked back exactly; a
// damaged one ends the walk with a message, never a read past the region.

#include "types/type_descriptor_region.h"

#include <gtest/gtest.h>

#include "synthetic_memory.h"

namespace gomapdbg {
namespace {

using test::SyntheticMemory;

constexpr uint8_t kUncommon = 1;

// Writes descriptors one after another as the go1.27 linker does.
class Region {
 public:
  static constexpr uint64_t kTypes = 0x600000, kSize = 0x2000;

  Region() { memory_.map(kTypes, kSize); }

  // A descriptor of `kind` with `fixed` bytes of kind struct and `tail`
  // bytes after it; `methods` > 0 adds an UncommonType with that Mcount.
  uint64_t add(GoKind kind, uint64_t fixed, uint64_t tail = 0, uint16_t methods = 0) {
    next_ = (next_ + 7) / 8 * 8;
    uint64_t at = next_;
    memory_.put_bytes(at + 23, &kind, 1);
    if (methods) {
      memory_.put_bytes(at + 20, &kUncommon, 1);
      memory_.put_u16(at + fixed + 4, methods);
    }
    next_ += fixed + (methods ? 16 + 16 * methods : 0) + tail;
    written_.push_back(at);
    return at;
  }
  SyntheticMemory& memory() { return memory_; }
  uint64_t length() const { return next_ - kTypes; }
  const std::vector<uint64_t>& written() const { return written_; }

 private:
  SyntheticMemory memory_;
  uint64_t next_ = kTypes + 8;
  std::vector<uint64_t> written_;
};

TEST(TypeDescriptorRegion, EveryKindIsSizedAsTheRuntimeSizesIt) {
  Region r;
  r.add(GoKind::Int, 48);
  r.add(GoKind::String, 48, 0, 2);  // a named type with two methods
  r.add(GoKind::Array, 72);
  r.add(GoKind::Chan, 64);
  uint64_t func = r.add(GoKind::Func, 56, 3 * 8);
  r.memory().put_u16(func + 48, 2);               // InCount
  r.memory().put_u16(func + 50, 1 | (1u << 15));  // OutCount, variadic
  uint64_t iface = r.add(GoKind::Interface, 80, 2 * 8);
  r.memory().put_u64(iface + 64, 2);  // len(Methods)
  r.add(GoKind::Map, 136);
  r.add(GoKind::Pointer, 56, 0, 1);
  r.add(GoKind::Slice, 56);
  uint64_t st = r.add(GoKind::Struct, 80, 3 * 24, 1);
  r.memory().put_u64(st + 64, 3);  // len(Fields)
  r.add(GoKind::UnsafePointer, 48);

  Memory memory(r.memory());
  TypeDescriptorRegion got = walk_type_descriptor_region(memory, Region::kTypes, r.length());
  EXPECT_EQ(got.descriptors, r.written());
  EXPECT_EQ(got.problem, "");
}

TEST(TypeDescriptorRegion, AnUnknownKindEndsTheWalkWithAMessage) {
  Region r;
  r.add(GoKind::Int, 48);
  r.add(GoKind::Invalid, 48);
  r.add(GoKind::Int, 48);
  Memory memory(r.memory());
  TypeDescriptorRegion got = walk_type_descriptor_region(memory, Region::kTypes, r.length());
  EXPECT_EQ(got.descriptors, std::vector<uint64_t>{r.written()[0]});
  EXPECT_NE(got.problem.find("ends early at " + hex(r.written()[1]) + " (1 descriptors read)"),
            std::string::npos)
      << got.problem;
}

// A struct claiming more fields than the region holds stops the walk
// instead of stepping past the region's end.
TEST(TypeDescriptorRegion, ADescriptorLongerThanTheRegionEndsTheWalk) {
  Region r;
  r.add(GoKind::Int, 48);
  uint64_t st = r.add(GoKind::Struct, 80);
  r.memory().put_u64(st + 64, 1000);
  Memory memory(r.memory());
  TypeDescriptorRegion got = walk_type_descriptor_region(memory, Region::kTypes, r.length());
  EXPECT_EQ(got.descriptors.size(), 1u);
  EXPECT_FALSE(got.problem.empty());
}

// A method count whose size in bytes wraps to 0 (2^61 x 8) is no descriptor.
TEST(TypeDescriptorRegion, ACountThatWrapsItsSizeEndsTheWalk) {
  Region r;
  r.add(GoKind::Int, 48);
  uint64_t iface = r.add(GoKind::Interface, 80);
  r.memory().put_u64(iface + 64, uint64_t{1} << 61);
  r.add(GoKind::Int, 48);
  Memory memory(r.memory());
  TypeDescriptorRegion got = walk_type_descriptor_region(memory, Region::kTypes, r.length());
  EXPECT_EQ(got.descriptors, std::vector<uint64_t>{r.written()[0]});
  EXPECT_NE(got.problem.find("ends early at " + hex(iface)), std::string::npos) << got.problem;
}

// A length running past mapped memory: unreadable bytes end the walk.
TEST(TypeDescriptorRegion, UnreadableMemoryEndsTheWalk) {
  Region r;
  r.add(GoKind::Int, 48);
  Memory memory(r.memory());
  TypeDescriptorRegion got =
      walk_type_descriptor_region(memory, Region::kTypes, Region::kSize + 0x10000);
  EXPECT_FALSE(got.problem.empty());
  EXPECT_LE(got.descriptors.size(), Region::kSize / 48);
}

}  // namespace
}  // namespace gomapdbg
