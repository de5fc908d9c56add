// Reading inferior memory. A MemoryReader never crashes on a bad address: it
// reports how many bytes it could read. Memory adds typed, bounds-checked
// reads on top that throw MemoryError with the address in the message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

namespace gomapdbg {

class MemoryReader {
 public:
  virtual ~MemoryReader() = default;
  // Reads up to `size` bytes at `address` into `out`; returns the length of
  // the readable prefix (0 when nothing at `address` is readable).
  virtual size_t read(uint64_t address, void* out, size_t size) = 0;
  // One line on what is wrong with the source itself (a truncated core
  // file), for the commands to print; nullopt when nothing is.
  virtual std::optional<std::string> problem() const { return std::nullopt; }
};

// Largest single read the core will ever ask for; larger walks are chunked.
inline constexpr size_t kMaxReadSize = size_t{64} << 20;

std::string hex(uint64_t value);

class Memory {
 public:
  explicit Memory(MemoryReader& reader) : reader_(reader) {}

  // Reads exactly `size` bytes or throws MemoryError.
  void read(uint64_t address, void* out, size_t size) const;
  // The same without an exception (for loops over many pointers of a
  // corrupt structure): false, with read()'s message in `why`, on failure.
  bool try_read(uint64_t address, void* out, size_t size, std::string& why) const;
  std::vector<uint8_t> bytes(uint64_t address, size_t size) const;
  // Reads what it can; returns the readable prefix length.
  size_t read_prefix(uint64_t address, void* out, size_t size) const {
    return size == 0 ? 0 : reader_.read(address, out, size);
  }

  template <typename T>
  T get(uint64_t address) const {
    T value;
    read(address, &value, sizeof value);
    return value;
  }
  uint64_t u64(uint64_t address) const { return get<uint64_t>(address); }
  uint8_t u8(uint64_t address) const { return get<uint8_t>(address); }

  MemoryReader& reader() const { return reader_; }

 private:
  MemoryReader& reader_;
};

// Little-endian loads from a byte buffer, bounds-checked by the caller.
template <typename T>
inline T load(const uint8_t* p) {
  T value;
  std::memcpy(&value, p, sizeof value);
  return value;
}

// Reads an unsigned little-endian integer of 1, 2, 4 or 8 bytes.
uint64_t load_uint(const uint8_t* p, size_t size);

}  // namespace gomapdbg
