// Every runtime type descriptor of a go1.27+ binary, which has no
// moduledata.typelinks: the linker lays the descriptors end to end from
// moduledata.types + 8 over typedesclen bytes, each pointer-aligned, and the
// runtime walks them by abi.Type.DescriptorSize() (go1.27 runtime/type.go
// typelinksinit; reference §10). The walk reads each descriptor's header
// and the lengths that size it, and stops at the first one that is not a
// descriptor (an unknown kind, a length past the region), saying where.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "memory/memory.h"

namespace gomapdbg {

struct TypeDescriptorRegion {
  std::vector<uint64_t> descriptors;  // addresses, in memory order
  std::string problem;                // why the walk stopped early; empty if it did not
};

// `types` is moduledata.types, `length` moduledata.typedesclen.
TypeDescriptorRegion walk_type_descriptor_region(const Memory& memory, uint64_t types,
                                                 uint64_t length);

// abi.Type.DescriptorSize() of the go1.27 descriptor whose bytes start at
// `descriptor` (at least the kind's fixed part); 0 when the kind is unknown
// or the bytes cannot be read.
uint64_t type_descriptor_size(const Memory& memory, uint64_t descriptor);

}  // namespace gomapdbg
