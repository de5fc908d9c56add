// The body both map-walker targets share: walk the map at the first region
// with a layout of the menu, rendering entries as `go map` does.
#pragma once

#include <array>
#include <string>

#include "errors.h"
#include "fuzz_input.h"
#include "maps/map_walker.h"
#include "values/value_renderer.h"

namespace gomapdbg::fuzz {

// The walk visits every entry up to kMaxShown; the first kRendered of them
// are rendered. Each entry goes through the same slot and render code, and
// the fuzzer decides which bytes the first slots hold, so rendering all of a
// seed's 1000 entries would only repeat that code (the value_renderer target
// covers the renderer on its own).
inline constexpr uint64_t kMaxShown = 4096;
inline constexpr uint64_t kRendered = 16;

using MakeLayout = MapLayout (*)(const GoType* key, const GoType* value, bool indirect_key,
                                 bool indirect_value);

// One instantiation per layout function: each has its own static layouts.
template <MakeLayout make_layout>
int fuzz_map(const uint8_t* data, size_t size) {
  // The layouts (trusted, from DWARF in the product) are built once.
  static const auto layouts = [] {
    std::array<MapLayout, Menu::kEntries> out;
    for (size_t i = 0; i < out.size(); ++i) {
      const KeyValue& kv = Menu::get()[static_cast<uint8_t>(i)];
      out[i] = make_layout(kv.key, kv.value, kv.indirect_key, kv.indirect_value);
    }
    return out;
  }();
  Image image;
  if (!parse_image(data, size, image)) return 0;
  const MapLayout& layout = layouts[image.selector % layouts.size()];
  Memory memory(image.memory);
  // Small limits keep each execution fast; the bounds are the same code.
  ValueRenderer renderer(memory, nullptr, RenderLimits{64, 8, 4});
  try {
    auto walker = make_map_walker(memory, layout, image.first);
    std::string text;
    for (const auto& f : walker->header().fields) text += f.name + "=" + f.value;
    uint64_t shown = 0;
    WalkStats stats = walker->walk([&](const uint8_t* key, const uint8_t* value) {
      if (!key || !value) __builtin_trap();  // a slot the walker could not resolve
      if (shown < kRendered) {
        text.clear();
        renderer.render(text, *layout.key, key);
        renderer.render(text, *layout.value, value);
        if (text.empty()) __builtin_trap();
      }
      return ++shown < kMaxShown;
    });
    if (stats.entries != shown) __builtin_trap();                 // the walker miscounts
    if (stats.stopped != (shown == kMaxShown)) __builtin_trap();  // a stop was lost or invented
  } catch (const Error&) {
    // A corrupt header is reported as an error: fine.
  }
  return 0;
}

}  // namespace gomapdbg::fuzz
