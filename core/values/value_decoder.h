// The one walk over a Go value's bytes: reads what the value refers to
// (strings, slices, maps, pointers, interfaces, chans, funcs), applies the
// caps and emits the value's parts to a ValueSink. Text and JSON are two
// sinks over it (value_renderer.h, json_renderer.h), so a new kind or field
// is decoded here once and given a syntax in each sink.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "memory/memory.h"
#include "types/go_type.h"
#include "values/value_access.h"
#include "values/value_sink.h"

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

class ValueDecoder {
 public:
  // `binary` (may be null) resolves interfaces' dynamic types, function
  // names and nested maps' layouts. `derefs`: pointer levels already
  // followed on the path to the value.
  ValueDecoder(const Memory& memory, GoBinary* binary, const RenderLimits& limits, ValueSink& sink,
               int derefs = 0)
      : memory_(memory), binary_(binary), limits_(limits), sink_(sink), derefs_(derefs) {}

  // Emits the value of `type` stored at `bytes`, `depth` levels down.
  void decode(const GoType& type, const uint8_t* bytes, int depth = 0);

 private:
  void decode_kind(const GoType& type, const uint8_t* p, int depth);
  void decode_complex(const GoType& type, const uint8_t* p);
  void decode_string(uint64_t data, uint64_t len);
  void decode_pointer(const GoType& type, uint64_t address, int depth);
  void decode_chan(const GoType& type, uint64_t address);
  void decode_func(uint64_t funcval);
  void decode_interface(const GoType& type, const uint8_t* p, int depth);
  void decode_array(const GoType& type, const uint8_t* p, int depth);
  void decode_slice(const GoType& type, const uint8_t* p, int depth);
  void decode_elements(const Sequence& seq, const GoType& elem, const uint8_t* bytes, int depth);
  void decode_struct(const GoType& type, const uint8_t* p, int depth);
  void decode_map(const GoType& type, uint64_t address, int depth);
  // The canonical order of a map's entries: `texts` receives each entry as
  // "KEY: VALUE" in text syntax and the result indexes them sorted by it.
  std::vector<size_t> canonical_order(const MapSample& sample, int depth,
                                      std::vector<std::string>& texts);
  // How many entries of a nested map are read to choose those shown.
  size_t map_sample_size() const;

  const Memory& memory_;
  GoBinary* binary_;
  const RenderLimits& limits_;
  ValueSink& sink_;
  int derefs_;  // pointers followed on the path being decoded
};

}  // namespace gomapdbg
