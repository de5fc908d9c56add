// Direct access to a core file's threads (NT_PRSTATUS), for tests and the
// standalone tool, and the register names of an executable's architecture.
#include "elf/core_file.h"
#include "errors.h"
#include "program/go_binary.h"
#include "python/bindings.h"

namespace gomapdbg::python {

namespace {

std::vector<std::string> names(RegisterNames list) { return {list.begin(), list.end()}; }

}  // namespace

void bind_core_file(py::module_& m) {
  m.def(
      "core_threads",
      [](const std::string& core, const std::string& executable, const std::string& debug_file) {
        CoreFile file(core, GoBinary::open(executable, debug_file)->shared_image());
        py::list out;
        for (const CoreThread& t : file.threads()) {
          out.append(py::make_tuple(t.tid, t.signal, t.by_name(file.architecture())));
        }
        return out;
      },
      py::arg("core"), py::arg("executable"), py::arg("debug_file") = "",
      "The threads of a core file from its NT_PRSTATUS notes: (tid, signal, registers).");
  m.def(
      "register_names",
      [](const std::string& executable) {
        const Architecture& arch = GoBinary::open(executable)->architecture();
        py::dict out;
        out["goarch"] = arch.goarch;
        out["frame"] = names(arch.frame_registers);
        out["thread"] = names(arch.thread_registers);
        out["sp"] = arch.sp;
        out["arguments"] = names(arch.integer_argument_registers);
        return out;
      },
      py::arg("executable"),
      "What a front end hands over for the executable's architecture: {goarch, frame (the "
      "innermost frame's registers), thread (every thread's), sp, arguments (Go's integer "
      "argument registers, in order)}.");
  m.def(
      "architecture_facts",
      [](const std::string& goarch) {
        const Architecture* arch = architecture_named(goarch);
        if (!arch) throw UsageError("no architecture " + goarch);
        py::dict out;
        out["g_register"] = arch->g_register;
        out["integer_argument_registers"] = names(arch->integer_argument_registers);
        out["async_preempt_offset"] = arch->async_preempt.offset;
        out["async_preempt_registers"] = names(arch->async_preempt.registers);
        out["dwarf_registers"] = names(arch->dwarf_registers);
        return out;
      },
      py::arg("goarch"),
      "The facts of an architecture tests check against each toolchain's own sources.");
}

}  // namespace gomapdbg::python
