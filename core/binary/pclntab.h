// Go's own function table (.gopclntab, format of go1.18+: magic 0xfffffff0
// for 1.18–1.19, 0xfffffff1 for 1.20–1.27). It works on stripped binaries:
// function names, frame sizes (pcsp), file:line, pcdata/funcdata (the inline
// tree) and function flags for any PC.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace gomapdbg {

class ElfImage;

struct GoFunc {
  uint64_t entry = 0;
  std::string name;
  uint64_t func_offset = 0;  // of the _func record within the function table
  uint8_t func_id = 0;       // abi.FuncID (numbering differs between versions; prefer names)
  uint8_t flag = 0;          // abi.FuncFlag
  uint32_t npcdata = 0;
  uint8_t nfuncdata = 0;
  // Bytes of the arguments area above the return address, the register
  // arguments' spill slots included (_func.args, go1.18–go1.26, §6.3).
  uint32_t args = 0;
};

// abi.FuncFlag bits, go1.18–go1.26 (§6.3).
inline constexpr uint8_t kFuncFlagTopFrame = 1;  // no caller: goexit, mstart, rt0_go, sigtramp
inline constexpr uint8_t kFuncFlagSpWrite = 2;   // writes SP: unwinding past it is unsafe

// PCDATA / FUNCDATA table indexes, go1.18–go1.26 (§6.3).
inline constexpr uint32_t kPcdataInlTreeIndex = 2;
inline constexpr uint32_t kFuncdataInlTree = 3;

class Pclntab {
 public:
  // `text_start` overrides the header's textStart (which go1.26 writes as 0).
  Pclntab(std::vector<uint8_t> data, uint64_t text_start);
  static std::optional<Pclntab> from_image(const ElfImage& image);
  // A table with no functions (every lookup fails): what goroutine listings
  // use when the executable's own is damaged.
  static const Pclntab& empty();

  uint32_t magic() const { return magic_; }
  // go1.18/1.19 layouts of _func (40 bytes) and the inline tree (20-byte entries).
  bool is_go118() const;
  uint8_t quantum() const { return quantum_; }
  uint64_t text_start() const { return text_start_; }

  std::optional<GoFunc> function(uint64_t pc) const;
  // The functions in address order, for walks over all of them: function
  // `index` (< nfunc()) and its entry; entry_at(nfunc()) is the end of the
  // last one (the table's end sentinel).
  std::optional<GoFunc> function_at(uint64_t index) const;
  uint64_t entry_at(uint64_t index) const;
  // The entry of the function holding pc (0 when none): function() without
  // reading the record or its name.
  uint64_t entry_of_pc(uint64_t pc) const;
  // The entry of a function by its full name (first use builds an index).
  std::optional<uint64_t> entry_of(const std::string& name) const;
  // Bytes the stack pointer has moved down since the function's entry.
  std::optional<int64_t> sp_delta(const GoFunc& fn, uint64_t pc) const;
  std::optional<std::pair<std::string, int64_t>> file_line(const GoFunc& fn, uint64_t pc) const;
  // The value of pcdata table `index` at pc (nullopt when absent).
  std::optional<int64_t> pcdata(const GoFunc& fn, uint32_t index, uint64_t pc) const;
  // Offset of funcdata `index` relative to moduledata.gofunc (nullopt when absent).
  std::optional<uint32_t> funcdata(const GoFunc& fn, uint32_t index) const;
  // A C string of the function name table (inline tree entries refer to it).
  std::string name_at(uint32_t name_offset) const { return cstring(funcname_ + name_offset); }
  uint64_t nfunc() const { return nfunc_; }

 private:
  uint32_t u32(uint64_t off) const;
  uint64_t u64(uint64_t off) const;
  std::string cstring(uint64_t off) const;
  std::optional<int64_t> pc_value(uint32_t table, uint64_t entry, uint64_t pc) const;
  // Index in functab of the function holding pc.
  std::optional<uint64_t> function_index(uint64_t pc) const;
  uint64_t func_size() const { return is_go118() ? 40 : 44; }

  std::vector<uint8_t> data_;
  uint32_t magic_ = 0;
  uint8_t quantum_ = 1;
  uint64_t nfunc_ = 0, text_start_ = 0;
  uint64_t funcname_ = 0, cu_ = 0, filetab_ = 0, pctab_ = 0, functab_ = 0;
  mutable std::unordered_map<std::string, uint64_t> by_name_;
};

}  // namespace gomapdbg
