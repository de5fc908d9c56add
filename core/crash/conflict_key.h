// The key a map-code frame was working on when the runtime threw: the key
// argument of mapassign*/mapdelete*/mapaccess* read through its DWARF
// location, so the report can show the bucket or group it lives in.
#pragma once

#include <optional>
#include <string>

#include "target/target.h"
#include "types/go_type.h"
#include "unwind/unwinder.h"

namespace gomapdbg {

struct ConflictKey {
  std::string text;   // rendered with the map's key type, as `go map --key` takes it
  std::string where;  // "argument key of runtime.mapassign_fast64"
};

// The key of the innermost map-code frame of `backtrace` whose key argument
// is readable at its PC; nullopt when none is (a register clobbered since,
// or a whole-map operation such as clear or iteration).
std::optional<ConflictKey> conflict_key(Target& target, const Backtrace& backtrace,
                                        const GoType& key_type);

}  // namespace gomapdbg
