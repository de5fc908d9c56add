// Classic map walker (maps/classic_map.cc) on an arbitrary address space.
#include "map_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return gomapdbg::fuzz::fuzz_map<gomapdbg::test::classic_layout>(data, size);
}
