// runtime.firstmoduledata, the linker's table of the executable's own
// sections: where the runtime type descriptors are (types, etypes), which of
// them reflect can find (typelinks, itablinks) and the base of funcdata
// (gofunc). Static data, initialized by the linker, so it is read from the
// executable itself. Found by its symbol or, in a stripped binary, by
// searching the static data for the struct whose first word is the
// pclntab's address (pcHeader) and whose second points into it. Go 1.27
// replaced typelinks and itablinks by typedesclen, itaboffset and itabsize.
#pragma once

#include <cstdint>
#include <optional>

#include "binary/go_build_info.h"
#include "memory/memory.h"

namespace gomapdbg {

class ElfImage;
class Pclntab;

// A []T held in moduledata.
struct StaticSlice {
  uint64_t data = 0, len = 0;
};

struct ModuleData {
  uint64_t address = 0;
  bool found_by_search = false;
  uint64_t types = 0, etypes = 0;  // the type descriptors and the names they refer to
  uint64_t gofunc = 0;
  // go1.19–go1.26: typelinks, []int32 offsets of type descriptors from
  // `types`, and itablinks, []*itab.
  StaticSlice typelinks;
  StaticSlice itablinks;
  // go1.27 on: the descriptors' bytes from `types` (no typelinks).
  uint64_t typedesclen = 0;
};

// nullopt when there is neither a symbol nor a struct that fits. `version`
// picks the field offsets; when unknown, the pclntab's format and the shape
// of the candidates do.
std::optional<ModuleData> find_module_data(ElfImage& image, const Pclntab* pclntab,
                                           GoVersion version);

}  // namespace gomapdbg
