// Map keys in the order Go's fmt prints them (internal/fmtsort): numbers by
// value with NaN first, strings by their bytes, false before true, pointers
// and chans by address, structs and arrays field by field, interfaces nil
// first, then by dynamic type (its descriptor's address), then by value.
// `go print`, nested maps and GDB's pretty-printer all list entries so.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <vector>

#include "memory/memory.h"
#include "types/go_type.h"

namespace gomapdbg {

class GoBinary;

// One value fmtsort compares: a number (integers, floats and addresses,
// each mapped onto uint64_t in its order) or a string's bytes.
struct KeyPart {
  uint64_t number = 0;
  std::string bytes;
  auto operator<=>(const KeyPart&) const = default;
};
// One key flattened into the values fmtsort compares, in its order: two keys
// of one type compare as fmtsort compares them when their parts compare
// lexicographically.
using SortKey = std::vector<KeyPart>;

// The sort key of the key of `type` stored at `bytes`. `binary` (may be
// null) resolves interfaces' dynamic types; what cannot be read adds no
// parts, and such keys are ordered by their text instead.
SortKey fmt_sort_key(const Memory& memory, GoBinary* binary, const GoType& type,
                     const uint8_t* bytes);

}  // namespace gomapdbg
