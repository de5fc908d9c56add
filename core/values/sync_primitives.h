// Go's sync and sync/atomic types as values: what their fields mean. Field
// names and offsets come from the type (DWARF, or a runtime type
// descriptor); what the bits mean is the runtime source's, the same in every
// release go1.19–go1.27:
//   sync.Mutex         {state int32; sema uint32} (src/sync/mutex.go) up to
//                      go1.23; from go1.24 {_ noCopy; mu internal/sync.Mutex}
//                      with the same two fields in mu
//                      (src/internal/sync/mutex.go). state: mutexLocked 1,
//                      mutexWoken 2, mutexStarving 4, waiters from bit 3
//                      (mutexWaiterShift).
//   sync.RWMutex       {w Mutex; writerSem, readerSem uint32; readerCount,
//                      readerWait} (src/sync/rwmutex.go), the counts int32 in
//                      go1.19 and atomic.Int32 ({_ noCopy; v int32}) from
//                      go1.20. A writer subtracts rwmutexMaxReaders (1<<30)
//                      from readerCount, then waits on writerSem for the
//                      readerWait readers still holding it; readers that come
//                      after it wait on readerSem, writers behind it on w.sema.
//   atomic.Pointer[T]  {_ [0]*T; _ noCopy; v unsafe.Pointer}
//   atomic.Value       {v any}
//   atomic.Int32, Int64, Uint32, Uint64, Uintptr  {_ noCopy; [_ align64;] v T}
//   atomic.Bool        {_ noCopy; v uint32}      (src/sync/atomic/type.go)
// value_decoder.cc shows them decoded; go goroutines --blocked-on finds the
// goroutines parked on a mutex's semaphores.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "types/go_type.h"

namespace gomapdbg {

enum class SyncKind { None, Mutex, RWMutex, AtomicPointer, AtomicValue, AtomicBool, AtomicNumber };

// What `type` is among the types above, by its name (DWARF's
// "sync/atomic.Int64" or a descriptor's "atomic.Int64") and its fields;
// None when the shape is not the one expected.
SyncKind sync_kind(const GoType& type);

// sync.Mutex's state word, decoded.
struct MutexState {
  int32_t state = 0;
  bool locked = false, woken = false, starving = false;
  uint32_t waiters = 0;
};

inline constexpr int32_t kRWMutexMaxReaders = int32_t{1} << 30;

struct RWMutexState {
  MutexState w;              // the writers' mutex
  int32_t reader_count = 0;  // as stored: negative while a writer holds or waits
  int32_t reader_wait = 0;   // readers a waiting writer still waits for
  bool writer_pending() const { return reader_count < 0; }
  // "none"; "waiting" for readerWait readers to leave; "locked" when none is left.
  const char* writer() const {
    return !writer_pending() ? "none" : reader_wait > 0 ? "waiting" : "locked";
  }
  // Readers holding the lock or waiting for it.
  int32_t readers() const {
    return writer_pending() ? reader_count + kRWMutexMaxReaders : reader_count;
  }
};

MutexState decode_mutex_state(int32_t state);
// The state of the sync.Mutex / sync.RWMutex of `type` whose bytes are at
// `p`; nullopt when the type lacks the fields.
std::optional<MutexState> read_mutex(const GoType& type, const uint8_t* p);
std::optional<RWMutexState> read_rwmutex(const GoType& type, const uint8_t* p);

// A semaphore goroutines sleep on: its field's path and offset.
struct SemaphoreField {
  std::string name;  // "sema", "w.sema", "writerSem", "readerSem"
  uint64_t offset = 0;
};
// The semaphores of a Mutex or RWMutex type (empty for other types).
std::vector<SemaphoreField> semaphore_fields(const GoType& type);

// The *T an atomic.Pointer[T] holds, from its `_ [0]*T` field; null when
// DWARF or the descriptor does not give it.
const GoType* atomic_pointer_type(const GoType& type);

}  // namespace gomapdbg
