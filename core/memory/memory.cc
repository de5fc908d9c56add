#include "memory/memory.h"

#include <cstdio>

#include "errors.h"

namespace gomapdbg {

std::string hex(uint64_t value) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(value));
  return buf;
}

void Memory::read(uint64_t address, void* out, size_t size) const {
  std::string why;
  if (!try_read(address, out, size, why)) throw MemoryError(why);
}

bool Memory::try_read(uint64_t address, void* out, size_t size, std::string& why) const {
  if (size == 0) return true;
  if (size > kMaxReadSize) {
    why = "refusing to read " + std::to_string(size) + " bytes at " + hex(address) + " (over the " +
          std::to_string(kMaxReadSize >> 20) + " MiB read limit)";
    return false;
  }
  if (address + size < address) {
    why = "read of " + std::to_string(size) + " bytes at " + hex(address) +
          " wraps around the address space";
    return false;
  }
  size_t got = reader_.read(address, out, size);
  if (got < size) {
    why = "cannot read " + std::to_string(size) + " bytes at " + hex(address) +
          (got ? " (only " + std::to_string(got) + " readable)" : std::string());
    return false;
  }
  return true;
}

std::vector<uint8_t> Memory::bytes(uint64_t address, size_t size) const {
  std::vector<uint8_t> out(size);
  read(address, out.data(), size);
  return out;
}

uint64_t load_uint(const uint8_t* p, size_t size) {
  switch (size) {
    case 1:
      return p[0];
    case 2:
      return load<uint16_t>(p);
    case 4:
      return load<uint32_t>(p);
    default:
      return load<uint64_t>(p);
  }
}

}  // namespace gomapdbg
