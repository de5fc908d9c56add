// What `go catch` needs from the core: where the runtime's fatal functions
// start (symbols, else pclntab, so stripped binaries work too).
#include "program/go_binary.h"
#include "python/bindings.h"

namespace gomapdbg::python {

void bind_catch(py::module_& m) {
  m.def(
      "function_entries",
      [](const std::string& executable, const std::vector<std::string>& names) {
        auto binary = GoBinary::open(executable);
        py::dict out;
        for (const std::string& name : names) {
          std::optional<uint64_t> entry;
          if (auto sym = binary->image().symbol(name)) entry = sym->address;
          if (!entry && binary->pclntab()) entry = binary->pclntab()->entry_of(name);
          if (entry) out[py::str(name)] = *entry;
        }
        return out;
      },
      py::arg("executable"), py::arg("names"),
      "Entry addresses of the named functions that the executable has.");
}

}  // namespace gomapdbg::python
