// The body both map-walker targets share: walk the map at the first region
// with a layout of the menu, rendering every entry as `go map` does.
#pragma once

#include <string>

#include "errors.h"
#include "fuzz_input.h"
#include "maps/map_walker.h"
#include "values/value_renderer.h"

namespace gomapdbg::fuzz {

template <typename MakeLayout>
int fuzz_map(const uint8_t* data, size_t size, MakeLayout make_layout) {
  Image image;
  if (!parse_image(data, size, image)) return 0;
  test::TypeArena types;
  KeyValue kv = menu(types, image.selector);
  MapLayout layout = make_layout(kv.key, kv.value, kv.indirect_key, kv.indirect_value);
  Memory memory(image.memory);
  // Small limits keep each execution fast; the bounds are the same code.
  ValueRenderer renderer(memory, nullptr, RenderLimits{64, 8, 4});
  try {
    auto walker = make_map_walker(memory, layout, image.first);
    std::string text;
    for (const auto& f : walker->header().fields) text += f.name + "=" + f.value;
    uint64_t shown = 0;
    WalkStats stats = walker->walk([&](const uint8_t* key, const uint8_t* value) {
      text.clear();
      renderer.render(text, *layout.key, key);
      renderer.render(text, *layout.value, value);
      return ++shown < 4096;
    });
    if (stats.entries < shown) __builtin_trap();  // the walker miscounts
  } catch (const Error&) {
    // A corrupt header is reported as an error: fine.
  }
  return 0;
}

}  // namespace gomapdbg::fuzz
