// go report.
#include "commands/report_command.h"
#include "python/bindings.h"

namespace gomapdbg::python {

void bind_report_command(py::module_& m) {
  m.def(
      "report_command",
      [](Target& target, std::optional<std::string> message, uint64_t entries, bool all,
         bool buckets, bool all_goroutines, bool json, py::function write) {
        with_output(std::move(write), [&](Output& out) {
          report_command(
              target,
              ReportOptions{std::move(message), entries, all, buckets, all_goroutines, json}, out);
        });
      },
      py::arg("target"), py::arg("message") = std::nullopt, py::arg("entries") = 20,
      py::arg("all") = false, py::arg("buckets") = false, py::arg("all_goroutines") = false,
      py::arg("json") = false, py::arg("write"));
}

}  // namespace gomapdbg::python
