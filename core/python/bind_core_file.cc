// Direct access to a core file's threads (NT_PRSTATUS), for tests and the
// standalone tool.
#include "elf/core_file.h"
#include "program/go_binary.h"
#include "python/bindings.h"

namespace gomapdbg::python {

void bind_core_file(py::module_& m) {
  m.def(
      "core_threads",
      [](const std::string& core, const std::string& executable, const std::string& debug_file) {
        CoreFile file(core, GoBinary::open(executable, debug_file)->shared_image());
        py::list out;
        for (const CoreThread& t : file.threads()) {
          py::dict regs;
          for (size_t i = 0; i < kAmd64RegisterNames.size(); ++i)
            regs[kAmd64RegisterNames[i]] = t.registers[i];
          out.append(py::make_tuple(t.tid, t.signal, regs));
        }
        return out;
      },
      py::arg("core"), py::arg("executable"), py::arg("debug_file") = "",
      "The threads of a core file from its NT_PRSTATUS notes: (tid, signal, registers).");
}

}  // namespace gomapdbg::python
