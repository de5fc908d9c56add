// Swiss map walker (maps/swiss_map.cc) with go1.27's split groups
// (GOEXPERIMENT=mapsplitgroup: 8 keys, then 8 elems) on an arbitrary
// address space.
#include "map_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return gomapdbg::fuzz::fuzz_map<gomapdbg::test::swiss_split_layout>(data, size);
}
