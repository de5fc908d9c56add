// Regression tests for bugs found by review; each was failing before its fix.
#include <gtest/gtest.h>

#include "memory/cached_memory.h"
#include "synthetic_memory.h"

namespace gomapdbg {
namespace {

class CountingReader : public MemoryReader {
 public:
  explicit CountingReader(MemoryReader& inner) : inner_(inner) {}
  size_t read(uint64_t address, void* out, size_t size) override {
    ++calls;
    return inner_.read(address, out, size);
  }
  size_t calls = 0;

 private:
  MemoryReader& inner_;
};

// Regression: core/memory/cached_memory.cc:17 caches only the readable prefix of a
// block from the block's start, so when the first byte of a 64 KiB block is
// unmapped (a mapping that starts on a page boundary that is not 64 KiB
// aligned: thread stacks, mmap'd spans, core segments) valid == 0 and every
// read in that block goes to the source (cached_memory.cc:31-35): the cache
// never helps there, however often the same bytes are read. Fix: keep a
// readable window [lo, hi) per block; when the read at the block's base
// comes back short, read again from the page of the requested address to
// the end of the block and cache that window.
TEST(CachedMemoryBug, MappingStartingInsideABlockIsCachedToo) {
  constexpr uint64_t kBlock = CachedMemory::kBlockSize;
  test::SyntheticMemory mem;
  mem.map(0x40000000 + 0x1000, kBlock - 0x1000);  // page aligned, not block aligned
  CountingReader source(mem);
  CachedMemory cache(source);
  size_t requests = 0;
  for (uint64_t at = 0x40000000 + 0x1000; at < 0x40000000 + kBlock; at += 8) {
    uint64_t value;
    ASSERT_EQ(cache.read(at, &value, 8), 8u);
    ++requests;
  }
  EXPECT_EQ(requests, (kBlock - 0x1000) / 8);
  EXPECT_LE(source.calls, 4u);
}

}  // namespace
}  // namespace gomapdbg
