// `go goroutines --blocked-on EXPR`: the goroutines asleep on a semaphore
// of the sync.Mutex or sync.RWMutex EXPR names (a Mutex's sema; an
// RWMutex's w.sema for writers queued behind a writer, writerSem for the
// writer waiting for readers, readerSem for readers waiting for a writer),
// found in the runtime's semaphore table (runtime/semaphores.h).
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "commands/json_writer.h"
#include "runtime/goroutines.h"
#include "target/target.h"

namespace gomapdbg {

struct SemaphoreAt {
  std::string field;  // "sema", "w.sema", "writerSem", "readerSem"
  uint64_t address = 0;
};

class BlockedOn {
 public:
  // Throws UsageError when EXPR is no mutex, LayoutError without DWARF.
  BlockedOn(Target& target, const std::string& expression);

  // The semaphore goroutine `g` sleeps on, or null when it sleeps on none
  // of this mutex's.
  const SemaphoreAt* semaphore_of(const Goroutine& g) const;
  // "main.mu (sync.Mutex at 0xc000012340)"
  std::string describe() const;
  // ", on sema 0xc000012344": what a goroutine line adds.
  std::string suffix(const Goroutine& g) const;
  void json(JsonWriter& json) const;
  void json_semaphore(JsonWriter& json, const Goroutine& g) const;
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  std::string expression_, type_;
  uint64_t address_ = 0;
  std::vector<SemaphoreAt> semaphores_;
  std::unordered_map<uint64_t, size_t> by_g_;  // g -> index in semaphores_
  std::vector<std::string> warnings_;
};

}  // namespace gomapdbg
