#include "commands/value_json.h"

#include "values/json_renderer.h"

namespace gomapdbg {

void append_value_json(std::string& out, Target& target, const GoValue& value,
                       const RenderLimits& limits) {
  out += "\"name\": " + json_string(value.origin) + ", \"where\": ";
  out += value.where.empty() ? "null" : json_string(value.where);
  out += ", \"type\": " + json_string(value.type->name) + ", \"value\": ";
  JsonRenderer(target.memory(), &target.binary(), limits)
      .render(out, *value.type, value.bytes.data());
}

}  // namespace gomapdbg
