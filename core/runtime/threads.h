// OS threads and the runtime's Ms: which M (and g) each thread runs.
// Order of evidence (§5.7): the g in TLS (at fs_base−8 on internally linked
// linux/amd64; arm64 keeps none), then the g register of Go's ABIInternal
// (R14 on amd64, R28 on arm64), each accepted
// when that g's M has the thread's LWP id as m.procid; else the M from
// runtime.allm whose procid is the thread's id.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "memory/memory.h"
#include "target/target.h"
#include "unwind/unwinder.h"

namespace gomapdbg {

struct RuntimeLayout;

struct MState {
  uint64_t address = 0;
  int64_t id = -1;
  uint64_t procid = 0;  // the Linux thread id
  uint64_t g0 = 0, gsignal = 0, curg = 0, lockedg = 0;
  int32_t throwing = 0, dying = 0;
  uint64_t vdso_sp = 0, vdso_pc = 0;  // non-zero while the thread is in the vDSO
};

// Throws MemoryError when the M is unreadable.
MState read_m(const Memory& memory, const RuntimeLayout& layout, uint64_t m);

struct ThreadState {
  ThreadInput input;
  std::optional<MState> m;
  uint64_t g = 0;        // the g in TLS/R14 (0 when found through m.procid)
  std::string found_by;  // "TLS", "R14", "m.procid", or "" (not a Go thread we can see)
  StackKind on = StackKind::Unknown;  // the stack its SP is on
  uint64_t reg(const char* name) const;
};

std::vector<ThreadState> map_threads(const std::vector<ThreadInput>& threads,
                                     const std::vector<uint64_t>& allm, const Memory& memory,
                                     const RuntimeLayout& layout, const Architecture& arch);

// The stacks of an M's g0, gsignal and curg, and curg's saved context, for
// the unwinder's stack switches.
MachineContext machine_context(const MState& m, const Memory& memory, const RuntimeLayout& layout);

}  // namespace gomapdbg
