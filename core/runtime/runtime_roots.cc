#include "runtime/runtime_roots.h"

#include <unordered_set>

#include "abi/go_headers.h"
#include "errors.h"
#include "program/go_binary.h"
#include "runtime/runtime_layout.h"

namespace gomapdbg {

namespace {

// True when g is goroutine 1 started at runtime.main: allgs[0] in every Go
// program (newproc for runtime.main is the first allgadd).
bool is_main_goroutine(const Memory& memory, const RuntimeLayout& layout, uint64_t g,
                       uint64_t main_entry) {
  if (!g || g % 8) return false;
  uint64_t goid = 0, startpc = 0;
  if (memory.read_prefix(g + layout.g.goid, &goid, 8) != 8) return false;
  if (memory.read_prefix(g + layout.g.startpc, &startpc, 8) != 8) return false;
  return goid == 1 && startpc == main_entry;
}

// Up to `len` pointers at `ptr`, read 4096 at a time up to the first
// unreadable byte: a damaged length within kMaxGoroutines must not cost an
// 80 MB allocation before the first read fails. Sets `short_read` when fewer
// than `len` were readable.
std::vector<uint64_t> read_slice(const Memory& memory, uint64_t ptr, uint64_t len,
                                 bool* short_read = nullptr) {
  std::vector<uint64_t> out;
  constexpr uint64_t kChunk = 4096;
  while (out.size() < len) {
    size_t want = std::min<uint64_t>(kChunk, len - out.size());
    size_t at = out.size();
    out.resize(at + want);
    size_t got = memory.read_prefix(ptr + at * 8, &out[at], want * 8) / 8;
    if (got < want) {
      out.resize(at + got);
      break;
    }
  }
  if (out.size() < len && !short_read)
    throw MemoryError("unreadable entry " + std::to_string(out.size()) + " of the slice at " +
                      hex(ptr));
  if (short_read) *short_read = out.size() < len;
  return out;
}

std::optional<AllGs> search_allgs(GoBinary& binary, const RuntimeLayout& layout,
                                  const Memory& memory) {
  const Pclntab* tab = binary.pclntab();
  if (!tab) return std::nullopt;
  auto main_entry = tab->entry_of("runtime.main");
  if (!main_entry) return std::nullopt;
  for (const char* name : {".bss", ".data", ".noptrbss"}) {
    const ElfSection* section = binary.image().section(name);
    if (!section || section->size < kSliceSize || section->size > (uint64_t{64} << 20)) continue;
    std::vector<uint64_t> words(section->size / 8);
    size_t got = memory.read_prefix(section->address, words.data(), words.size() * 8) / 8;
    for (size_t i = 0; i + 2 < got; ++i) {
      auto [ptr, len, cap] = load_slice(reinterpret_cast<const uint8_t*>(&words[i]));
      if (!ptr || ptr % 8 || !len || len > cap || cap > kMaxGoroutines) continue;
      uint64_t first = 0;
      if (memory.read_prefix(ptr, &first, 8) != 8) continue;
      if (!is_main_goroutine(memory, layout, first, *main_entry)) continue;
      return AllGs{read_slice(memory, ptr, len), true, {}};
    }
  }
  return std::nullopt;
}

}  // namespace

AllGs read_allgs(GoBinary& binary, const RuntimeLayout& layout, const Memory& memory) {
  if (auto sym = binary.image().symbol("runtime.allgs")) {
    auto [ptr, len, cap] = read_slice_header(memory, sym->address);
    std::optional<uint64_t> glen;
    if (auto g = binary.image().symbol("runtime.allglen")) {
      uint64_t v = 0;
      if (memory.read_prefix(g->address, &v, 8) == 8) glen = v;
    }
    // The runtime keeps len <= cap and publishes allglen last (allglen <= len).
    bool cap_ok = cap <= kMaxGoroutines;
    auto plausible = [&](uint64_t n) { return n <= kMaxGoroutines && (!cap_ok || n <= cap); };
    AllGs out;
    if (plausible(len) && (!glen || plausible(*glen))) {
      uint64_t n = glen ? std::min(len, *glen) : len;
      bool short_read = false;
      out.gs = read_slice(memory, ptr, n, &short_read);
      if (short_read)
        out.warnings.push_back("runtime.allgs lists " + std::to_string(n) +
                               " goroutines but only " + std::to_string(out.gs.size()) +
                               " entries at " + hex(ptr) + " are readable");
      return out;
    }
    std::string what = "runtime.allgs has an absurd length: len " + std::to_string(len) +
                       (glen ? ", allglen " + std::to_string(*glen) : "") + ", cap " +
                       std::to_string(cap);
    if (plausible(len) || (glen && plausible(*glen))) {
      uint64_t n = plausible(len) ? len : *glen;
      bool short_read = false;
      out.gs = read_slice(memory, ptr, n, &short_read);
      out.warnings.push_back(
          what + "; read the " + std::to_string(n) + " entries the other gives" +
          (short_read ? " (" + std::to_string(out.gs.size()) + " readable)" : ""));
      return out;
    }
    // Both lengths are garbage: entries past len are nil in a live slice,
    // so read up to the first nil or unreadable entry (within cap if sane).
    uint64_t limit = cap_ok ? cap : kMaxGoroutines;
    std::vector<uint64_t> chunk(4096);
    bool stopped = false;
    while (!stopped && out.gs.size() < limit) {
      size_t want = std::min<uint64_t>(chunk.size(), limit - out.gs.size());
      size_t got = memory.read_prefix(ptr + out.gs.size() * 8, chunk.data(), want * 8) / 8;
      for (size_t i = 0; i < got && !stopped; ++i) {
        if (!chunk[i])
          stopped = true;
        else
          out.gs.push_back(chunk[i]);
      }
      if (got < want) stopped = true;
    }
    out.warnings.push_back(what + "; read " + std::to_string(out.gs.size()) +
                           " entries, up to the first nil or unreadable one");
    return out;
  }
  if (auto found = search_allgs(binary, layout, memory)) return *found;
  throw NotFoundError(
      "cannot find runtime.allgs: no symbol (stripped binary) and no slice in .bss "
      "starts with goroutine 1 at runtime.main");
}

std::vector<uint64_t> read_allm(GoBinary& binary, const RuntimeLayout& layout,
                                const Memory& memory) {
  std::vector<uint64_t> out;
  auto sym = binary.image().symbol("runtime.allm");
  if (!sym) return out;
  std::unordered_set<uint64_t> seen;
  uint64_t m = 0;
  if (memory.read_prefix(sym->address, &m, 8) != 8) return out;
  while (m && out.size() < kMaxMs && seen.insert(m).second) {
    out.push_back(m);
    if (memory.read_prefix(m + layout.m.alllink, &m, 8) != 8) break;
  }
  return out;
}

}  // namespace gomapdbg
