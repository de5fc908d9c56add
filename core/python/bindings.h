// Shared pieces of the Python module: each command group binds itself in
// its own bind_*.cc file through one of these functions.
#pragma once

#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "commands/output.h"

namespace gomapdbg::python {

namespace py = pybind11;

// Output that streams to a Python write(str) callable and lets Ctrl-C
// through between chunks.
Output python_output(py::function write);

// Runs `body(out)` and flushes the output, also when body throws.
template <typename Body>
void with_output(py::function write, Body&& body) {
  Output out = python_output(std::move(write));
  try {
    body(out);
  } catch (...) {
    out.flush();
    throw;
  }
  out.flush();
}

void bind_target(py::module_& m);
void bind_map_commands(py::module_& m);
void bind_core_file(py::module_& m);
void bind_goroutine_commands(py::module_& m);
void bind_value_caps(py::module_& m);
void bind_value_commands(py::module_& m);
void bind_report_command(py::module_& m);
void bind_catch(py::module_& m);
void bind_watch(py::module_& m);
void bind_code_index(py::module_& m);
void bind_runtime_descriptors(py::module_& m);

}  // namespace gomapdbg::python
