// `go map EXPR --json [--limit N | --all]`: the map as one JSON object (see
// README "JSON output"), entries streamed one per line.
#pragma once

#include <string>

#include "commands/map_command.h"
#include "commands/output.h"
#include "target/target.h"
#include "target/variables.h"

namespace gomapdbg {

void map_command_json(Target& target, const std::string& expression, const MapOptions& options,
                      Output& out);
// The same for a map value already found (`expression` is what names it).
void map_value_json(Target& target, const GoValue& value, const std::string& expression,
                    const MapOptions& options, Output& out);

}  // namespace gomapdbg
