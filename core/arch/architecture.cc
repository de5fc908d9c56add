#include "arch/architecture.h"

#include <elf.h>

namespace gomapdbg {

std::optional<size_t> Architecture::dwarf_number(const std::string& name) const {
  for (size_t i = 0; i < dwarf_registers.size(); ++i)
    if (name == dwarf_registers[i]) return i;
  return std::nullopt;
}

const Architecture* architecture_of_machine(uint16_t elf_machine) {
  switch (elf_machine) {
    case EM_X86_64:
      return &amd64_architecture();
    case EM_AARCH64:
      return &arm64_architecture();
    default:
      return nullptr;
  }
}

const char* supported_machines() { return "x86-64 and AArch64"; }

}  // namespace gomapdbg
