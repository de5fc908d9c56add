#include "memory/process_memory.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "errors.h"

namespace gomapdbg {

ProcessMemory::ProcessMemory(int pid) {
  std::string path = "/proc/" + std::to_string(pid) + "/mem";
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw MemoryError("cannot open " + path + ": " + std::strerror(errno));
}

ProcessMemory::~ProcessMemory() {
  if (fd_ >= 0) ::close(fd_);
}

size_t ProcessMemory::read(uint64_t address, void* out, size_t size) {
  auto* dst = static_cast<uint8_t*>(out);
  size_t done = 0;
  while (done < size) {
    // Addresses above 2^63 do not fit off_t; nothing user-space lives there.
    if (address + done > static_cast<uint64_t>(INT64_MAX)) break;
    ssize_t got = ::pread(fd_, dst + done, size - done, static_cast<off_t>(address + done));
    if (got <= 0) break;
    done += static_cast<size_t>(got);
  }
  if (done < size && done == 0) return 0;
  return done;
}

}  // namespace gomapdbg
