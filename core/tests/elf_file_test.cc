// ElfFile's reads from its mapping of a file, and the resident budget that
// keeps walking a core of gigabytes from mapping all of it in.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "elf/elf_image.h"

namespace gomapdbg {
namespace {

constexpr uint64_t kBlock = uint64_t{1} << ElfFile::kBlockShift;

// A 64-bit ELF header (no program or section headers) followed by `blocks`
// blocks whose every 8-byte word holds its own file offset.
std::string write_file(uint64_t blocks) {
  std::vector<uint64_t> words(blocks * kBlock / 8);
  for (size_t i = 0; i < words.size(); ++i) words[i] = i * 8;
  std::vector<char> bytes(words.size() * 8);
  std::memcpy(bytes.data(), words.data(), bytes.size());
  const char ident[] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
  std::memset(bytes.data(), 0, 64);
  std::memcpy(bytes.data(), ident, sizeof ident);
  bytes[16] = 4;   // e_type ET_CORE
  bytes[18] = 62;  // e_machine x86-64
  bytes[20] = 1;   // e_version
  bytes[52] = 64;  // e_ehsize
  std::string path = ::testing::TempDir() + "elf_file_blocks";
  std::ofstream(path, std::ios::binary).write(bytes.data(), bytes.size());
  return path;
}

uint64_t word_at(const ElfFile& file, uint64_t offset) {
  uint64_t v = 0;
  EXPECT_EQ(file.read_file(offset, &v, 8), 8u);
  return v;
}

TEST(ElfFileResidentBudget, ColdBlocksAreGivenBackBeforeHotOnes) {
  const uint64_t blocks = 256, budget = 16 * kBlock;
  ElfFile file(write_file(blocks), budget);
  // A hot block read between every cold one, as a map's header and bucket
  // array are between its scattered keys.
  const uint64_t hot = 3 * kBlock + 128;
  for (uint64_t b = 8; b < blocks; ++b) {
    EXPECT_EQ(word_at(file, hot), hot);
    EXPECT_EQ(word_at(file, b * kBlock + 64), b * kBlock + 64);
    EXPECT_LE(file.resident_bytes(), budget);
  }
  EXPECT_TRUE(file.block_resident(hot));
  EXPECT_TRUE(file.block_resident((blocks - 1) * kBlock));  // the latest read
  EXPECT_FALSE(file.block_resident(8 * kBlock));            // cold and long ago
  // Given back is not lost: the page cache serves the next read.
  EXPECT_EQ(word_at(file, 8 * kBlock + 64), 8 * kBlock + 64);
}

TEST(ElfFileResidentBudget, AReadSpanningBlocksCountsEach) {
  ElfFile file(write_file(8), 64 * kBlock);
  std::vector<uint8_t> out(3 * kBlock);
  EXPECT_EQ(file.read_file(kBlock / 2, out.data(), out.size()), out.size());
  EXPECT_EQ(file.resident_bytes(), 4 * kBlock);
  uint64_t first = 0;
  std::memcpy(&first, out.data(), 8);
  EXPECT_EQ(first, kBlock / 2);
}

}  // namespace
}  // namespace gomapdbg
