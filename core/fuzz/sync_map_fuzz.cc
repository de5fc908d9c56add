// sync.Map walker (maps/sync_map.cc) on an arbitrary address space: the
// selector's low bit picks the hash trie (go1.24+) or the read/dirty maps
// (go1.20–1.23), laid out as tests/sync_map_image.h builds them; the first
// region holds the sync.Map itself. Walks its entries, then its structure.
#include "errors.h"
#include "fuzz_input.h"
#include "maps/sync_map.h"
#include "tests/sync_map_image.h"

namespace {

constexpr uint64_t kMaxShown = 4096;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gomapdbg;
  // The layouts (trusted, from DWARF in the product) are built once.
  static test::SyncMapImage trie(SyncMapImpl::HashTrie);
  // Its expunged sentinel is the first address the image allocates (the
  // seeds in corpus/sync_map put the sync.Map there).
  static test::SyncMapImage read_dirty(SyncMapImpl::ReadDirty);
  fuzz::Image image;
  if (!fuzz::parse_image(data, size, image)) return 0;
  const SyncMapLayout& layout = (image.selector & 1) ? read_dirty.layout : trie.layout;
  Memory memory(image.memory);
  std::vector<uint8_t> bytes(layout.size);
  if (memory.read_prefix(image.first, bytes.data(), bytes.size()) < bytes.size()) return 0;
  try {
    SyncMap walker(memory, layout, bytes.data(), image.first);
    uint64_t shown = 0;
    WalkStats stats = walker.walk([&](const uint8_t* key, const uint8_t* value) {
      if (!key || !value) __builtin_trap();
      return ++shown < kMaxShown;
    });
    if (stats.entries != shown) __builtin_trap();  // the walker miscounts
    if (!stats.stopped && shown > walker.header().count) __builtin_trap();
    WalkStats structure_stats;
    SyncMapStructure structure = walker.structure(structure_stats);
    if (structure.depth > SyncMap::kMaxLevels) __builtin_trap();
  } catch (const Error&) {
    // an unreadable readOnly: the header's failure, reported as an error
  }
  return 0;
}
