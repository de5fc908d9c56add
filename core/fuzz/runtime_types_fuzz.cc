// Runtime type descriptors (types/runtime_types.cc), the dynamic types of
// interface values, and the value an interface holds (values/value_access.cc)
// rendered with the decoded type; a decoded map type is laid out from its
// descriptor and the header tables (maps/map_header_types.cc) and walked by
// the renderer. Input: a memory image (fuzz_input.h) whose first region
// holds three words, as an interface in a real process gives them:
// moduledata.types (the base of name offsets), the descriptor's address (the
// interface's type word) and the data word; two more words, when there, are
// a moduledata.typelinks slice (data, len) for types/type_links.cc (go1.27:
// the length is typedesclen, the descriptor region from moduledata.types).
// The selector's low 3 bits and bit 5 pick the Go version (go1.19 + n + 8
// for bit 5: the direct-iface flag moved in go1.26, the map descriptor and
// moduledata in go1.27), bit 3 a tight render budget, bit 4 swiss maps.
#include <string>

#include "errors.h"
#include "fuzz_input.h"
#include "maps/map_header_types.h"
#include "types/runtime_types.h"
#include "types/type_links.h"
#include "values/value_access.h"
#include "values/value_renderer.h"

using namespace gomapdbg;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::Image image;
  if (!fuzz::parse_image(data, size, image)) return 0;
  uint64_t words[5] = {};
  size_t got = image.memory.read(image.first, words, sizeof words);
  if (got < 24) return 0;
  const auto [types_base, descriptor, data_word, links, links_len] = words;
  Memory memory(image.memory);
  MapFamily family = image.selector & 0x10 ? MapFamily::Swiss : MapFamily::Classic;
  GoVersion version{1, 19 + (image.selector & 7) + (image.selector & 0x20 ? 8 : 0), 0};
  RuntimeTypes types(types_base, version, std::make_unique<MapHeaderTypes>(version, family));
  if (got == sizeof words) {
    // A few typelinks entries (or a go1.27 descriptor region), searched for
    // the descriptor's own name.
    ModuleData module{0, false, types_base, types_base + (1 << 20), 0, {links, links_len % 64}, {}};
    if (version.at_least(1, 27)) {
      module.typelinks = {};
      module.typedesclen = links_len % 4096;
    }
    TypeLinks by_name(module, types, memory);
    if (const GoType* t = types.decode(descriptor, memory)) (void)by_name.find(t->name);
  }
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
