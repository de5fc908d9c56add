// The executable as an ELF file: sections, symbols and loadable segments.
// Read with elfutils' libelf; used for static data (rodata, pclntab,
// buildinfo) that a core file omits because it is file-backed.
#pragma once

#include <gelf.h>
#include <libelf.h>

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "memory/memory.h"

namespace gomapdbg {

struct ElfSymbol {
  uint64_t address = 0;
  uint64_t size = 0;
};

struct ElfSection {
  std::string name;
  uint64_t address = 0;
  uint64_t size = 0;
  uint64_t flags = 0;
  uint32_t type = 0;
  size_t index = 0;
};

struct LoadSegment {
  uint64_t vaddr = 0;
  uint64_t memsz = 0;
  uint64_t offset = 0;
  uint64_t filesz = 0;
  uint32_t flags = 0;
};

// Owns an open file descriptor and its libelf handle.
class ElfFile {
 public:
  explicit ElfFile(const std::string& path, uint64_t resident_budget = kResidentBudget);
  ~ElfFile();
  ElfFile(const ElfFile&) = delete;
  ElfFile& operator=(const ElfFile&) = delete;

  Elf* elf() const { return elf_; }
  const std::string& path() const { return path_; }
  uint16_t type() const { return header_.e_type; }
  uint16_t machine() const { return header_.e_machine; }
  const std::vector<LoadSegment>& segments() const { return segments_; }
  // Every program header the file holds (PT_LOAD, PT_NOTE, ...).
  const std::vector<GElf_Phdr>& program_headers() const { return program_headers_; }
  // Reads file bytes; returns how many were available. Copies from a
  // read-only mapping of the file (a core is read a few bytes at a time: a
  // syscall per read would dominate a map dump), falling back to pread.
  size_t read_file(uint64_t offset, void* out, size_t size) const;

  // Bytes of the mapping that reads may have made resident before some are
  // given back (MADV_DONTNEED), so that walking a core of gigabytes keeps
  // the resident set bounded; the page cache keeps them for the next read.
  // Counted in blocks of 64 KiB, what a page fault maps around the faulting
  // page (fault_around_bytes), each block once however often it is read.
  // Over budget, a CLOCK sweep gives back a quarter of it, blocks not read
  // since the last sweep first: a map's header, its type data and the
  // bucket array in progress stay mapped while a million scattered keys
  // stream through (dropping the whole mapping refaulted them all).
  static constexpr uint64_t kResidentBudget = uint64_t{512} << 20;
  static constexpr unsigned kBlockShift = 16;
  uint64_t resident_bytes() const { return resident_; }
  // Whether the block holding `offset` counts as mapped in (for tests).
  bool block_resident(uint64_t offset) const;

 private:
  std::string path_;
  int fd_ = -1;
  const uint8_t* map_ = nullptr;
  void note_read(uint64_t offset, size_t size) const;
  void evict() const;

  uint64_t budget_;
  mutable uint64_t resident_ = 0;
  // A bit per block of the mapping: mapped in by a read, and read since the
  // CLOCK hand last passed it.
  mutable std::vector<uint64_t> resident_bits_, referenced_bits_;
  mutable uint64_t clock_hand_ = 0;  // block index
  Elf* elf_ = nullptr;
  GElf_Ehdr header_{};
  std::vector<GElf_Phdr> program_headers_;
  std::vector<LoadSegment> segments_;
  uint64_t file_size_ = 0;
};

class ElfImage : public MemoryReader {
 public:
  explicit ElfImage(const std::string& path);

  const ElfFile& file() const { return file_; }
  const std::string& path() const { return file_.path(); }
  std::optional<ElfSymbol> symbol(const std::string& name) const;
  // The name of the data symbol that starts at `address` (empty without a
  // symbol table: -ldflags=-s).
  std::optional<std::string> symbol_at(uint64_t address) const;
  const ElfSection* section(const std::string& name) const;
  // Section contents, decompressed if SHF_COMPRESSED.
  std::vector<uint8_t> section_data(const ElfSection& section) const;
  bool has_symbols() const { return !symbols_.empty(); }
  // Adds the symbols of another file of the same build (a separate debug
  // file) that this one lacks; returns how many.
  size_t add_symbols(const ElfImage& other);
  uint64_t text_start() const;

  // The file-backed view of the loaded image (bss reads as zeros).
  size_t read(uint64_t address, void* out, size_t size) override;

 private:
  ElfFile file_;
  std::vector<ElfSection> sections_;
  std::unordered_map<std::string, ElfSymbol> symbols_;
};

}  // namespace gomapdbg
