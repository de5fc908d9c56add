// Whether memory (a core's, a process's) was loaded from this executable:
// the first page of its image (ELF header, program headers, Go build ID) is
// compared with the file's.
#pragma once

#include <optional>
#include <string>

#include "elf/elf_image.h"
#include "memory/memory.h"

namespace gomapdbg {

// A one-line warning when `memory` holds another first page than the
// executable's file: another program or build. nullopt when they agree,
// differ only where strip changes the page (a stripped copy of the same
// build), or memory lacks the page.
std::optional<std::string> memory_mismatch(const Memory& memory, const ElfFile& executable);

// The same for a core file, in the words a user needs first: the core, the
// program that dumped it (its NT_FILE note) and the executable loaded.
std::optional<std::string> core_mismatch(const std::string& core_path,
                                         const std::string& executable);

}  // namespace gomapdbg
