// `go locals [--json]`: the selected frame's arguments and locals, read from
// DWARF (LLDB cannot see Go variables; in GDB it shows the same rendering).
#pragma once

#include "commands/output.h"
#include "target/target.h"

namespace gomapdbg {

void locals_command(Target& target, bool json, Output& out);

}  // namespace gomapdbg
