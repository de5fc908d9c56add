// Renders a Go value from its bytes in gomapdbg's canonical Go-like syntax
// (documented in README, mirrored by testprogs/internal/truth):
//   42  -7  3.5  1e+06  (1+2i)  true  "quoted\n"
//   main.Point{X: 1, Y: 2}   {A: 1}   main.Celsius(36.6)
//   [1, 2, 3]   len 2 cap 4 [1, 2]   nil
//   map[string]int{"a": 1, "b": 2}   (entries sorted by rendered key)
//   (*main.Point)(0xc000012345)   &main.Point{...} with deref depth
//   int(42) for an interface holding an unnamed type, main.Point{...} for a named one
//   (chan int)(0xc00001e0c0 len 1 cap 4)   func(0x4a1234 main.handler)
//   sync.Mutex{locked, waiters: 2}   sync.RWMutex{readers: 3}   an atomic's value
//   (values/sync_primitives.h)
// What cannot be read renders as <unreadable ...> instead of failing the
// whole output. Caps bound every string, element list and nesting level.
#pragma once

#include <cstdint>
#include <string>

#include "memory/memory.h"
#include "types/go_type.h"
#include "values/text_sink.h"
#include "values/value_decoder.h"

namespace gomapdbg {

// A value decoded (value_decoder.h) into the text syntax (text_sink.h).
class ValueRenderer {
 public:
  // `binary` (may be null) resolves interfaces' dynamic types, function
  // names and nested maps' layouts.
  ValueRenderer(const Memory& memory, GoBinary* binary, RenderLimits limits = {})
      : memory_(memory), binary_(binary), limits_(limits) {}

  // Appends the rendering of a value of `type` stored at `bytes`, in at
  // most about limits().max_output bytes.
  void render(std::string& out, const GoType& type, const uint8_t* bytes) const {
    size_t budget = limits_.max_output == SIZE_MAX ? SIZE_MAX : out.size() + limits_.max_output;
    TextSink sink(out, budget);
    ValueDecoder(memory_, binary_, limits_, sink).decode(type, bytes);
  }
  const RenderLimits& limits() const { return limits_; }

 private:
  const Memory& memory_;
  GoBinary* binary_;
  RenderLimits limits_;
};

}  // namespace gomapdbg
