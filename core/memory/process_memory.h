// Live process memory read directly through /proc/PID/mem: one pread per
// request, no debugger round trip. Read-only; the debugger that stopped the
// process keeps it stopped.
#pragma once

#include "memory/memory.h"

namespace gomapdbg {

class ProcessMemory : public MemoryReader {
 public:
  // Throws MemoryError when /proc/PID/mem cannot be opened.
  explicit ProcessMemory(int pid);
  ~ProcessMemory() override;
  ProcessMemory(const ProcessMemory&) = delete;
  ProcessMemory& operator=(const ProcessMemory&) = delete;
  size_t read(uint64_t address, void* out, size_t size) override;

 private:
  int fd_ = -1;
};

}  // namespace gomapdbg
