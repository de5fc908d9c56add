// go report.
#include "commands/report_command.h"
#include "errors.h"
#include "python/bindings.h"
#include "unwind/signal_frame.h"
#include "watch/write_recorder.h"

namespace gomapdbg::python {

namespace {

// The siginfo_t a debugger stopped with (its first bytes, as the kernel
// lays them out), when the stop was a signal.
std::optional<SignalInfo> signal_from(const std::optional<py::bytes>& siginfo) {
  if (!siginfo) return std::nullopt;
  std::string raw = *siginfo;
  if (raw.size() < 24) throw UsageError("siginfo: need at least 24 bytes of siginfo_t");
  return decode_siginfo(reinterpret_cast<const uint8_t*>(raw.data()));
}

}  // namespace

void bind_report_command(py::module_& m) {
  m.def(
      "report_command",
      [](Target& target, std::optional<std::string> message, std::optional<py::bytes> siginfo,
         int64_t pid, const WriteRecorder* recorder, uint64_t watched_map, std::string watched,
         uint64_t entries, bool all, bool buckets, bool all_goroutines, bool json,
         const ValueCaps& caps, py::function write) {
        ReportOptions options{FatalInputs{std::move(message), signal_from(siginfo), pid},
                              entries,
                              all,
                              buckets,
                              all_goroutines,
                              json};
        options.caps = caps;
        RecordedWrites recorded;
        if (recorder) {
          py::gil_scoped_release released;
          recorded = recorder->log();
          options.recorded = &recorded;
          options.watched_map = watched_map;
          options.watched = std::move(watched);
        }
        with_output(std::move(write), [&](Output& out) { report_command(target, options, out); });
      },
      py::arg("target"), py::arg("message") = std::nullopt, py::arg("siginfo") = std::nullopt,
      py::arg("pid") = 0, py::arg("recorder") = nullptr, py::arg("watched_map") = 0,
      py::arg("watched") = "", py::arg("entries") = 20, py::arg("all") = false,
      py::arg("buckets") = false, py::arg("all_goroutines") = false, py::arg("json") = false,
      py::arg("caps") = ValueCaps{}, py::arg("write"));
}

}  // namespace gomapdbg::python
