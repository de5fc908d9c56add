#include "maps/hash_home.h"

#include <vector>

namespace gomapdbg {

namespace {

// The low 7 bits of a swiss hash are H2 (the ctrl byte); the rest, H1, picks groups.
constexpr int kSwissH2Bits = 7;

std::optional<std::vector<uint8_t>> header(const Memory& memory, uint64_t map, uint64_t size) {
  std::vector<uint8_t> h(size);
  if (memory.read_prefix(map, h.data(), size) != size) return std::nullopt;
  return h;
}

}  // namespace

uint64_t map_hash_seed(const Memory& memory, const MapLayout& layout, uint64_t map) {
  if (layout.family == MapFamily::Classic) {
    uint32_t hash0 = 0;
    memory.read_prefix(map + layout.classic.hash0, &hash0, 4);
    return hash0;
  }
  uint64_t seed = 0;
  memory.read_prefix(map + layout.swiss.seed, &seed, 8);
  return seed;
}

std::optional<HashHome> hash_home(const Memory& memory, const MapLayout& layout, uint64_t map,
                                  uint64_t hash) {
  if (layout.family == MapFamily::Classic) {
    const ClassicLayout& c = layout.classic;
    auto h = header(memory, map, c.header_size);
    if (!h) return std::nullopt;
    uint8_t b = (*h)[c.log2_buckets];
    if (b >= 64) return std::nullopt;
    return HashHome{0, hash & ((uint64_t{1} << b) - 1)};
  }
  const SwissLayout& s = layout.swiss;
  auto h = header(memory, map, s.header_size);
  if (!h) return std::nullopt;
  int64_t dir_len = load<int64_t>(&(*h)[s.dir_len]);
  if (dir_len == 0) return HashHome{0, 0};  // small map: one group
  if (dir_len < 0) return std::nullopt;
  uint8_t shift = (*h)[s.global_shift];
  uint64_t entry = dir_len == 1 ? 0 : hash >> (shift & 63);
  if (entry >= static_cast<uint64_t>(dir_len)) return std::nullopt;
  uint64_t table = 0;
  uint64_t dir_ptr = load<uint64_t>(&(*h)[s.dir_ptr]);
  if (memory.read_prefix(dir_ptr + 8 * entry, &table, 8) != 8 || !table) return std::nullopt;
  uint64_t mask = 0;
  if (memory.read_prefix(table + s.table_groups_mask, &mask, 8) != 8) return std::nullopt;
  return HashHome{table, (hash >> kSwissH2Bits) & mask};
}

}  // namespace gomapdbg
