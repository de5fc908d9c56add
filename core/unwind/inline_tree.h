// Inlined calls at a PC, from the function's inline tree: pcdata
// InlTreeIndex gives an entry of funcdata InlTree (stored relative to
// moduledata.gofunc), whose parentPc leads to the call site one level out.
// Entry layout: go1.20+ {funcID u8; _ [3]u8; nameOff i32; parentPc i32;
// startLine i32} (16 B); go1.18/1.19 {parent i16; funcID u8; _ u8; file i32;
// line i32; func_ i32; parentPc i32} (20 B) (§6.3).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "binary/pclntab.h"
#include "memory/memory.h"

namespace gomapdbg {

struct LogicalFrame {
  std::string function;
  std::string file;
  int64_t line = 0;
  bool inlined = false;  // inlined into the next frame of the list
};

class InlineTree {
 public:
  // `rodata` reads the executable's static data; `gofunc` is moduledata.gofunc
  // (nullopt: inlined frames are not expanded).
  InlineTree(const Pclntab& table, MemoryReader& rodata, std::optional<uint64_t> gofunc)
      : table_(table), rodata_(rodata), gofunc_(gofunc) {}

  // The logical frames at `pc` in `fn`, innermost first; the last is `fn` itself.
  std::vector<LogicalFrame> frames(const GoFunc& fn, uint64_t pc) const;

 private:
  const Pclntab& table_;
  MemoryReader& rodata_;
  std::optional<uint64_t> gofunc_;
};

}  // namespace gomapdbg
