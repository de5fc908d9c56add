// Renders a Go value from its bytes in Go-like syntax: 42, "text", {A: 1},
// [1, 2], nil. What cannot be read renders as <unreadable ADDRESS> instead
// of failing the whole output. Caps bound every string, element list and
// nesting level.
#pragma once

#include <string>

#include "memory/memory.h"
#include "types/go_type.h"

namespace gomapdbg {

struct RenderLimits {
  size_t max_string = 1024;  // bytes of a string shown
  size_t max_elements = 64;  // elements of an array or slice shown
  int max_depth = 8;         // nesting of structs/arrays followed
  // Bytes of one value's rendering: nested slices multiply (64 per level,
  // 8 levels), so depth and element caps alone do not bound the work.
  size_t max_output = 64 * 1024;
};

class ValueRenderer {
 public:
  ValueRenderer(const Memory& memory, RenderLimits limits = {})
      : memory_(memory), limits_(limits) {}

  // Appends the rendering of a value of `type` stored at `bytes`.
  void render(std::string& out, const GoType& type, const uint8_t* bytes, int depth = 0) const;

 private:
  void render_string(std::string& out, uint64_t data, uint64_t len) const;
  // Renders up to `count` elements at `bytes`; "...+N" counts the rest of
  // `total` (when larger: the elements of a slice not read).
  void render_elements(std::string& out, const GoType& elem, const uint8_t* bytes, uint64_t count,
                       int depth, uint64_t total = 0) const;

  bool over_budget(const std::string& out) const { return out.size() >= budget_end_; }

  const Memory& memory_;
  RenderLimits limits_;
  mutable size_t budget_end_ = 0;  // out.size() at which this value's budget is spent
};

// Go's %v formatting of floats (shortest repr, exponent form below 1e-4 and
// from 1e+06 on).
std::string format_go_float(double value, int bits);

}  // namespace gomapdbg
