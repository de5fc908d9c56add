// Reading the parts of Go values that the text and JSON renderers share:
// the words of slices, interfaces, chans and funcs, the dynamic value behind
// an interface and a sample of a map's entries. Both renderers go through
// these, so they always show the same thing in two syntaxes.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "abi/go_headers.h"
#include "memory/memory.h"
#include "types/go_type.h"

namespace gomapdbg {

class GoBinary;

// A sign-extended integer of 1, 2, 4 or 8 bytes.
int64_t load_int(const uint8_t* p, size_t size);

// Whether an interface type is empty (eface) rather than an iface, by its
// DWARF shape.
bool is_empty_interface(const GoType& type);
// The runtime type descriptor of a non-nil interface value whose first word
// is `first_word` (the type itself, or an itab).
uint64_t interface_descriptor(const Memory& memory, const GoType& type, uint64_t first_word);

// How many of a slice's `len` elements the renderers read at once: at most
// `max_elements`, and no more than kMaxReadSize bytes of them (a slice of
// huge arrays, or a damaged element type, shows fewer).
inline uint64_t slice_elements_shown(uint64_t len, const GoType& elem, uint64_t max_elements) {
  uint64_t shown = std::min(len, max_elements);
  return elem.size ? std::min<uint64_t>(shown, kMaxReadSize / elem.size) : shown;
}

struct DynamicValue {
  const GoType* type = nullptr;
  std::vector<uint8_t> bytes;
};

// The dynamic type and value of the non-nil interface at `p` (type word
// non-zero); throws Error when the descriptor or the data is unreadable.
DynamicValue read_interface(const Memory& memory, GoBinary& binary, const GoType& type,
                            const uint8_t* p);
// The value of dynamic type `type` that an interface's data word holds: the
// word itself when the type is stored direct (`direct`), else the bytes it
// points to. Throws MemoryError for an unreadable value or a type larger
// than kMaxDynamicValue (a damaged descriptor's size).
inline constexpr uint64_t kMaxDynamicValue = uint64_t{16} << 20;
DynamicValue read_dynamic_value(const Memory& memory, const GoType* type, bool direct,
                                uint64_t data);

struct ChanCounts {
  uint64_t len = 0, cap = 0;
};
// len and cap of the channel whose runtime.hchan is at `hchan`, if readable.
std::optional<ChanCounts> read_chan_counts(const Memory& memory, uint64_t hchan);

// The code pointer of the func value at `funcval`, if readable.
std::optional<uint64_t> read_func_pc(const Memory& memory, uint64_t funcval);

struct MapEntryBytes {
  std::vector<uint8_t> key, value;
};
struct MapSample {
  const GoType* key = nullptr;
  const GoType* value = nullptr;
  uint64_t count = 0;  // len(m) as the header says
  std::vector<MapEntryBytes> entries;
};
// The first `max_entries` entries of the non-nil map at `address`, in
// storage order; throws Error when the type has no layout or the header is
// unreadable.
MapSample sample_map(const Memory& memory, const GoType& type, uint64_t address,
                     size_t max_entries);

}  // namespace gomapdbg
