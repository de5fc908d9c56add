// go map, go info.
#include "commands/info_command.h"
#include "commands/map_command.h"
#include "program/go_binary.h"
#include "python/bindings.h"

namespace gomapdbg::python {

void bind_map_commands(py::module_& m) {
  m.def(
      "map_command",
      [](Target& target, const std::string& expression, std::optional<std::string> type,
         uint64_t limit, bool all, bool buckets, std::optional<std::string> key,
         const ValueCaps& caps, py::function write) {
        MapOptions options{std::move(type), limit, all, buckets, std::move(key)};
        options.caps = caps;
        with_output(std::move(write),
                    [&](Output& out) { map_command(target, expression, options, out); });
      },
      py::arg("target"), py::arg("expression"), py::arg("type") = std::nullopt,
      py::arg("limit") = 100, py::arg("all") = false, py::arg("buckets") = false,
      py::arg("key") = std::nullopt, py::arg("caps") = ValueCaps{}, py::arg("write"));

  m.def(
      "info_command",
      [](const std::string& executable, py::function write, const std::string& debug_file,
         const std::string& debug_origin) {
        auto binary = GoBinary::open(executable, debug_file);
        with_output(std::move(write),
                    [&](Output& out) { info_command(*binary, out, debug_origin); });
      },
      py::arg("executable"), py::arg("write"), py::arg("debug_file") = "",
      py::arg("debug_origin") = "",
      "`debug_file`: the separate file DWARF and symbols come from; `debug_origin`: how the "
      "front end found it.");
}

}  // namespace gomapdbg::python
