// An ELF core file as memory and threads, without a debugger. Memory comes
// from the core's PT_LOAD segments; what the kernel did not dump (file-backed
// text and rodata, a truncated tail) is read from the executable.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "arch/architecture.h"
#include "elf/elf_image.h"
#include "memory/memory.h"

namespace gomapdbg {

// One thread's NT_PRSTATUS: its registers in the order of the
// architecture's prstatus_registers.
struct CoreThread {
  int tid = 0;
  int signal = 0;
  std::vector<uint64_t> registers;
  uint64_t reg(const Architecture& arch, const char* name) const;
  std::map<std::string, uint64_t> by_name(const Architecture& arch) const;
};

class CoreFile : public MemoryReader {
 public:
  // `executable` supplies the file-backed segments; it may be null.
  CoreFile(const std::string& path, std::shared_ptr<ElfImage> executable);

  const std::vector<CoreThread>& threads() const { return threads_; }
  const Architecture& architecture() const { return *arch_; }
  // True when some dumped segment extends past the end of the file.
  bool truncated() const { return truncated_; }
  size_t read(uint64_t address, void* out, size_t size) override;
  // "the core file X is truncated: ..." when it is.
  std::optional<std::string> problem() const override;
  // The file the process had mapped at `address`, as the core's NT_FILE
  // note names it; "" when the note does not say.
  std::string mapped_file(uint64_t address) const;

 private:
  struct MappedFile {
    uint64_t start = 0, end = 0;
    std::string path;
  };
  void read_notes();
  void read_file_note(const uint8_t* desc, size_t size);
  ElfFile file_;
  const Architecture* arch_ = nullptr;
  std::shared_ptr<ElfImage> executable_;
  std::vector<CoreThread> threads_;
  std::vector<MappedFile> mapped_files_;
  bool truncated_ = false;
  uint64_t file_size_ = 0, needed_size_ = 0, first_missing_ = 0;
  size_t last_segment_ = 0;  // reads cluster: try the last segment hit first
};

}  // namespace gomapdbg
