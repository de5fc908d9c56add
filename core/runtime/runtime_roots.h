// The runtime's global roots: runtime.allgs (every g ever created),
// runtime.allm (every M) and moduledata.gofunc (base of funcdata, which the
// inline tree needs). From ELF symbols when present; stripped binaries are
// searched (allgs: the slice in .bss whose first g is goroutine 1 started at
// runtime.main; gofunc: from moduledata, binary/module_data.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "memory/memory.h"

namespace gomapdbg {

class GoBinary;
struct RuntimeLayout;

// Upper bound on goroutines read from allgs: a corrupt length ends here.
inline constexpr uint64_t kMaxGoroutines = 10'000'000;
// Upper bound on Ms followed through m.alllink (the runtime's own limit is 10000).
inline constexpr uint64_t kMaxMs = 100'000;

struct AllGs {
  std::vector<uint64_t> gs;  // g addresses, in allgs order
  bool found_by_search = false;
  std::vector<std::string> warnings;  // what was wrong with allgs and what was read instead
};

// Throws NotFoundError when neither the symbol nor the search finds allgs,
// MemoryError when its header is unreadable. An absurd length (both
// allgs.len and allglen) is not fatal: the entries are read up to the
// slice's capacity, or up to the first nil or unreadable one, with a warning.
AllGs read_allgs(GoBinary& binary, const RuntimeLayout& layout, const Memory& memory);
// The Ms through runtime.allm; empty when the symbol is missing (stripped).
std::vector<uint64_t> read_allm(GoBinary& binary, const RuntimeLayout& layout,
                                const Memory& memory);

}  // namespace gomapdbg
