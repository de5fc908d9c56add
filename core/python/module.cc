// The Python face of the core: one module, gomapdbg_core. Each command is one
// call; output streams back through a write callback. Core exceptions map to
// a small hierarchy under gomapdbg_core.Error.
#include <Python.h>
#include <unistd.h>

#include <cstdio>

#include "errors.h"
#include "python/bindings.h"

namespace gomapdbg::python {

// How the command now running wants its text (gomapdbg.text_style sets it).
static TextStyle current_style;

Output python_output(py::function write) {
  auto check_interrupt = [] {
    if (PyErr_CheckSignals() != 0) throw py::error_already_set();
  };
  // Progress goes to the terminal only (stderr), never into the output.
  auto progress = [check_interrupt](uint64_t done, uint64_t total) {
    check_interrupt();
    if (!isatty(2)) return;
    if (total == 0)
      std::fprintf(stderr, "\r\033[K");
    else
      std::fprintf(stderr, "\r[gomapdbg] %llu/%llu entries...",
                   static_cast<unsigned long long>(done), static_cast<unsigned long long>(total));
    std::fflush(stderr);
  };
  return Output(
      [write, check_interrupt](const std::string& text) {
        write(py::str(text));
        check_interrupt();
      },
      progress, current_style);
}

}  // namespace gomapdbg::python

PYBIND11_MODULE(gomapdbg_core, m) {
  using namespace gomapdbg;
  namespace py = pybind11;
  m.doc() = "gomapdbg C++ core: Go map and runtime forensics from raw memory";
  m.attr("__version__") = GOMAPDBG_VERSION;

  static py::exception<Error> error(m, "Error");
  static py::exception<MemoryError> memory_error(m, "MemoryReadError", error.ptr());
  static py::exception<NotFoundError> not_found(m, "NotFoundError", error.ptr());
  static py::exception<LayoutError> layout_error(m, "LayoutError", error.ptr());
  static py::exception<UsageError> usage_error(m, "UsageError", error.ptr());
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const MemoryError& e) {
      memory_error(e.what());
    } catch (const NotFoundError& e) {
      not_found(e.what());
    } catch (const LayoutError& e) {
      layout_error(e.what());
    } catch (const UsageError& e) {
      usage_error(e.what());
    } catch (const Error& e) {
      error(e.what());
    }
  });

  m.def(
      "set_text_style",
      [](bool colour, size_t width) {
        python::current_style = TextStyle{colour, width};
      },
      py::arg("colour"), py::arg("width"),
      "Colour (ANSI SGR) and width (0: unbroken) of the text output of the commands that follow.");
  python::bind_target(m);
  python::bind_core_file(m);
  python::bind_value_caps(m);
  python::bind_map_commands(m);
  python::bind_goroutine_commands(m);
  python::bind_value_commands(m);
  python::bind_report_command(m);
  python::bind_catch(m);
  python::bind_watch(m);
  python::bind_code_index(m);
  python::bind_runtime_descriptors(m);
}
