// The live write recorder (core/watch): hardware watchpoints on every thread
// of a running process, sampled into ring buffers; see write_recorder.h.
#include "commands/watch_command.h"
#include "program/go_binary.h"
#include "python/bindings.h"
#include "watch/write_recorder.h"

namespace gomapdbg::python {

namespace {

py::dict sample_dict(const WatchSample& s) {
  py::dict registers;
  for (const auto& [name, value] : s.registers) registers[py::str(name)] = value;
  py::dict out;
  bool exec = s.kind == WatchSample::Kind::Exec;
  out["kind"] = exec ? "exec" : "write";
  out["exec_address"] = exec ? py::object(py::int_(s.exec_address)) : py::object(py::none());
  out["pid"] = s.pid;
  out["tid"] = s.tid;
  out["time_ns"] = s.time_ns;
  out["ip"] = s.ip;
  out["registers"] = registers;
  out["callchain"] = s.callchain;
  return out;
}

py::list sample_list(const std::vector<WatchSample>& samples) {
  py::list out;
  for (const WatchSample& s : samples) out.append(sample_dict(s));
  return out;
}

}  // namespace

// Reads keep the GIL: another Python thread's stop() must not free the
// buffers under them.
void bind_watch(py::module_& m) {
  m.def(
      "require_watchable",
      [](const std::string& executable) {
        require_watchable(GoBinary::open(executable)->architecture());
      },
      py::arg("executable"),
      "Raises UsageError (one line) when go watch cannot watch a process of the executable's "
      "architecture on this machine.");
  m.def(
      "watch_request",
      [](Target& target, const std::string& expression, std::optional<std::string> type) {
        WatchRequest r = watch_request(target, expression, type);
        py::dict out;
        out["map"] = r.map;
        out["address"] = r.address;
        out["length"] = r.length;
        out["description"] = r.description;
        out["throw_entries"] = r.throw_entries;
        return out;
      },
      py::arg("target"), py::arg("expression"), py::arg("type") = std::nullopt,
      "What `go watch EXPR` arms: the map header and the byte of it every write toggles.");
  m.def(
      "watch_summary",
      [](Target& target, const WriteRecorder& recorder, const std::string& watched, size_t last,
         bool json, py::function write) {
        RecordedWrites recorded;
        {
          py::gil_scoped_release released;
          recorded = recorder.log();
        }
        with_output(std::move(write), [&](Output& out) {
          watch_summary(target, recorded, watched, WatchSummaryOptions{last, json}, out);
        });
      },
      py::arg("target"), py::arg("recorder"), py::arg("watched"), py::arg("last") = 16,
      py::arg("json") = false, py::arg("write"),
      "Who wrote the watched map so far: per goroutine and call site, and the last writes.");

  py::class_<WriteRecorder>(m, "WriteRecorder",
                            "Hardware watchpoints on every thread of a live process, recording "
                            "each write (and each exec address hit) without stopping it.")
      .def(py::init([](int pid, uint64_t address, int length,
                       const std::vector<uint64_t>& exec_addresses, size_t buffer_pages) {
             auto recorder = std::make_unique<WriteRecorder>(buffer_pages);
             py::gil_scoped_release released;
             recorder->start(pid, address, length, exec_addresses);
             return recorder;
           }),
           py::arg("pid"), py::arg("address"), py::arg("length"),
           py::arg("exec_addresses") = std::vector<uint64_t>{},
           py::arg("buffer_pages") = WriteRecorder::kDefaultBufferPages,
           "Arms the watchpoints; raises UsageError or Error (one line saying why).")
      .def(
          "samples", [](const WriteRecorder& r) { return sample_list(r.samples()); },
          "Every sample, oldest first: dicts with kind ('write' or 'exec'), exec_address, pid, "
          "tid, time_ns (CLOCK_MONOTONIC), ip, registers (rax rbx rcx rbp rsp rip r14) and "
          "callchain.")
      .def(
          "log",
          [](const WriteRecorder& r) {
            RecordedWrites log = r.log();
            py::dict out;
            out["samples"] = sample_list(log.samples);
            out["lost"] = log.lost;
            out["complete_since_ns"] = log.complete_since_ns;
            return out;
          },
          "samples, lost and complete_since_ns (every hit from then on is there) of one read.")
      .def("lost", &WriteRecorder::lost, "Hits the kernel could not record.")
      .def("threads", &WriteRecorder::threads_watched,
           "The threads armed directly (threads they create inherit the watch).")
      .def("exec_addresses_unavailable", &WriteRecorder::exec_addresses_unavailable,
           "Exec addresses left out for want of a free debug register.")
      .def("recording", &WriteRecorder::recording)
      .def("stop", &WriteRecorder::stop, "Disarms everything and frees the buffers.")
      .def("__enter__", [](WriteRecorder& r) -> WriteRecorder& { return r; })
      .def("__exit__", [](WriteRecorder& r, const py::args&) { r.stop(); });
}

}  // namespace gomapdbg::python
