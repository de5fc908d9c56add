#include "memory/cached_memory.h"

#include <algorithm>
#include <cstring>

namespace gomapdbg {

namespace {
constexpr uint64_t kPage = 4096;
}

void CachedMemory::fill(Block& b, uint64_t base, size_t offset) {
  b.lo = 0;
  b.hi = source_.read(base, b.data.data(), kBlockSize);
  if (offset < b.hi) return;
  // The block's start is unreadable (or ends early): cache from the page of
  // the request to the block's end instead.
  size_t page = offset & ~(kPage - 1);
  b.lo = page;
  b.hi = page + source_.read(base + page, b.data.data() + page, kBlockSize - page);
}

const CachedMemory::Block& CachedMemory::block(uint64_t base, size_t offset) {
  auto it = blocks_.find(base);
  if (it != blocks_.end()) {
    Block& b = it->second;
    if ((offset < b.lo || offset >= b.hi) && b.lo != 0) fill(b, base, offset);
    return b;
  }
  if (blocks_.size() >= max_blocks_ && !order_.empty()) {
    blocks_.erase(order_.front());
    order_.pop_front();
  }
  Block fresh;
  fresh.data.resize(kBlockSize);
  fill(fresh, base, offset);
  order_.push_back(base);
  return blocks_.emplace(base, std::move(fresh)).first->second;
}

size_t CachedMemory::read(uint64_t address, void* out, size_t size) {
  if (size >= kDirectReadSize) return source_.read(address, out, size);
  auto* dst = static_cast<uint8_t*>(out);
  size_t done = 0;
  while (done < size) {
    uint64_t at = address + done;
    uint64_t base = at & ~uint64_t{kBlockSize - 1};
    size_t offset = at - base;
    const Block& b = block(base, offset);
    if (offset < b.lo || offset >= b.hi) {
      // A hole inside the block (e.g. a guard page) may be followed by
      // readable memory: ask the source for exactly what is wanted.
      return done + source_.read(at, dst + done, size - done);
    }
    size_t n = std::min(size - done, b.hi - offset);
    std::memcpy(dst + done, b.data.data() + offset, n);
    done += n;
  }
  return done;
}

void CachedMemory::clear() {
  blocks_.clear();
  order_.clear();
}

size_t PrefixProbingReader::read(uint64_t address, void* out, size_t size) {
  size_t got = whole_.read(address, out, size);
  if (got == size) return size;
  auto* dst = static_cast<uint8_t*>(out);
  size_t done = 0;
  while (done < size) {
    uint64_t at = address + done;
    size_t n = std::min<uint64_t>(size - done, kPage - (at % kPage));
    if (whole_.read(at, dst + done, n) != n) break;
    done += n;
  }
  return done;
}

size_t ExecutableFallbackReader::read(uint64_t address, void* out, size_t size) {
  size_t got = primary_.read(address, out, size);
  if (got == size) return got;
  return got + executable_.read(address + got, static_cast<uint8_t*>(out) + got, size - got);
}

}  // namespace gomapdbg
