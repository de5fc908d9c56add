// The JSON members that describe one variable or expression value, shared by
// `go print --json` and `go locals --json`.
#pragma once

#include <string>

#include "target/target.h"
#include "target/variables.h"
#include "values/value_renderer.h"

namespace gomapdbg {

// Appends `"name": ..., "where": ..., "type": ..., "value": ...` (no braces).
void append_value_json(std::string& out, Target& target, const GoValue& value,
                       const RenderLimits& limits);

}  // namespace gomapdbg
