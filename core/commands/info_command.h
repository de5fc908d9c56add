// `go info`: what the tool detected about the binary.
#pragma once

#include "commands/output.h"
#include "target/target.h"

namespace gomapdbg {

void info_command(GoBinary& binary, Output& out);

}  // namespace gomapdbg
