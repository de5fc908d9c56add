// Renders a Go value from its bytes in gomapdbg's canonical Go-like syntax
// (documented in README, mirrored by testprogs/internal/truth):
//   42  -7  3.5  1e+06  (1+2i)  true  "quoted\n"
//   main.Point{X: 1, Y: 2}   {A: 1}   main.Celsius(36.6)
//   [1, 2, 3]   len 2 cap 4 [1, 2]   nil
//   map[string]int{"a": 1, "b": 2}   (entries sorted by rendered key)
//   (*main.Point)(0xc000012345)   &main.Point{...} with deref depth
//   int(42) for an interface holding an unnamed type, main.Point{...} for a named one
//   (chan int)(0xc00001e0c0 len 1 cap 4)   func(0x4a1234 main.handler)
// What cannot be read renders as <unreadable ...> instead of failing the
// whole output. Caps bound every string, element list and nesting level.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "memory/memory.h"
#include "types/go_type.h"
#include "values/value_access.h"

namespace gomapdbg {

struct RenderLimits {
  size_t max_string = 1024;  // bytes of a string shown
  size_t max_elements = 64;  // elements of an array, slice or nested map shown
  int max_depth = 8;         // nesting of structs/arrays followed
  int deref_depth = 0;       // pointer levels followed (along each path), shown as &value
  // Bytes of one value's rendering: nested slices multiply (64 per level,
  // 8 levels), so depth and element caps alone do not bound the work.
  size_t max_output = 64 * 1024;
};

class GoBinary;

// True for a package-qualified type name (main.Point, time.Duration,
// main.Pair[int,string]) as opposed to a type literal (map[K]V, []T, *T).
bool is_named_type(const std::string& name);

class ValueRenderer {
 public:
  // `binary` (may be null) resolves interfaces' dynamic types, function
  // names and nested maps' layouts.
  ValueRenderer(const Memory& memory, GoBinary* binary, RenderLimits limits = {})
      : memory_(memory), binary_(binary), limits_(limits) {}

  // Appends the rendering of a value of `type` stored at `bytes`.
  void render(std::string& out, const GoType& type, const uint8_t* bytes, int depth = 0) const;

  // The canonical order of a nested map's entries: `texts` receives each
  // entry as "KEY: VALUE" and the result indexes them sorted by that text
  // (the JSON renderer shows the same entries in the same order, passing
  // the pointer levels it has followed so far as `derefs`).
  std::vector<size_t> sorted_entries(const MapSample& sample, int depth,
                                     std::vector<std::string>& texts, int derefs) const;
  // How many entries of a nested map are read to choose those shown.
  size_t map_sample_size() const;
  const RenderLimits& limits() const { return limits_; }

 private:
  void render_string(std::string& out, uint64_t data, uint64_t len) const;
  void render_elements(std::string& out, const GoType& elem, const uint8_t* bytes, uint64_t count,
                       int depth) const;
  void render_unnamed(std::string& out, const GoType& type, const uint8_t* p, int depth) const;
  void render_interface(std::string& out, const GoType& type, const uint8_t* p, int depth) const;
  void render_map(std::string& out, const GoType& type, uint64_t address, int depth) const;
  void render_pointer(std::string& out, const GoType& type, uint64_t address, int depth) const;

  const Memory& memory_;
  GoBinary* binary_;
  RenderLimits limits_;
  mutable int derefs_ = 0;                // pointers followed on the path being rendered
  mutable size_t budget_end_ = SIZE_MAX;  // out.size() at which this value's budget is spent
};

// Go's %v formatting of floats (shortest repr, exponent form below 1e-4 and
// from 1e+06 on).
std::string format_go_float(double value, int bits);

}  // namespace gomapdbg
