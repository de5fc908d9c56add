// Where the value an expression names lives, for commands that need the
// value's address rather than its bytes (go goroutines --blocked-on finds
// the goroutines asleep on a mutex's semaphores by their address):
//   P              a pointer: the value it points to
//   EXPR           any value an expression reads from memory: a global, a
//                  local that escaped to the heap, a field, an element
//                  (cache.mu, locks[3], shards[1].mu; pointers followed)
//   ADDRESS        the value at ADDRESS, of the type `default_type` names
#pragma once

#include <string>

#include "target/target.h"
#include "types/go_type.h"

namespace gomapdbg {

struct LocatedValue {
  uint64_t address = 0;
  const GoType* type = nullptr;
};

// Throws UsageError (one line) when the expression names no value whose
// address can be told.
LocatedValue locate_value(Target& target, const std::string& expression,
                          const std::string& default_type);

}  // namespace gomapdbg
