// `go info`: what the tool detected about the binary.
#pragma once

#include <string>

#include "commands/output.h"
#include "target/target.h"

namespace gomapdbg {

// `debug_origin`: how the front end found the binary's debug file, if it
// has one ("given with --debug-file", "GDB's symbol-file").
void info_command(GoBinary& binary, Output& out, const std::string& debug_origin = {});

}  // namespace gomapdbg
