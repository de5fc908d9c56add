// The one walk over a Go value's bytes: reads what the value refers to
// (strings, slices, maps, pointers, interfaces, chans, funcs), applies the
// caps and emits the value's parts to a ValueSink. Text and JSON are two
// sinks over it (value_renderer.h, json_renderer.h), so a new kind or field
// is decoded here once and given a syntax in each sink.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "memory/memory.h"
#include "types/go_type.h"
#include "values/value_access.h"
#include "values/value_sink.h"

namespace gomapdbg {

struct RenderLimits {
  size_t max_string = 1024;     // bytes of a string shown
  size_t max_elements = 64;     // elements of an array, slice or nested map shown
  int max_depth = 8;            // nesting of structs/arrays followed
  bool stop_at_cycles = false;  // a map or slice inside itself is cut (unlimited depth)
  int deref_depth = 0;          // pointer levels followed (along each path), shown as &value
  // Bytes of one value's rendering: nested slices multiply (64 per level,
  // 8 levels), so depth and element caps alone do not bound the work.
  size_t max_output = 64 * 1024;
};

// The caps a user sets (--max-elements, --max-string, --max-depth) over the
// defaults, each 0 for unlimited. Unlimited still stops where one read
// does (kMaxReadSize bytes of a string or of a slice's elements, a nested
// map's sample), and unlimited depth stops at a map or slice that holds
// itself (shown cut, as past the depth cap) and at kMaxUnlimitedDepth
// levels, which keep the debugger's stack safe. An unlimited cap lifts the
// output budget, which only guards the default caps.
struct ValueCaps {
  std::optional<uint64_t> max_elements, max_string, max_depth;

  static constexpr int kMaxUnlimitedDepth = 1000;
  RenderLimits applied_to(RenderLimits limits) const;
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
      : memory_(memory),
        binary_(binary),
        limits_(limits),
        sink_(sink),
        derefs_(derefs),
        path_(own_path_) {}

  // Emits the value of `type` stored at `bytes`, `depth` levels down.
  void decode(const GoType& type, const uint8_t* bytes, int depth = 0);

 private:
  using Path = std::vector<std::pair<const GoType*, uint64_t>>;
  // A decoder of a nested map's entry text, continuing `parent`'s path.
  ValueDecoder(const ValueDecoder& parent, ValueSink& sink)
      : memory_(parent.memory_),
        binary_(parent.binary_),
        limits_(parent.limits_),
        sink_(sink),
        derefs_(parent.derefs_),
        path_(parent.path_) {}
  // Keeps a map or slice array on the path while it is decoded, when the
  // path is tracked (stop_at_cycles): the default caps never look at it.
  class OnPath {
   public:
    OnPath(Path& path, bool tracked, const GoType& type, uint64_t address)
        : path_(tracked ? &path : nullptr) {
      if (path_) path_->emplace_back(&type, address);
    }
    ~OnPath() {
      if (path_) path_->pop_back();
    }

   private:
    Path* path_;
  };

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
  // A sync.Mutex, RWMutex or sync/atomic value shown decoded; false for
  // other types (values/sync_primitives.cc).
  bool decode_sync_primitive(const GoType& type, const uint8_t* p, int depth);
  void decode_struct_fields(const GoType& type, const uint8_t* p, int depth);
  void decode_map(const GoType& type, uint64_t address, int depth);
  // sync.Map{KEY: VALUE, ...} (values/sync_map_value.cc).
  void decode_sync_map(const GoType& type, const uint8_t* p, int depth);
  // A map's sampled entries in canonical order, under the caps.
  void emit_map(const GoType& type, uint64_t address, const MapSample& sample, int depth);
  // An entry as "KEY: VALUE" in text syntax, `depth` levels down.
  std::string entry_text(const MapSample& sample, size_t index, int depth);
  // Entries' texts, made when needed.
  using EntryTexts = std::vector<std::optional<std::string>>;
  // The canonical order of a map's entries (indexes into `sample`): Go fmt's
  // order of their keys (values/key_order.h), then their texts, which
  // `texts` keeps of the entries it needed.
  std::vector<size_t> canonical_order(const MapSample& sample, int depth, EntryTexts& texts);
  // How many entries of a nested map are read to choose those shown.
  size_t map_sample_size() const;
  // Whether the map header or slice array at `address` is being decoded
  // further up this path (with RenderLimits::stop_at_cycles).
  bool on_path(const GoType& type, uint64_t address) const;

  const Memory& memory_;
  GoBinary* binary_;
  const RenderLimits& limits_;
  ValueSink& sink_;
  int derefs_;  // pointers followed on the path being decoded
  // Maps and slice arrays being decoded on this path (stop_at_cycles),
  // shared with the decoders of a nested map's entry texts.
  Path& path_;
  Path own_path_;
};

}  // namespace gomapdbg
