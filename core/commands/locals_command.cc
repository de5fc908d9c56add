#include "commands/locals_command.h"

#include "commands/value_json.h"
#include "errors.h"
#include "target/variables.h"
#include "values/json_renderer.h"
#include "values/value_renderer.h"

namespace gomapdbg {

namespace {

struct Unavailable {
  std::string name, reason;
};

// frame_variables reports "NAME: REASON".
Unavailable split_unavailable(const std::string& text) {
  size_t colon = text.find(": ");
  if (colon == std::string::npos) return {text, "unavailable"};
  return {text.substr(0, colon), text.substr(colon + 2)};
}

}  // namespace

void locals_command(Target& target, bool json, Output& out, const ValueCaps& caps) {
  if (!target.frame()) throw UsageError("no frame selected");
  auto state = target.frame_state();
  if (!state)
    throw UsageError("the selected frame (pc " + hex(target.frame()->pc) +
                     ") is not in Go code: select a Go frame first");
  target.binary().require_dwarf("listing locals");
  std::vector<std::string> unavailable_text;
  std::vector<GoValue> values = frame_variables(target, unavailable_text);
  std::vector<Unavailable> unavailable;
  for (const auto& u : unavailable_text) unavailable.push_back(split_unavailable(u));
  RenderLimits limits = caps.applied_to({});
  std::string text;
  if (!json) {
    ValueRenderer renderer(target.memory(), &target.binary(), limits);
    for (const GoValue& v : values) {
      text = v.origin + " = ";
      renderer.render(text, *v.type, v.bytes.data());
      out.line(text);
    }
    for (const auto& u : unavailable) out.line(u.name + " = <unavailable: " + u.reason + ">");
    if (values.empty() && unavailable.empty()) out.line("(no arguments or locals)");
    return;
  }
  out << "{\"function\": " << json_string(target.binary().function_name(state->pc))
      << ", \"pc\": " << json_address(target.frame()->pc) << ",\n \"variables\": [";
  for (size_t i = 0; i < values.size(); ++i) {
    text = i ? ",\n  {" : "\n  {";
    append_value_json(text, target, values[i], limits);
    out << text << "}";
  }
  out << (values.empty() ? "],\n \"unavailable\": [" : "\n ],\n \"unavailable\": [");
  for (size_t i = 0; i < unavailable.size(); ++i) {
    out << (i ? ",\n  " : "\n  ") << "{\"name\": " << json_string(unavailable[i].name)
        << ", \"reason\": " << json_string(unavailable[i].reason) << "}";
  }
  out.line(unavailable.empty() ? "]}" : "\n ]}");
}

}  // namespace gomapdbg
