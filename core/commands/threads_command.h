// `go threads [--json]`: every OS thread with its pc/sp, its M, which stack
// it is on (g0, gsignal or a goroutine's) and the goroutine it runs.
#pragma once

#include "commands/output.h"
#include "target/target.h"

namespace gomapdbg {

void threads_command(Target& target, bool json, Output& out);

}  // namespace gomapdbg
