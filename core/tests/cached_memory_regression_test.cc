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

// A mapping that starts on a page boundary inside a 64 KiB block (thread
// stacks, mmap'd spans, core segments) is cached too. The bug: only the
// readable prefix from the block's start was cached, which is empty when the
// block's first byte is unmapped, so every read there went to the source.
// The cache keeps a readable window [lo, hi) per block: when the read at the
// block's base comes back short, it reads again from the page of the
// requested address to the end of the block.
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
