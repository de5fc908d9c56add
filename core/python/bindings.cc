// The Python face of the core: one module, gomapdbg_core. Each command is one
// call; output streams back through a write callback. Core exceptions map to
// a small hierarchy under gomapdbg_core.Error.
#include <Python.h>
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "binary/go_binary.h"
#include "commands/info_command.h"
#include "commands/map_command.h"
#include "errors.h"
#include "memory/cached_memory.h"
#include "memory/core_file.h"
#include "memory/process_memory.h"
#include "target/target.h"

namespace py = pybind11;
using namespace gomapdbg;

namespace {

// Reads through a Python callable (address, size) -> bytes | None, which
// wraps the debugger's API. All-or-nothing; PrefixProbingReader finds the
// readable prefix, CachedMemory batches small reads into 64 KiB blocks.
class CallbackReader : public MemoryReader {
 public:
  explicit CallbackReader(py::function read) : read_(std::move(read)) {}
  size_t read(uint64_t address, void* out, size_t size) override {
    py::object result;
    try {
      result = read_(address, size);
    } catch (py::error_already_set& e) {
      if (e.matches(PyExc_KeyboardInterrupt)) throw;
      return 0;
    }
    if (result.is_none()) return 0;
    std::string_view data = result.cast<std::string_view>();
    size_t n = std::min(size, data.size());
    std::memcpy(out, data.data(), n);
    return n;
  }

 private:
  py::function read_;
};

// Owns a reader chain so Target can hold one shared_ptr.
template <typename Base>
class ReaderChain : public MemoryReader {
 public:
  explicit ReaderChain(std::unique_ptr<Base> base)
      : base_(std::move(base)), probe_(*base_), cache_(probe_) {}
  size_t read(uint64_t address, void* out, size_t size) override {
    return cache_.read(address, out, size);
  }

 private:
  std::unique_ptr<Base> base_;
  PrefixProbingReader probe_;
  CachedMemory cache_;
};

std::shared_ptr<Target> make_target(const std::string& executable, py::object read,
                                    std::optional<std::string> core, std::optional<int> pid,
                                    std::optional<FrameInput> frame) {
  auto binary = GoBinary::open(executable);
  std::shared_ptr<MemoryReader> reader;
  if (core) {
    reader = std::make_shared<CoreFile>(*core, binary->shared_image());
  } else if (pid) {
    reader = std::make_shared<ProcessMemory>(*pid);
  } else if (!read.is_none()) {
    reader = std::make_shared<ReaderChain<CallbackReader>>(
        std::make_unique<CallbackReader>(read.cast<py::function>()));
  } else {
    reader = binary->shared_image();  // the executable's static image only
  }
  return std::make_shared<Target>(binary, reader, frame);
}

// Output that also lets Ctrl-C through between flushes.
Output python_output(py::function write) {
  return Output([write](const std::string& text) {
    write(py::str(text));
    if (PyErr_CheckSignals() != 0) throw py::error_already_set();
  });
}

}  // namespace

PYBIND11_MODULE(gomapdbg_core, m) {
  m.doc() = "gomapdbg C++ core: Go map and runtime forensics from raw memory";

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

  py::class_<FrameInput>(m, "Frame")
      .def(py::init([](uint64_t pc, uint64_t sp, bool innermost,
                       std::map<std::string, uint64_t> registers) {
             return FrameInput{pc, sp, innermost, std::move(registers)};
           }),
           py::arg("pc"), py::arg("sp"), py::arg("innermost") = true,
           py::arg("registers") = std::map<std::string, uint64_t>{});

  py::class_<Target, std::shared_ptr<Target>>(m, "Target")
      .def(py::init(&make_target), py::arg("executable"), py::arg("read") = py::none(),
           py::arg("core") = std::nullopt, py::arg("pid") = std::nullopt,
           py::arg("frame") = std::nullopt,
           "Memory comes from `core` (a core file), `pid` (/proc/PID/mem), `read` (a "
           "callable (address, size) -> bytes | None), or else the executable's image.");

  m.def(
      "map_command",
      [](Target& target, const std::string& expression, std::optional<std::string> type,
         uint64_t limit, bool all, py::function write) {
        Output out = python_output(write);
        MapOptions options{std::move(type), limit, all};
        try {
          map_command(target, expression, options, out);
        } catch (...) {
          out.flush();
          throw;
        }
        out.flush();
      },
      py::arg("target"), py::arg("expression"), py::arg("type") = std::nullopt,
      py::arg("limit") = 100, py::arg("all") = false, py::arg("write"));

  m.def(
      "info_command",
      [](const std::string& executable, py::function write) {
        Output out = python_output(write);
        info_command(*GoBinary::open(executable), out);
        out.flush();
      },
      py::arg("executable"), py::arg("write"));
}
