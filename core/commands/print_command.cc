#include "commands/print_command.h"

#include <cstring>

#include "commands/value_json.h"
#include "errors.h"
#include "target/expression.h"
#include "values/json_renderer.h"
#include "values/value_renderer.h"

namespace gomapdbg {

void print_command(Target& target, const std::string& expression, const PrintOptions& options,
                   Output& out) {
  if (options.deref < 0) throw UsageError("--deref must be 0 or more");
  GoValue value = evaluate_expression(target, expression, options.type);
  RenderLimits limits = options.caps.applied_to({});
  limits.deref_depth = options.deref;
  std::string text;
  if (!options.json) {
    text = value.describe() + " = ";
    ValueRenderer(target.memory(), &target.binary(), limits)
        .render(text, *value.type, value.bytes.data());
    out.line(text);
    return;
  }
  text = "{\"expression\": " + json_string(expression) + ", ";
  append_value_json(text, target, value, limits);
  text += '}';
  out.line(text);
}

std::string render_value(Target& target, uint64_t address, const std::string& type_name,
                         size_t max_elements) {
  const GoType* type = target.binary().type_by_name(type_name);
  std::vector<uint8_t> bytes;
  if (type->kind == GoKind::Map || type->kind == GoKind::Pointer) {
    bytes.resize(8);
    std::memcpy(bytes.data(), &address, 8);
  } else {
    bytes = target.memory().bytes(address, type->size);
  }
  RenderLimits limits;
  limits.max_elements = max_elements;
  std::string text;
  ValueRenderer(target.memory(), &target.binary(), limits).render(text, *type, bytes.data());
  return text;
}

}  // namespace gomapdbg
