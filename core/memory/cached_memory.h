// A block cache in front of a slow reader (a debugger's memory API reached
// through Python). Small reads are served from 64 KiB blocks fetched whole;
// large reads (bucket arrays, groups) go straight through in one request.
#pragma once

#include <deque>
#include <unordered_map>
#include <vector>

#include "memory/memory.h"

namespace gomapdbg {

class CachedMemory : public MemoryReader {
 public:
  static constexpr size_t kBlockSize = 64 * 1024;
  static constexpr size_t kDirectReadSize = 256 * 1024;

  explicit CachedMemory(MemoryReader& source, size_t max_bytes = size_t{128} << 20)
      : source_(source), max_blocks_(max_bytes / kBlockSize) {}

  size_t read(uint64_t address, void* out, size_t size) override;
  void clear();

 private:
  // A block caches one readable window [lo, hi) of its 64 KiB: the prefix
  // from its start, or, when a mapping starts inside the block, the part
  // from the requested page on.
  struct Block {
    std::vector<uint8_t> data;
    size_t lo = 0, hi = 0;
  };
  const Block& block(uint64_t base, size_t offset);
  void fill(Block& b, uint64_t base, size_t offset);

  MemoryReader& source_;
  size_t max_blocks_;
  std::unordered_map<uint64_t, Block> blocks_;
  std::deque<uint64_t> order_;  // insertion order, for eviction
};

// Wraps an all-or-nothing reader (one that fails a whole request if any byte
// is unreadable) and finds the readable prefix page by page on failure.
class PrefixProbingReader : public MemoryReader {
 public:
  explicit PrefixProbingReader(MemoryReader& whole) : whole_(whole) {}
  size_t read(uint64_t address, void* out, size_t size) override;

 private:
  MemoryReader& whole_;
};

// Serves what `primary` cannot read from the executable's file image: a
// debugger reading a core may not supply the file-backed pages (rodata:
// string literals, type descriptors) that the kernel left out of the core.
class ExecutableFallbackReader : public MemoryReader {
 public:
  ExecutableFallbackReader(MemoryReader& primary, MemoryReader& executable)
      : primary_(primary), executable_(executable) {}
  size_t read(uint64_t address, void* out, size_t size) override;

 private:
  MemoryReader& primary_;
  MemoryReader& executable_;
};

}  // namespace gomapdbg
