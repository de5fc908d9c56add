// Runtime type descriptors (types/runtime_types.cc), the dynamic types of
// interface values, and the value an interface holds (values/value_access.cc)
// rendered with the decoded type. Input: a memory image (fuzz_input.h)
// whose first region holds three words, as an interface in a real process
// gives them: moduledata.types (the base of name offsets), the descriptor's
// address (the interface's type word) and the data word. The selector's low
// 3 bits pick the Go version (go1.19 + n: the direct-iface flag moved in
// go1.26), bit 3 a tight render budget.
#include <string>

#include "errors.h"
#include "fuzz_input.h"
#include "types/runtime_types.h"
#include "values/value_access.h"
#include "values/value_renderer.h"

using namespace gomapdbg;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::Image image;
  if (!fuzz::parse_image(data, size, image)) return 0;
  uint64_t words[3] = {};
  if (image.memory.read(image.first, words, sizeof words) < sizeof words) return 0;
  const auto [types_base, descriptor, data_word] = words;
  Memory memory(image.memory);
  RuntimeTypes types(types_base, GoVersion{1, 19 + (image.selector & 7), 0});
  const GoType* type = types.decode(descriptor, memory);
  if (!type) return 0;
  RenderLimits limits;
  limits.max_output = 4096;
  if (image.selector & 0x8) limits = RenderLimits{16, 4, 3, 0, 4096};
  try {
    bool direct = types.direct_iface(descriptor, memory);
    if (type->kind == GoKind::Invalid) return 0;
    DynamicValue value = read_dynamic_value(memory, type, direct, data_word);
    std::string out;
    ValueRenderer(memory, nullptr, limits).render(out, *value.type, value.bytes.data());
    if (out.empty()) __builtin_trap();  // every value renders as something
  } catch (const Error&) {
    // an unreadable descriptor or value is reported, not a crash
  }
  return 0;
}
