// Go's own function table (.gopclntab, format of go1.18+: magic 0xfffffff0
// for 1.18–1.19, 0xfffffff1 for 1.20–1.26). It works on stripped binaries:
// function names, frame sizes (pcsp) and file:line for any PC.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gomapdbg {

class ElfImage;

struct GoFunc {
  uint64_t entry = 0;
  std::string name;
  uint64_t func_offset = 0;  // of the _func record within the function table
};

class Pclntab {
 public:
  // `text_start` overrides the header's textStart (which go1.26 writes as 0).
  Pclntab(std::vector<uint8_t> data, uint64_t text_start);
  static std::optional<Pclntab> from_image(const ElfImage& image);

  uint32_t magic() const { return magic_; }
  std::optional<GoFunc> function(uint64_t pc) const;
  // Bytes the stack pointer has moved down since the function's entry.
  std::optional<int64_t> sp_delta(const GoFunc& fn, uint64_t pc) const;
  std::optional<std::pair<std::string, int64_t>> file_line(const GoFunc& fn, uint64_t pc) const;

 private:
  uint32_t u32(uint64_t off) const;
  uint64_t u64(uint64_t off) const;
  std::string cstring(uint64_t off) const;
  std::optional<int64_t> pc_value(uint32_t table, uint64_t entry, uint64_t pc) const;

  std::vector<uint8_t> data_;
  uint32_t magic_ = 0;
  uint8_t quantum_ = 1;
  uint64_t nfunc_ = 0, text_start_ = 0;
  uint64_t funcname_ = 0, cu_ = 0, filetab_ = 0, pctab_ = 0, functab_ = 0;
};

}  // namespace gomapdbg
