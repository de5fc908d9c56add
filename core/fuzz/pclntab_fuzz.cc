// Go's function table (binary/pclntab.cc): the input is a .gopclntab section.
// The harness looks up the PCs of the first functions the table lists (and
// a few past them), as the unwinder will: function, sp_delta, file_line.
#include <cstring>

#include "binary/pclntab.h"
#include "errors.h"

using namespace gomapdbg;

namespace {
uint64_t raw_u64(const uint8_t* data, size_t size, size_t off) {
  uint64_t v = 0;
  if (off + 8 <= size) std::memcpy(&v, data + off, 8);
  return v;
}
uint32_t raw_u32(const uint8_t* data, size_t size, uint64_t off) {
  uint32_t v = 0;
  if (off <= size && size - off >= 4) std::memcpy(&v, data + off, 4);
  return v;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    Pclntab tab(std::vector<uint8_t>(data, data + size), 0);
    uint64_t text = raw_u64(data, size, 24), nfunc = raw_u64(data, size, 8);
    uint64_t functab = raw_u64(data, size, 64);
    for (uint64_t i = 0; i < 16 && i <= nfunc; ++i) {
      uint64_t entry = text + raw_u32(data, size, functab + i * 8);
      for (uint64_t pc : {entry, entry + 1, entry + 17, entry - 1}) {
        auto fn = tab.function(pc);
        if (!fn) continue;
        if (fn->entry > pc) __builtin_trap();  // a function starting after the PC
        tab.sp_delta(*fn, pc);
        tab.file_line(*fn, pc);
      }
    }
  } catch (const Error&) {
  }
  return 0;
}
