// DWARF location expressions (binary/dwarf_location.cc) as Go writes them
// (DW_FORM_block1 bytes). Input: 8 bytes of CFA, 1 byte of value size, then
// the expression; memory is a small synthetic stack around the CFA.
#include <cstring>

#include "binary/dwarf_location.h"
#include "errors.h"
#include "fuzz_input.h"

using namespace gomapdbg;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 9) return 0;
  test::SyntheticMemory stack;
  constexpr uint64_t kStack = 0xc000100000;
  stack.map(kStack, 0x2000);
  FrameState frame;
  std::memcpy(&frame.cfa, data, 8);
  frame.pc = 0x401000;
  for (size_t i = 0; i < frame.registers.size(); i += 2) frame.registers[i] = kStack + 0x100 * i;
  uint64_t value_size = data[8];
  Memory memory(stack);
  std::string why;
  try {
    auto location = evaluate_location_block(data + 9, size - 9, frame, value_size, memory, why);
    if (location && !location->address && location->bytes.size() != value_size) __builtin_trap();
  } catch (const Error&) {
  }
  return 0;
}
