#include "arch/architecture.h"

#include <array>

namespace gomapdbg {

std::optional<size_t> Architecture::dwarf_number(const std::string& name) const {
  for (size_t i = 0; i < dwarf_registers.size(); ++i)
    if (name == dwarf_registers[i]) return i;
  return std::nullopt;
}

std::span<const Architecture* const> architectures() {
  static const std::array<const Architecture*, 2> all = {&amd64_architecture(),
                                                         &arm64_architecture()};
  return all;
}

const Architecture* architecture_of_machine(uint16_t elf_machine) {
  for (const Architecture* arch : architectures())
    if (arch->elf_machine == elf_machine) return arch;
  return nullptr;
}

const Architecture* architecture_named(const std::string& goarch) {
  for (const Architecture* arch : architectures())
    if (goarch == arch->goarch) return arch;
  return nullptr;
}

const char* supported_machines() { return "x86-64 and AArch64"; }

}  // namespace gomapdbg
