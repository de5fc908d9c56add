// Value decoder and its text sink (values/value_decoder.cc, text_sink.cc) and strconv.Quote
// (values/go_quote.cc). Input: a memory image (fuzz_input.h) whose first
// region holds the value; the selector picks its type (low 3 bits: the menu's
// key, next bit: the value instead; 0x10: a recursive slice type S []S) and
// the top bits the limits. The rest of the first region is also quoted.
#include <string>
#include <string_view>

#include "errors.h"
#include "fuzz_input.h"
#include "values/go_quote.h"
#include "values/value_renderer.h"

using namespace gomapdbg;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The types are trusted input, built once.
  static const GoType* recursive = [] {
    // type S []S: a legal Go type whose rendering only the limits stop.
    test::TypeArena& types = fuzz::Menu::get().arena();
    auto* s = const_cast<GoType*>(types.slice(types.int_()));
    s->name = "main.S";
    s->elem = s;
    return s;
  }();
  fuzz::Image image;
  if (!fuzz::parse_image(data, size, image)) return 0;
  const fuzz::KeyValue& kv = fuzz::Menu::get()[image.selector];
  const GoType* type = image.selector & 0x8 ? kv.value : kv.key;
  if (image.selector & 0x10) type = recursive;
  // The output budget is 4 KiB, not the product's 64 KiB: the cut is the
  // same code, and a value that fills 64 KiB (nested slices) made each such
  // execution 16 times as long (the unit tests render the product's budget).
  RenderLimits limits;
  limits.max_output = 4096;
  if (image.selector & 0x20) limits = RenderLimits{16, 4, 3, 0, 4096};
  if (image.selector & 0x40) limits.max_depth = 64;
  Memory memory(image.memory);
  ValueRenderer renderer(memory, nullptr, limits);
  std::vector<uint8_t> value(type->size);
  size_t got = image.memory.read(image.first, value.data(), value.size());
  if (got < value.size()) return 0;
  std::string out;
  renderer.render(out, *type, value.data());

  // Quoting: the output is ASCII-safe or valid UTF-8 between two quotes.
  std::vector<uint8_t> raw(std::min<size_t>(size, 4096));
  size_t n = image.memory.read(image.first, raw.data(), raw.size());
  std::string quoted;
  append_go_quoted(quoted, std::string_view(reinterpret_cast<const char*>(raw.data()), n));
  if (quoted.size() < 2 || quoted.front() != '"' || quoted.back() != '"') __builtin_trap();
  for (unsigned char c : quoted)
    if (c < 0x20 || c == 0x7f) __builtin_trap();  // a control byte escaped the quoting
  return 0;
}
