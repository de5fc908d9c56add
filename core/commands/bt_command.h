// `go bt [GOID|all] [-n DEPTH] [--json]`: the backtrace of a goroutine
// (default: the one on the selected thread) or of all of them;
// `go goroutine GOID [--json]`: everything known about one goroutine.
#pragma once

#include <optional>
#include <string>

#include "commands/output.h"
#include "target/target.h"

namespace gomapdbg {

struct BtOptions {
  std::optional<std::string> which;  // a goid, "all", or none (the selected thread's)
  size_t depth = 100;
  bool json = false;
};

void bt_command(Target& target, const BtOptions& options, Output& out);
void goroutine_command(Target& target, const std::string& goid, bool json, Output& out);

}  // namespace gomapdbg
