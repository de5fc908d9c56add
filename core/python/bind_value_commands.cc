// go print, go locals, go map --json, and the GDB pretty-printer's rendering.
#include "commands/goroutine_frame.h"
#include "commands/locals_command.h"
#include "commands/map_json.h"
#include "commands/print_command.h"
#include "python/bindings.h"

namespace gomapdbg::python {

void bind_value_commands(py::module_& m) {
  m.def(
      "print_command",
      [](Target& target, const std::string& expression, std::optional<std::string> type, int deref,
         bool json, py::function write) {
        PrintOptions options;
        options.type = std::move(type);
        options.deref = deref;
        options.json = json;
        with_output(std::move(write),
                    [&](Output& out) { print_command(target, expression, options, out); });
      },
      py::arg("target"), py::arg("expression"), py::arg("type") = std::nullopt,
      py::arg("deref") = 0, py::arg("json") = false, py::arg("write"));

  m.def(
      "locals_command",
      [](Target& target, bool json, py::function write) {
        with_output(std::move(write), [&](Output& out) { locals_command(target, json, out); });
      },
      py::arg("target"), py::arg("json") = false, py::arg("write"));

  m.def(
      "map_command_json",
      [](Target& target, const std::string& expression, std::optional<std::string> type,
         uint64_t limit, bool all, bool buckets, std::optional<std::string> key,
         py::function write) {
        MapOptions options;
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
      py::arg("key") = std::nullopt, py::arg("write"));

  m.def("select_goroutine_frame", &select_goroutine_frame, py::arg("target"),
        py::arg("goroutine") = std::nullopt, py::arg("frame") = "0",
        "Selects frame N of a goroutine (as `go bt` numbers them) for locals; returns a "
        "one-line description.");

  m.def("render_value", &render_value, py::arg("target"), py::arg("address"), py::arg("type_name"),
        py::arg("limit") = 200,
        "The canonical inline rendering of a value of a Go type at an address (for a map, "
        "the header address).");
}

}  // namespace gomapdbg::python
