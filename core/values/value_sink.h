// The parts of a decoded Go value, as the one decoder (value_decoder.h)
// emits them and each syntax (text_sink.h, json_sink.h) writes them. The
// decoder reads memory and applies the caps; a sink only chooses syntax.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "types/go_type.h"
#include "values/sync_primitives.h"
#include "values/value_access.h"

namespace gomapdbg {

// Why a shape-typed pointer is not followed.
inline constexpr const char* kShapeUnresolved = "its generic function's dictionary was not found";

// What could not be shown, and the words that say where it was.
struct Unreadable {
  enum class Reason {
    String,            // a string's bytes: address, len
    SliceElements,     // a slice's elements: address, len, cap
    SliceElementType,  // a slice whose element type is unknown: len, cap
    ArrayElementType,  // an array whose element type is unknown
    Interface,         // an interface's dynamic type or value: address (type word), data
    InterfaceType,     // an interface decoded without a binary: type, address, data
    Func,              // a func value's code pointer: address (the funcval)
    Pointee,           // the value a followed pointer points to: type, address
    ShapePointee,      // what a pointer of a shape type points to: type (the shape), address
    Map,               // a map's layout or header: type, address, error
    Kind,              // a kind no decoder handles: type
  };
  Reason reason;
  const GoType* type = nullptr;
  uint64_t address = 0, data = 0, len = 0, cap = 0;
  std::string_view error;
};

// An array (len) or slice (len, cap) of which the first `shown` elements
// are decoded (fewer when the sink's output budget runs out).
struct Sequence {
  bool slice = false;
  uint64_t len = 0, cap = 0, shown = 0;
};

// Where a sink stood when a part opened: the decoder hands it back to the
// part's closing event, so a sink keeps no stack (decoding allocates nothing
// per node).
struct SinkMark {
  size_t position = 0;  // output size when the part opened
  size_t origin = 0;    // the sink's budget origin then (text)
};

class ValueSink {
 public:
  virtual ~ValueSink() = default;

  virtual void boolean(bool value) = 0;
  virtual void signed_integer(int64_t value) = 0;
  virtual void unsigned_integer(uint64_t value) = 0;
  virtual void floating(double value, int bits) = 0;
  virtual void complex(double real, double imag, int bits) = 0;
  // `shown`: the first bytes of a string of `len` bytes.
  virtual void string(std::string_view shown, uint64_t len) = 0;
  virtual void nil() = 0;
  virtual void unsafe_pointer(uint64_t address) = 0;
  // A non-nil pointer not followed.
  virtual void pointer(const GoType& type, uint64_t address) = 0;
  virtual void chan(const GoType& type, uint64_t address, std::optional<ChanCounts> counts) = 0;
  // `name`: the function's, when a binary names it.
  virtual void func(uint64_t pc, const std::string* name) = 0;
  virtual void unreadable(const Unreadable& what) = 0;
  virtual void too_deep() = 0;  // nested past RenderLimits::max_depth
  // A sync.Mutex or sync.RWMutex of type `type`, its state decoded.
  virtual void mutex(const GoType& type, const MutexState& state) = 0;
  virtual void rwmutex(const GoType& type, const RWMutexState& state) = 0;
  virtual void over_budget() = 0;  // the output budget is spent (see spent())

  // A named type's value, between these (text shows the name).
  virtual SinkMark begin_named(const GoType& type) = 0;
  virtual void end_named(const GoType& type, const SinkMark& mark) = 0;
  // A pointer followed to the value at `address`.
  virtual void begin_deref(uint64_t address) = 0;
  virtual void end_deref() = 0;
  // An interface's dynamic value, of type `dynamic`.
  virtual SinkMark begin_interface(const GoType& dynamic) = 0;
  virtual void end_interface(const GoType& dynamic, const SinkMark& mark) = 0;
  // Drops what was written since `mark` (a dynamic value that failed half way).
  virtual void rewind(const SinkMark& mark) = 0;

  virtual void begin_struct() = 0;
  // Before each field's value; `blank`: the field's ordinal among the
  // struct's blank (_) fields, 0 for a named one.
  virtual void field(std::string_view name, bool first, int blank) = 0;
  virtual void end_struct() = 0;

  virtual void begin_sequence(const Sequence& seq) = 0;
  virtual void element(uint64_t index) = 0;  // before each element's value
  // `decoded`: elements decoded, at most seq.shown.
  virtual void end_sequence(const Sequence& seq, uint64_t decoded) = 0;

  // A map of `count` entries (as its header says); the entries shown follow
  // in canonical order, each either as a text of its own (entry_text) or
  // decoded between begin_entry and end_entry.
  virtual void begin_map(const GoType& type, uint64_t address, uint64_t count) = 0;
  // The entry's canonical text ("KEY: VALUE"): true when the sink writes it
  // as it is, false when the entry is to be decoded into it.
  virtual bool entry_text(uint64_t index, std::string_view text) = 0;
  virtual SinkMark begin_entry(uint64_t index) = 0;
  virtual void entry_value() = 0;  // between an entry's key and its value
  virtual void end_entry(const SinkMark& mark) = 0;
  virtual void end_map(uint64_t shown, uint64_t count) = 0;

  // Whether the value has written its output budget (RenderLimits::max_output):
  // the decoder then stops nesting and listing.
  virtual bool spent() const = 0;
  // The output size at which the budget is spent (SIZE_MAX: no budget);
  // nested maps' entries are ordered by their texts under it.
  virtual size_t budget_end() const = 0;
};

}  // namespace gomapdbg
