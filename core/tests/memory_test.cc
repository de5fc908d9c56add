// Memory's checked reads, and the SyntheticMemory fixture they run on.
#include "memory/memory.h"

#include <gtest/gtest.h>

#include "errors.h"
#include "synthetic_memory.h"

namespace gomapdbg {
namespace {

using test::SyntheticMemory;

// --- The fixture ----------------------------------------------------------

TEST(SyntheticMemory, ReadStopsAtTheFirstUnmappedByte) {
  SyntheticMemory mem;
  mem.map(0x1000, 16);
  mem.put_bytes(0x1000, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
  uint8_t out[32] = {};
  EXPECT_EQ(mem.read(0x1008, out, 32), 8u);
  EXPECT_EQ(out[0], 9);
  EXPECT_EQ(out[7], 16);
  EXPECT_EQ(mem.read(0x0fff, out, 4), 0u);
  EXPECT_EQ(mem.read(0x1010, out, 4), 0u);
}

TEST(SyntheticMemory, AdjacentRegionsReadAsOne) {
  SyntheticMemory mem;
  mem.map(0x1000, 4);
  mem.map(0x1004, 4);
  mem.put_u64(0x1000, 0x0807060504030201);  // spans both regions
  uint64_t value = 0;
  EXPECT_EQ(mem.read(0x1000, &value, 8), 8u);
  EXPECT_EQ(value, 0x0807060504030201u);
}

TEST(SyntheticMemory, WritesAreLittleEndian) {
  SyntheticMemory mem;
  mem.map(0x1000, 16);
  mem.put_u16(0x1000, 0x0102);
  mem.put_u32(0x1002, 0x03040506);
  uint8_t out[6] = {};
  mem.read(0x1000, out, 6);
  EXPECT_EQ(std::vector<uint8_t>(out, out + 6), (std::vector<uint8_t>{2, 1, 6, 5, 4, 3}));
}

TEST(SyntheticMemory, WritingToUnmappedMemoryIsATestError) {
  SyntheticMemory mem;
  mem.map(0x1000, 4);
  EXPECT_THROW(mem.put_u64(0x1000, 0), std::out_of_range);
  EXPECT_THROW(mem.put_u8(0x2000, 0), std::out_of_range);
}

TEST(SyntheticMemory, OverlappingRegionsAreATestError) {
  SyntheticMemory mem;
  mem.map(0x1000, 16);
  EXPECT_THROW(mem.map(0x1008, 16), std::logic_error);
  EXPECT_THROW(mem.map(0x0ff8, 16), std::logic_error);
}

TEST(SyntheticMemory, AllocationsAreSeparatedByUnmappedGaps) {
  SyntheticMemory mem;
  uint64_t a = mem.alloc(24);
  uint64_t b = mem.alloc(24);
  EXPECT_TRUE(mem.is_mapped(a + 23));
  EXPECT_FALSE(mem.is_mapped(a + 24));
  EXPECT_GE(b, a + 24 + SyntheticMemory::kGuardGap);
}

// --- Memory ---------------------------------------------------------------

TEST(Memory, TypedReadsAreLittleEndian) {
  SyntheticMemory mem;
  mem.map(0x1000, 16);
  mem.put_u64(0x1000, 0x1122334455667788);
  Memory memory(mem);
  EXPECT_EQ(memory.u64(0x1000), 0x1122334455667788u);
  EXPECT_EQ(memory.u8(0x1000), 0x88);
  EXPECT_EQ(memory.get<uint32_t>(0x1004), 0x11223344u);
  EXPECT_EQ(memory.bytes(0x1006, 2), (std::vector<uint8_t>{0x22, 0x11}));
}

TEST(Memory, ShortReadThrowsMemoryErrorNamingAddressAndReadablePart) {
  SyntheticMemory mem;
  mem.map(0x1000, 8);
  Memory memory(mem);
  try {
    memory.bytes(0x1004, 16);
    FAIL() << "expected MemoryError";
  } catch (const MemoryError& e) {
    EXPECT_STREQ(e.what(), "cannot read 16 bytes at 0x1004 (only 4 readable)");
  }
  try {
    memory.u64(0x5000);
    FAIL() << "expected MemoryError";
  } catch (const MemoryError& e) {
    EXPECT_STREQ(e.what(), "cannot read 8 bytes at 0x5000");
  }
}

TEST(Memory, TryReadFailsWithReadsMessageInsteadOfThrowing) {
  SyntheticMemory mem;
  mem.map(0x1000, 8);
  mem.put_u64(0x1000, 0x1122334455667788);
  Memory memory(mem);
  uint8_t out[16];
  std::string why;
  EXPECT_TRUE(memory.try_read(0x1000, out, 8, why));
  EXPECT_EQ(load<uint64_t>(out), 0x1122334455667788u);
  EXPECT_TRUE(why.empty());
  EXPECT_FALSE(memory.try_read(0x1004, out, 16, why));
  EXPECT_EQ(why, "cannot read 16 bytes at 0x1004 (only 4 readable)");
  EXPECT_FALSE(memory.try_read(0x5000, out, 8, why));
  EXPECT_EQ(why, "cannot read 8 bytes at 0x5000");
  size_t calls = mem.read_calls();
  EXPECT_FALSE(memory.try_read(~uint64_t{0} - 3, out, 16, why));
  EXPECT_EQ(why, "read of 16 bytes at 0xfffffffffffffffc wraps around the address space");
  EXPECT_FALSE(memory.try_read(0x1000, out, kMaxReadSize + 1, why));
  EXPECT_EQ(why.rfind("refusing to read ", 0), 0u);
  EXPECT_EQ(mem.read_calls(), calls);
}

TEST(Memory, ReadOverTheSizeLimitIsRefusedWithoutReading) {
  SyntheticMemory mem;
  Memory memory(mem);
  std::vector<uint8_t> out(1);
  EXPECT_THROW(memory.read(0x1000, out.data(), kMaxReadSize + 1), MemoryError);
  EXPECT_EQ(mem.read_calls(), 0u);
}

TEST(Memory, ReadWrappingAroundTheAddressSpaceIsRefused) {
  SyntheticMemory mem;
  Memory memory(mem);
  uint8_t out[16];
  EXPECT_THROW(memory.read(~uint64_t{0} - 3, out, 16), MemoryError);
  EXPECT_EQ(mem.read_calls(), 0u);
}

TEST(Memory, ZeroSizeReadsNeverReachTheReader) {
  SyntheticMemory mem;
  Memory memory(mem);
  memory.read(0xdead, nullptr, 0);
  EXPECT_EQ(memory.read_prefix(0xdead, nullptr, 0), 0u);
  EXPECT_EQ(mem.read_calls(), 0u);
}

TEST(Memory, ReadPrefixReturnsWhatIsReadable) {
  SyntheticMemory mem;
  mem.map(0x1000, 8);
  Memory memory(mem);
  uint8_t out[16];
  EXPECT_EQ(memory.read_prefix(0x1004, out, 16), 4u);
}

TEST(Memory, LoadUintReadsOneTwoFourOrEightBytes) {
  const uint8_t bytes[8] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x88};
  EXPECT_EQ(load_uint(bytes, 1), 0x01u);
  EXPECT_EQ(load_uint(bytes, 2), 0x0201u);
  EXPECT_EQ(load_uint(bytes, 4), 0x04030201u);
  EXPECT_EQ(load_uint(bytes, 8), 0x8807060504030201u);
}

TEST(Memory, HexFormatsWithoutPadding) {
  EXPECT_EQ(hex(0), "0x0");
  EXPECT_EQ(hex(0xdeadbeef), "0xdeadbeef");
  EXPECT_EQ(hex(~uint64_t{0}), "0xffffffffffffffff");
}

}  // namespace
}  // namespace gomapdbg
