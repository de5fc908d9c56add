// go print, go locals, go map --json, and the GDB pretty-printer's rendering.
#include "commands/goroutine_frame.h"
#include "commands/locals_command.h"
#include "commands/map_json.h"
#include "commands/marked_text.h"
#include "commands/print_command.h"
#include "python/bindings.h"
#include "target/type_names.h"
#include "target/variables.h"

namespace gomapdbg::python {

// Before the commands that take it as a default argument.
void bind_value_caps(py::module_& m) {
  py::class_<ValueCaps>(m, "ValueCaps",
                        "--max-elements, --max-string, --max-depth: None keeps the default, "
                        "0 is unlimited.")
      .def(py::init([](std::optional<uint64_t> max_elements, std::optional<uint64_t> max_string,
                       std::optional<uint64_t> max_depth) {
             return ValueCaps{max_elements, max_string, max_depth};
           }),
           py::arg("max_elements") = std::nullopt, py::arg("max_string") = std::nullopt,
           py::arg("max_depth") = std::nullopt);
  RenderLimits defaults;
  m.attr("DEFAULT_VALUE_CAPS") = py::dict(py::arg("max_elements") = defaults.max_elements,
                                          py::arg("max_string") = defaults.max_string,
                                          py::arg("max_depth") = defaults.max_depth);
}

void bind_value_commands(py::module_& m) {
  m.def(
      "print_command",
      [](Target& target, const std::string& expression, std::optional<std::string> type, int deref,
         bool json, const ValueCaps& caps, py::function write) {
        PrintOptions options;
        options.caps = caps;
        options.type = std::move(type);
        options.deref = deref;
        options.json = json;
        with_output(std::move(write),
                    [&](Output& out) { print_command(target, expression, options, out); });
      },
      py::arg("target"), py::arg("expression"), py::arg("type") = std::nullopt,
      py::arg("deref") = 0, py::arg("json") = false, py::arg("caps") = ValueCaps{},
      py::arg("write"));

  m.def(
      "locals_command",
      [](Target& target, bool json, const ValueCaps& caps, py::function write) {
        with_output(std::move(write),
                    [&](Output& out) { locals_command(target, json, out, caps); });
      },
      py::arg("target"), py::arg("json") = false, py::arg("caps") = ValueCaps{}, py::arg("write"));

  m.def(
      "map_command_json",
      [](Target& target, const std::string& expression, std::optional<std::string> type,
         uint64_t limit, bool all, bool buckets, std::optional<std::string> key,
         const ValueCaps& caps, py::function write) {
        MapOptions options;
        options.caps = caps;
        options.type = std::move(type);
        options.limit = limit;
        options.all = all;
        options.buckets = buckets;
        options.key = std::move(key);
        with_output(std::move(write),
                    [&](Output& out) { map_command_json(target, expression, options, out); });
      },
      py::arg("target"), py::arg("expression"), py::arg("type") = std::nullopt,
      py::arg("limit") = 100, py::arg("all") = false, py::arg("buckets") = false,
      py::arg("key") = std::nullopt, py::arg("caps") = ValueCaps{}, py::arg("write"));

  m.def("select_goroutine_frame", &select_goroutine_frame, py::arg("target"),
        py::arg("goroutine") = std::nullopt, py::arg("frame") = "0",
        "Selects frame N of a goroutine (as `go bt` numbers them) for locals; returns a "
        "one-line description, marked for write_text.");
  m.def(
      "write_text",
      [](const std::string& line, py::function write) {
        with_output(std::move(write), [&](Output& out) { out.line(line); });
      },
      py::arg("line"), py::arg("write"),
      "Writes a line the core marked (select_goroutine_frame's), coloured and broken as the "
      "command's text style says.");
  m.def(
      "write_prose",
      [](const std::string& line, py::function write) {
        with_output(std::move(write), [&](Output& out) { out.line(marked_prose(line)); });
      },
      py::arg("line"), py::arg("write"),
      "Writes a line of plain text, its addresses and FILE.go:LINE positions coloured as the "
      "core's own output.");

  m.def("goroutine_frame_functions", &goroutine_frame_functions, py::arg("target"),
        py::arg("goroutine") = std::nullopt,
        "The functions of a goroutine's frames, innermost first, as `go bt` numbers them "
        "(completion).");

  m.def("type_names", &type_names, py::arg("target"), py::arg("prefix") = "",
        py::arg("maps_only") = false,
        "The Go type names starting with `prefix`, map types first (completion).");

  m.def("variable_names", &variable_names, py::arg("target"), py::arg("prefix") = "",
        "Variable names starting with `prefix` an expression can begin with: the selected "
        "frame's arguments and locals, the globals, main's globals without 'main.' "
        "(completion).");

  m.def("render_value", &render_value, py::arg("target"), py::arg("address"), py::arg("type_name"),
        py::arg("limit") = 200,
        "The canonical inline rendering of a value of a Go type at an address (for a map, "
        "the header address).");
}

}  // namespace gomapdbg::python
