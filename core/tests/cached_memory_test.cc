// CachedMemory (a 64 KiB block cache) and PrefixProbingReader (the readable
// prefix behind an all-or-nothing reader), checked against SyntheticMemory.
#include "memory/cached_memory.h"

#include <gtest/gtest.h>

#include <random>

#include "errors.h"
#include "synthetic_memory.h"

namespace gomapdbg {
namespace {

using test::SyntheticMemory;

constexpr uint64_t kBlock = CachedMemory::kBlockSize;

// Counts the requests that reach the wrapped reader.
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

// Reads all of a request or nothing, like a debugger's read-memory call.
class AllOrNothingReader : public MemoryReader {
 public:
  explicit AllOrNothingReader(MemoryReader& inner) : inner_(inner) {}
  size_t read(uint64_t address, void* out, size_t size) override {
    ++calls;
    std::vector<uint8_t> tmp(size);
    if (inner_.read(address, tmp.data(), size) != size) return 0;
    std::memcpy(out, tmp.data(), size);
    return size;
  }
  size_t calls = 0;

 private:
  MemoryReader& inner_;
};

void fill_random(SyntheticMemory& mem, uint64_t address, size_t size, std::mt19937_64& rng) {
  std::vector<uint8_t> bytes(size);
  for (auto& b : bytes) b = static_cast<uint8_t>(rng());
  mem.put_bytes(address, bytes.data(), bytes.size());
}

// What `reader` returns for one request: the readable prefix.
std::vector<uint8_t> read_prefix(MemoryReader& reader, uint64_t address, size_t size) {
  std::vector<uint8_t> out(size, 0xcc);
  out.resize(reader.read(address, out.data(), size));
  return out;
}

// Regions with holes of every kind around block boundaries:
//   [base, base+3.5 blocks)              ends mid-block
//   [base+4 blocks+0x1000, +0x3000)      a hole, then a readable island inside one block
//   [base+6 blocks, base+10 blocks)      block-aligned, 4 blocks
class CachedMemoryTest : public ::testing::Test {
 protected:
  static constexpr uint64_t kBase = 0x40000000;

  void SetUp() override {
    std::mt19937_64 rng(1234);
    mem.map(kBase, 3 * kBlock + kBlock / 2);
    fill_random(mem, kBase, 3 * kBlock + kBlock / 2, rng);
    mem.map(kBase + 4 * kBlock + 0x1000, 0x3000);
    fill_random(mem, kBase + 4 * kBlock + 0x1000, 0x3000, rng);
    mem.map(kBase + 6 * kBlock, 4 * kBlock);
    fill_random(mem, kBase + 6 * kBlock, 4 * kBlock, rng);
  }

  // Reads through `cache` and straight from the source must agree.
  void expect_same(CachedMemory& cache, uint64_t address, size_t size) {
    SCOPED_TRACE("read " + std::to_string(size) + " bytes at " + hex(address));
    std::vector<uint8_t> expected = read_prefix(mem, address, size);
    EXPECT_EQ(read_prefix(cache, address, size), expected);
  }

  SyntheticMemory mem;
  CountingReader source{mem};
};

TEST_F(CachedMemoryTest, RandomReadsReturnTheSameBytesAsTheSource) {
  CachedMemory cache(source);
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<uint64_t> where(kBase - kBlock, kBase + 11 * kBlock);
  const size_t sizes[] = {1, 8, 16, 100, 4096, 70000, 300000};
  for (int i = 0; i < 3000; ++i) {
    size_t size = sizes[rng() % std::size(sizes)];
    if (size > 1) size -= rng() % (size / 2);
    expect_same(cache, where(rng), size);
    if (HasFailure()) break;
  }
}

TEST_F(CachedMemoryTest, ReadSpanningTwoBlocksIsStitchedTogether) {
  CachedMemory cache(source);
  expect_same(cache, kBase + kBlock - 10, 20);
  expect_same(cache, kBase + kBlock - 1, 2 * kBlock + 2);  // three blocks
}

TEST_F(CachedMemoryTest, ReadRunningIntoUnmappedMemoryReturnsTheReadablePrefix) {
  CachedMemory cache(source);
  uint64_t end = kBase + 3 * kBlock + kBlock / 2;
  std::vector<uint8_t> got = read_prefix(cache, end - 100, 1000);
  EXPECT_EQ(got.size(), 100u);
  EXPECT_EQ(got, read_prefix(mem, end - 100, 100));
}

TEST_F(CachedMemoryTest, ReadRunningIntoUnmappedMemoryAtABlockBoundaryReturnsThePrefix) {
  CachedMemory cache(source);
  uint64_t end = kBase + 10 * kBlock;
  EXPECT_EQ(read_prefix(cache, end - 8, 16).size(), 8u);
  EXPECT_EQ(read_prefix(cache, end - 8, 16), read_prefix(mem, end - 8, 8));
}

TEST_F(CachedMemoryTest, ReadOfUnmappedMemoryReturnsNothing) {
  CachedMemory cache(source);
  EXPECT_EQ(read_prefix(cache, kBase - 16, 8).size(), 0u);
  EXPECT_EQ(read_prefix(cache, kBase + 5 * kBlock, 8).size(), 0u);
  EXPECT_EQ(read_prefix(cache, kBase + 4 * kBlock + 0x800, 8).size(), 0u);  // hole before island
}

TEST_F(CachedMemoryTest, ReadablePartOfABlockAfterAHoleIsStillRead) {
  CachedMemory cache(source);
  expect_same(cache, kBase + 4 * kBlock + 0x1000, 0x3000);
  expect_same(cache, kBase + 4 * kBlock + 0x2000, 0x10);
  expect_same(cache, kBase + 4 * kBlock + 0x3ff0, 0x100);  // island's end
}

TEST_F(CachedMemoryTest, ZeroSizeReadReturnsZero) {
  CachedMemory cache(source);
  uint8_t byte = 0;
  EXPECT_EQ(cache.read(kBase, &byte, 0), 0u);
}

TEST_F(CachedMemoryTest, EachBlockIsFetchedOnceForManySmallReads) {
  CachedMemory cache(source);
  size_t requests = 0;
  for (int pass = 0; pass < 3; ++pass) {
    for (uint64_t at = kBase + 6 * kBlock; at < kBase + 10 * kBlock; at += 8) {
      uint64_t value = 0;
      ASSERT_EQ(cache.read(at, &value, 8), 8u);
      ++requests;
    }
  }
  EXPECT_EQ(requests, 3 * 4 * kBlock / 8);
  EXPECT_EQ(source.calls, 4u);
}

TEST_F(CachedMemoryTest, LargeReadGoesStraightToTheSourceInOneRequest) {
  CachedMemory cache(source);
  expect_same(cache, kBase + 6 * kBlock, CachedMemory::kDirectReadSize);
  EXPECT_EQ(source.calls, 1u);
}

TEST_F(CachedMemoryTest, EvictionKeepsResultsCorrect) {
  CachedMemory cache(source, 2 * kBlock);  // room for two blocks
  for (int pass = 0; pass < 2; ++pass)
    for (uint64_t b = 6; b < 10; ++b) expect_same(cache, kBase + b * kBlock + 100, 64);
  EXPECT_EQ(source.calls, 8u);  // nothing was still cached on the second pass
}

TEST_F(CachedMemoryTest, CacheSmallerThanABlockStillWorks) {
  CachedMemory cache(source, 100);
  expect_same(cache, kBase + 7 * kBlock - 4, 8);
  expect_same(cache, kBase + 7 * kBlock - 4, 8);
}

TEST_F(CachedMemoryTest, CachedBytesAreServedUntilClear) {
  CachedMemory cache(source);
  uint64_t at = kBase + 6 * kBlock;
  uint64_t before = 0, after = 0;
  cache.read(at, &before, 8);
  mem.put_u64(at, ~before);  // the inferior ran and wrote
  cache.read(at, &after, 8);
  EXPECT_EQ(after, before);
  cache.clear();
  cache.read(at, &after, 8);
  EXPECT_EQ(after, ~before);
}

TEST_F(CachedMemoryTest, WorksAsTheReaderOfMemory) {
  CachedMemory cache(source);
  Memory memory(cache);
  EXPECT_EQ(memory.u64(kBase + 8), load<uint64_t>(read_prefix(mem, kBase + 8, 8).data()));
  EXPECT_THROW(memory.u64(kBase + 3 * kBlock + kBlock / 2 - 4), MemoryError);
}

// --- PrefixProbingReader --------------------------------------------------

class PrefixProbingReaderTest : public ::testing::Test {
 protected:
  static constexpr uint64_t kBase = 0x10000;
  void SetUp() override {
    std::mt19937_64 rng(7);
    mem.map(kBase, 3 * 4096);  // three pages
    fill_random(mem, kBase, 3 * 4096, rng);
  }
  SyntheticMemory mem;
  AllOrNothingReader whole{mem};
  PrefixProbingReader reader{whole};
};

TEST_F(PrefixProbingReaderTest, AllOrNothingReaderLosesThePrefix) {
  // The problem the wrapper solves.
  EXPECT_EQ(read_prefix(whole, kBase + 0x800, 0x4000).size(), 0u);
}

TEST_F(PrefixProbingReaderTest, FullyReadableRequestTakesOneRead) {
  EXPECT_EQ(read_prefix(reader, kBase + 5, 0x2000), read_prefix(mem, kBase + 5, 0x2000));
  EXPECT_EQ(whole.calls, 1u);
}

TEST_F(PrefixProbingReaderTest, FindsTheReadablePrefixOfARequest) {
  std::vector<uint8_t> got = read_prefix(reader, kBase + 0x800, 0x4000);
  EXPECT_EQ(got.size(), 0x2800u);
  EXPECT_EQ(got, read_prefix(mem, kBase + 0x800, 0x2800));
}

TEST_F(PrefixProbingReaderTest, FindsThePrefixOfARequestStartingOnAPageBoundary) {
  std::vector<uint8_t> got = read_prefix(reader, kBase + 0x1000, 0x10000);
  EXPECT_EQ(got, read_prefix(mem, kBase + 0x1000, 0x2000));
}

TEST_F(PrefixProbingReaderTest, UnreadableStartReturnsNothing) {
  EXPECT_EQ(read_prefix(reader, kBase - 0x100, 0x200).size(), 0u);
  EXPECT_EQ(read_prefix(reader, kBase + 0x5000, 8).size(), 0u);
}

TEST_F(PrefixProbingReaderTest, ProbesAtPageGranularity) {
  // Memory is mapped in pages; a region ending inside a page is only seen
  // up to the last whole page.
  SyntheticMemory odd;
  odd.map(0x20000, 0x1900);
  AllOrNothingReader odd_whole(odd);
  PrefixProbingReader odd_reader(odd_whole);
  EXPECT_EQ(read_prefix(odd_reader, 0x20000, 0x2000).size(), 0x1000u);
}

TEST_F(PrefixProbingReaderTest, CachedMemoryOverAnAllOrNothingReaderMatchesTheSource) {
  // The stack used for debugger memory: cache → prefix probing → debugger.
  CachedMemory cache(reader);
  std::mt19937_64 rng(99);
  for (int i = 0; i < 500; ++i) {
    uint64_t address = kBase - 0x1000 + rng() % 0x5000;
    size_t size = 1 + rng() % 0x3000;
    SCOPED_TRACE("read " + std::to_string(size) + " bytes at " + hex(address));
    ASSERT_EQ(read_prefix(cache, address, size), read_prefix(mem, address, size));
  }
}

}  // namespace
}  // namespace gomapdbg
