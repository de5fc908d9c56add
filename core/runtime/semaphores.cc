#include "runtime/semaphores.h"

#include <unordered_set>

#include "errors.h"
#include "memory/memory.h"
#include "target/variables.h"

namespace gomapdbg {

namespace {

constexpr const char* kLayout = "semaphore table layout";
constexpr size_t kMaxWarnings = 8;

struct SudogLayout {
  uint64_t size = 0, g = 0, next = 0, prev = 0, elem = 0, waitlink = 0;
};

SudogLayout sudog_layout(const GoType& sudog) {
  auto offset = [&](const char* name) { return sudog.required_field(name, kLayout).offset; };
  SudogLayout layout{sudog.size,     offset("g"),    offset("next"),
                     offset("prev"), offset("elem"), offset("waitlink")};
  // go1.26+: elem is a maybeTraceablePtr whose vu holds the address even
  // when vp, the pointer the GC sees, was cleared.
  const GoType* elem = sudog.required_field("elem", kLayout).type;
  if (elem && elem->kind == GoKind::Struct)
    layout.elem += elem->required_field("vu", kLayout).offset;
  // A damaged DWARF could place a field past the sudog's bytes.
  for (uint64_t at : {layout.g, layout.next, layout.prev, layout.elem, layout.waitlink})
    if (layout.size > kMaxReadSize || at + 8 > layout.size)
      throw LayoutError("runtime.sudog's DWARF puts a field past its size");
  return layout;
}

class TreapWalk {
 public:
  TreapWalk(const Memory& memory, const SudogLayout& layout, SemaWaiters& out)
      : memory_(memory), layout_(layout), out_(out), bytes_(layout.size) {}

  // Every sudog of the treap rooted at `root`; false once the node cap is hit.
  bool walk(uint64_t root) {
    std::vector<uint64_t> pending{root};
    while (!pending.empty()) {
      uint64_t node = pending.back();
      pending.pop_back();
      if (!node) continue;
      if (seen_.count(node)) {
        cycle(node);
        continue;
      }
      if (!read(node)) continue;
      uint64_t sema = field(layout_.elem);
      uint64_t prev = field(layout_.prev), next = field(layout_.next);
      if (!queue(node, sema)) return false;
      pending.push_back(prev);
      pending.push_back(next);
    }
    return true;
  }

 private:
  // The waiters on `sema`: the treap node and its waitlink list.
  bool queue(uint64_t node, uint64_t sema) {
    for (uint64_t s = node; s;) {
      if (!seen_.insert(s).second) {
        cycle(s);
        return true;
      }
      if (seen_.size() > kMaxSemaWaiters) {
        warn("more than " + std::to_string(kMaxSemaWaiters) +
             " sudogs in the semaphore table: the rest are not read");
        return false;
      }
      if (s != node && !read(s)) return true;
      out_.waiters.push_back({field(layout_.g), sema});
      s = field(layout_.waitlink);
    }
    return true;
  }

  // One line per problem, the first kMaxWarnings of them (damaged memory
  // can make thousands).
  void warn(std::string line) {
    if (out_.warnings.size() < kMaxWarnings)
      out_.warnings.push_back(std::move(line));
    else if (out_.warnings.size() == kMaxWarnings)
      out_.warnings.push_back("more problems in the semaphore table are not listed");
  }

  void cycle(uint64_t s) {
    warn("the semaphore table links sudog " + hex(s) + " twice (a cycle): cut there");
  }

  bool read(uint64_t s) {
    if (memory_.read_prefix(s, bytes_.data(), bytes_.size()) == bytes_.size()) return true;
    warn("sudog " + hex(s) + " in the semaphore table is unreadable: skipped");
    return false;
  }

  uint64_t field(uint64_t offset) const { return load<uint64_t>(bytes_.data() + offset); }

  const Memory& memory_;
  const SudogLayout& layout_;
  SemaWaiters& out_;
  std::vector<uint8_t> bytes_;
  std::unordered_set<uint64_t> seen_;
};

}  // namespace

SemaWaiters semaphore_waiters(Target& target) {
  if (!target.binary().dwarf().present())
    throw LayoutError(
        "the semaphore table needs DWARF (runtime.semtable, runtime.sudog); this binary has none");
  auto table = find_global(target, "runtime.semtable");
  if (!table) throw LayoutError("DWARF has no runtime.semtable");
  return walk_semaphore_table(target.memory(), *table->type, table->bytes);
}

SemaWaiters walk_semaphore_table(const Memory& memory, const GoType& table,
                                 const std::vector<uint8_t>& bytes) {
  if (table.kind != GoKind::Array || !table.elem)
    throw LayoutError("runtime.semtable is not an array of semaRoots");
  const GoType& entry = *table.elem;
  const GoField& root = entry.required_field("root", kLayout);
  if (!root.type) throw LayoutError("DWARF lacks runtime.semaRoot");
  const GoField& treap = root.type->required_field("treap", kLayout);
  if (!treap.type || treap.type->kind != GoKind::Pointer || !treap.type->elem)
    throw LayoutError("DWARF lacks runtime.sudog");
  SudogLayout layout = sudog_layout(*treap.type->elem);
  SemaWaiters out;
  TreapWalk walk(memory, layout, out);
  for (uint64_t i = 0; i < table.length; ++i) {
    uint64_t at = i * entry.size + root.offset + treap.offset;
    if (at + 8 > bytes.size()) break;
    if (!walk.walk(load<uint64_t>(bytes.data() + at))) break;
  }
  return out;
}

}  // namespace gomapdbg
