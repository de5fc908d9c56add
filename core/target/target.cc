#include "target/target.h"

#include <elf.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <vector>

#include "arch/amd64_frame.h"

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

}  // namespace

Target::Target(std::shared_ptr<GoBinary> binary, std::shared_ptr<MemoryReader> reader,
               std::optional<FrameInput> frame, std::vector<ThreadInput> threads)
    : binary_(std::move(binary)),
      reader_(std::move(reader)),
      memory_(*reader_),
      frame_(std::move(frame)),
      threads_(std::move(threads)) {
  refuse_non_go(*binary_);
}

std::optional<FrameState> Target::frame_state() const {
  if (selected_state_) return selected_state_;
  if (!frame_ || !binary_->pclntab()) return std::nullopt;
  FrameState state;
  // A caller's PC is a return address: look it up inside the call instruction.
  state.pc = frame_->innermost ? frame_->pc : frame_->pc - 1;
  auto fn = binary_->pclntab()->function(state.pc);
  if (!fn) return std::nullopt;
  auto delta = binary_->pclntab()->sp_delta(*fn, state.pc);
  if (!delta) return std::nullopt;
  // The call pushed the return address just below the CFA.
  state.cfa = frame_->sp + static_cast<uint64_t>(*delta) + amd64::kReturnAddressBelowCfa;
  if (frame_->innermost) {
    for (size_t i = 0; i < kDwarfRegisterNames.size(); ++i) {
      auto it = frame_->registers.find(kDwarfRegisterNames[i]);
      if (it != frame_->registers.end()) state.registers[i] = it->second;
    }
  }
  return state;
}

std::vector<std::string> Target::warnings() const {
  std::vector<std::string> out;
  if (auto problem = reader_->problem()) out.push_back(*problem);
  if (auto mismatch = executable_mismatch()) out.push_back(*mismatch);
  return out;
}

std::optional<std::string> Target::executable_mismatch() const {
  const LoadSegment* first = nullptr;
  for (const auto& s : binary_->image().file().segments())
    if (s.offset == 0 && s.filesz) first = &s;
  if (!first) return std::nullopt;
  size_t size = std::min<uint64_t>(first->filesz, 4096);
  std::vector<uint8_t> file(size), memory(size);
  if (binary_->image().read(first->vaddr, file.data(), size) != size) return std::nullopt;
  if (memory_.read_prefix(first->vaddr, memory.data(), size) != size) return std::nullopt;
  if (file == memory) return std::nullopt;
  // The unstripped twin of the program that dumped the core (or the other
  // way round) is the same program: same load image, same build ID notes.
  blank_strip_fields(file);
  blank_strip_fields(memory);
  if (file == memory) return std::nullopt;
  return "the memory at " + hex(first->vaddr) + " differs from " + binary_->path() +
         "'s ELF header: a core of another executable or build?";
}

}  // namespace gomapdbg
