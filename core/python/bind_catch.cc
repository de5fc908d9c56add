// What `go catch` needs from the core: the runtime's fatal path (the one
// list the crash report also uses) and where its functions start (symbols,
// else pclntab, so stripped binaries work too).
#include "maps/map_functions.h"
#include "program/go_binary.h"
#include "python/bindings.h"

namespace gomapdbg::python {

namespace {

py::tuple names_tuple(std::span<const char* const> names) {
  py::tuple out(names.size());
  for (size_t i = 0; i < names.size(); ++i) out[i] = py::str(names[i]);
  return out;
}

}  // namespace

void bind_catch(py::module_& m) {
  m.attr("FATAL_PATH_FUNCTIONS") = names_tuple(fatal_path_functions());
  m.attr("FATAL_MESSAGE_FUNCTIONS") = names_tuple(fatal_message_functions());
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
