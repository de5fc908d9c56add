// go goroutines, go bt, go goroutine, go threads.
#include "commands/bt_command.h"
#include "commands/goroutines_command.h"
#include "commands/threads_command.h"
#include "python/bindings.h"
#include "runtime/goroutines.h"
#include "runtime/wait_reasons.h"

namespace gomapdbg::python {

void bind_goroutine_commands(py::module_& m) {
  m.def(
      "goroutines_command",
      [](Target& target, size_t stack_depth, std::optional<std::string> status,
         std::optional<std::string> function_regex, bool user_only, bool group, bool json,
         std::optional<std::string> blocked_on, py::function write) {
        GoroutinesOptions options{
            stack_depth, std::move(status), std::move(function_regex), user_only, group, json};
        options.blocked_on = std::move(blocked_on);
        with_output(std::move(write),
                    [&](Output& out) { goroutines_command(target, options, out); });
      },
      py::arg("target"), py::arg("stack_depth") = 0, py::arg("status") = std::nullopt,
      py::arg("function_regex") = std::nullopt, py::arg("user_only") = false,
      py::arg("group") = false, py::arg("json") = false, py::arg("blocked_on") = std::nullopt,
      py::arg("write"));

  m.def(
      "bt_command",
      [](Target& target, std::optional<std::string> which, size_t depth, bool json,
         py::function write) {
        BtOptions options{std::move(which), depth, json};
        with_output(std::move(write), [&](Output& out) { bt_command(target, options, out); });
      },
      py::arg("target"), py::arg("which") = std::nullopt, py::arg("depth") = 100,
      py::arg("json") = false, py::arg("write"));

  m.def(
      "goroutine_command",
      [](Target& target, const std::string& goid, bool json, py::function write) {
        with_output(std::move(write),
                    [&](Output& out) { goroutine_command(target, goid, json, out); });
      },
      py::arg("target"), py::arg("goid"), py::arg("json") = false, py::arg("write"));

  m.def(
      "goroutine_ids",
      [](Target& target) {
        RuntimeSnapshot snapshot(target);
        std::vector<uint64_t> ids;
        for (const Goroutine& g : snapshot.goroutines())
          if (!g.dead()) ids.push_back(g.goid);
        return ids;
      },
      py::arg("target"), "The ids of the goroutines that are not dead, ascending (completion).");

  m.def(
      "goroutine_state_names",
      [](Target& target) { return goroutine_state_names(target.binary()); }, py::arg("target"),
      "The statuses and wait reasons go goroutines --status takes (completion).");

  m.def(
      "threads_command",
      [](Target& target, bool json, py::function write) {
        with_output(std::move(write), [&](Output& out) { threads_command(target, json, out); });
      },
      py::arg("target"), py::arg("json") = false, py::arg("write"));
}

}  // namespace gomapdbg::python
