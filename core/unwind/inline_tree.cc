#include "unwind/inline_tree.h"

namespace gomapdbg {

namespace {
constexpr int kMaxInlineDepth = 100;  // a corrupt tree (a parent loop) ends here
}

std::vector<LogicalFrame> InlineTree::frames(const GoFunc& fn, uint64_t pc) const {
  std::vector<LogicalFrame> out;
  auto located = [&](LogicalFrame f, uint64_t at) {
    if (auto fl = table_.file_line(fn, at)) {
      f.file = fl->first;
      f.line = fl->second;
    }
    return f;
  };
  auto inl = table_.funcdata(fn, kFuncdataInlTree);
  bool go118 = table_.is_go118();
  uint64_t entry_size = go118 ? 20 : 16;
  for (int depth = 0; gofunc_ && inl && depth < kMaxInlineDepth; ++depth) {
    auto index = table_.pcdata(fn, kPcdataInlTreeIndex, pc);
    if (!index || *index < 0) break;
    uint8_t entry[20];
    uint64_t at = *gofunc_ + *inl + static_cast<uint64_t>(*index) * entry_size;
    if (rodata_.read(at, entry, entry_size) != entry_size) break;
    int32_t name_off = load<int32_t>(entry + (go118 ? 12 : 4));
    int32_t parent_pc = load<int32_t>(entry + (go118 ? 16 : 8));
    out.push_back(located({table_.name_at(static_cast<uint32_t>(name_off)), "", 0, true}, pc));
    uint64_t parent = fn.entry + static_cast<uint64_t>(static_cast<int64_t>(parent_pc));
    if (parent == pc) break;  // no progress: corrupt
    pc = parent;
  }
  out.push_back(located({fn.name, "", 0, false}, pc));
  return out;
}

}  // namespace gomapdbg
