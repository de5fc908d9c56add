// The goroutines asleep on semaphores (sync.Mutex, sync.RWMutex,
// sync.WaitGroup...): runtime.semtable, 251 semaRoots padded to a cache
// line, each the root of a treap of sudogs keyed by the semaphore's address
// (sudog.elem), children in prev and next, further waiters on the same
// address in the node's waitlink list (go1.19–go1.27 runtime/sema.go; elem
// is an unsafe.Pointer up to go1.25, a maybeTraceablePtr {vp; vu uintptr}
// whose vu is the address from go1.26). Every offset comes from DWARF
// (runtime.semtable's type and runtime.sudog): without DWARF this throws.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "target/target.h"

namespace gomapdbg {

struct SemaWaiter {
  uint64_t g = 0;     // the runtime.g asleep
  uint64_t sema = 0;  // the semaphore's address it sleeps on
};

struct SemaWaiters {
  std::vector<SemaWaiter> waiters;
  // Damaged or unreadable nodes, cycles and the node cap, one line each.
  std::vector<std::string> warnings;
};

// Sudogs read at most, over every root: a bound on damaged memory.
inline constexpr size_t kMaxSemaWaiters = size_t{1} << 16;

// Every goroutine queued in runtime.semtable. Throws LayoutError without
// DWARF for the table or the sudog, MemoryError when the table is unreadable.
SemaWaiters semaphore_waiters(Target& target);
// The walk itself over `table`, runtime.semtable's DWARF type, whose bytes
// are `bytes` (tests give it synthetic memory).
SemaWaiters walk_semaphore_table(const Memory& memory, const GoType& table,
                                 const std::vector<uint8_t>& bytes);

}  // namespace gomapdbg
