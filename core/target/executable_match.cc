#include "target/executable_match.h"

#include <elf.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <vector>

#include "elf/core_file.h"
#include "errors.h"

namespace gomapdbg {

namespace {

// Blanks what strip changes in an executable's first page without changing
// the program it loads: the section header table (which Go linkers before
// 1.26 put right after the program headers, inside the loaded page; strip
// moves it to the end), the ELF header's fields for it (e_shoff,
// e_shentsize, e_shnum, e_shstrndx) and the segments' file sizes (strip
// trims the zeros a data segment ends with; memory sizes stay).
void blank_strip_fields(std::vector<uint8_t>& page) {
  if (page.size() < sizeof(Elf64_Ehdr)) return;
  Elf64_Ehdr header;
  std::memcpy(&header, page.data(), sizeof header);
  uint64_t table = uint64_t{header.e_shentsize} * header.e_shnum;
  uint64_t program_headers_end = header.e_phoff + uint64_t{header.e_phentsize} * header.e_phnum;
  if (header.e_shoff >= std::max<uint64_t>(sizeof header, program_headers_end) &&
      header.e_shoff < page.size())
    std::memset(page.data() + header.e_shoff, 0,
                std::min<uint64_t>(table, page.size() - header.e_shoff));
  std::memset(page.data() + offsetof(Elf64_Ehdr, e_shoff), 0, sizeof header.e_shoff);
  std::memset(page.data() + offsetof(Elf64_Ehdr, e_shentsize), 0,
              sizeof header.e_shentsize + sizeof header.e_shnum + sizeof header.e_shstrndx);
  if (header.e_phentsize != sizeof(Elf64_Phdr)) return;
  for (uint64_t i = 0, at = header.e_phoff;
       i < header.e_phnum && at <= page.size() && page.size() - at >= sizeof(Elf64_Phdr);
       ++i, at += sizeof(Elf64_Phdr))
    std::memset(page.data() + at + offsetof(Elf64_Phdr, p_filesz), 0, sizeof(Elf64_Xword));
}

// The executable's loaded first page (the segment at file offset 0).
const LoadSegment* first_segment(const ElfFile& executable) {
  const LoadSegment* first = nullptr;
  for (const auto& s : executable.segments())
    if (s.offset == 0 && s.filesz) first = &s;
  return first;
}

// Whether memory holds another first page than the file; nullopt when it
// cannot tell (no such segment, or memory lacks the page).
std::optional<bool> first_page_differs(const Memory& memory, const ElfFile& executable) {
  const LoadSegment* first = first_segment(executable);
  if (!first) return std::nullopt;
  size_t size = std::min<uint64_t>(first->filesz, 4096);
  std::vector<uint8_t> file(size), loaded(size);
  if (executable.read_file(0, file.data(), size) != size) return std::nullopt;
  if (memory.read_prefix(first->vaddr, loaded.data(), size) != size) return std::nullopt;
  if (file == loaded) return false;
  // The unstripped twin of the program that dumped the core (or the other
  // way round) is the same program: same load image, same build ID notes.
  blank_strip_fields(file);
  blank_strip_fields(loaded);
  return file != loaded;
}

}  // namespace

std::optional<std::string> memory_mismatch(const Memory& memory, const ElfFile& executable) {
  if (first_page_differs(memory, executable).value_or(false))
    return "the memory at " + hex(first_segment(executable)->vaddr) + " differs from " +
           executable.path() + "'s ELF header: a core of another executable or build?";
  return std::nullopt;
}

std::optional<std::string> core_mismatch(const std::string& core_path,
                                         const std::string& executable) {
  CoreFile core(core_path, nullptr);  // the dumped bytes only
  ElfFile file(executable);
  if (!first_page_differs(Memory(core), file).value_or(false)) return std::nullopt;
  std::string dumped_by = core.mapped_file(first_segment(file)->vaddr);
  std::error_code error;
  std::string canonical = std::filesystem::weakly_canonical(executable, error).string();
  std::string line = "the core file " + core_path + " was dumped by ";
  if (dumped_by.empty() || dumped_by == executable || (!error && dumped_by == canonical))
    return line + "another build of " + executable + ": load that build to read it";
  return line + dumped_by + ", not by " + executable + ": load that program to read it";
}

}  // namespace gomapdbg
