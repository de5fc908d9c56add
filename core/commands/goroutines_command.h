// `go goroutines [-t [DEPTH]] [--status S] [--func REGEX] [--user] [--group]
// [--blocked-on EXPR] [--json]`: one line per goroutine, stacks with -t, identical stacks
// collapsed with --group.
#pragma once

#include <optional>
#include <string>

#include "commands/output.h"
#include "runtime/goroutines.h"
#include "target/target.h"

namespace gomapdbg {

struct GoroutinesOptions {
  size_t stack_depth = 0;             // -t: frames shown per goroutine (0: none)
  std::optional<std::string> status;  // a status or a wait reason
  std::optional<std::string> function_regex;
  bool user_only = false;
  bool group = false;
  bool json = false;
  bool warnings = true;  // the target's and runtime's (go report says them once)
  // Only those asleep on this sync.Mutex or sync.RWMutex (commands/blocked_on.h).
  std::optional<std::string> blocked_on;
};

void goroutines_command(Target& target, const GoroutinesOptions& options, Output& out);
// The listing of a snapshot already taken (go report's goroutine section).
void goroutines_listing(Target& target, const RuntimeSnapshot& snapshot,
                        const GoroutinesOptions& options, Output& out);

}  // namespace gomapdbg
