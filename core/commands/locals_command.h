// `go locals [--json]`: the selected frame's arguments and locals, read from
// DWARF (LLDB cannot see Go variables; in GDB it shows the same rendering).
#pragma once

#include "commands/output.h"
#include "target/target.h"
#include "values/value_decoder.h"

namespace gomapdbg {

void locals_command(Target& target, bool json, Output& out, const ValueCaps& caps = {});

}  // namespace gomapdbg
