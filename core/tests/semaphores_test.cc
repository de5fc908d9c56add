// The walk of runtime.semtable: a treap of sudogs per root (children in
// prev and next) with the waiters on one address in a waitlink list, laid
// out in synthetic memory with the fields of runtime/sema.go; damaged
// links (cycles, unreadable nodes) end the walk with a warning, never a hang.
#include "runtime/semaphores.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "errors.h"
#include "synthetic_memory.h"

namespace gomapdbg {
namespace {

using test::SyntheticMemory;
using test::TypeArena;

class SemaphoreTableTest : public ::testing::Test {
 protected:
  SemaphoreTableTest() {
    const GoType* word = types.uintptr();
    const GoType* unsafe_ptr = types.basic(GoKind::UnsafePointer, 8, "unsafe.Pointer");
    sudog = types.structure("runtime.sudog", {{"g", word},
                                              {"next", word},
                                              {"prev", word},
                                              {"elem", unsafe_ptr},
                                              {"acquiretime", types.int64()},
                                              {"waitlink", word}});
    const GoType* root = types.structure(
        "runtime.semaRoot",
        {{"lock", word}, {"treap", types.pointer(sudog)}, {"nwait", types.uint32()}});
    const GoType* entry =
        types.structure("", {{"root", root}, {"pad", types.array(types.uint8(), 64 - root->size)}});
    table = types.array(entry, 3);
    table_bytes.assign(table->size, 0);
  }

  // A sudog of goroutine `g` asleep on `sema`.
  uint64_t sudog_at(uint64_t g, uint64_t sema) {
    uint64_t s = mem.alloc(sudog->size);
    mem.put_u64(s + sudog->field("g")->offset, g);
    mem.put_u64(s + sudog->field("elem")->offset, sema);
    return s;
  }
  void link(uint64_t s, const char* field, uint64_t to) {
    mem.put_u64(s + sudog->field(field)->offset, to);
  }
  void set_root(size_t index, uint64_t treap) {
    uint64_t at = index * 64 + 8;  // root.treap
    std::memcpy(&table_bytes[at], &treap, 8);
  }
  std::vector<std::pair<uint64_t, uint64_t>> waiters(const SemaWaiters& w) {
    std::vector<std::pair<uint64_t, uint64_t>> out;
    for (const SemaWaiter& s : w.waiters) out.emplace_back(s.g, s.sema);
    std::sort(out.begin(), out.end());
    return out;
  }

  SyntheticMemory mem;
  Memory memory{mem};
  TypeArena types;
  const GoType* sudog = nullptr;
  const GoType* table = nullptr;
  std::vector<uint8_t> table_bytes;
};

TEST_F(SemaphoreTableTest, FindsTreapNodesAndTheirWaitLists) {
  uint64_t a = sudog_at(0xa, 0x100), b = sudog_at(0xb, 0x80), c = sudog_at(0xc, 0x100);
  uint64_t d = sudog_at(0xd, 0x200);
  link(a, "prev", b);      // left child
  link(a, "waitlink", c);  // a second waiter on 0x100
  set_root(0, a);
  set_root(2, d);
  SemaWaiters w = walk_semaphore_table(memory, *table, table_bytes);
  EXPECT_TRUE(w.warnings.empty());
  EXPECT_EQ(waiters(w), (std::vector<std::pair<uint64_t, uint64_t>>{
                            {0xa, 0x100}, {0xb, 0x80}, {0xc, 0x100}, {0xd, 0x200}}));
}

TEST_F(SemaphoreTableTest, CyclesAreCutWithAWarning) {
  uint64_t a = sudog_at(0xa, 0x100), b = sudog_at(0xb, 0x80);
  link(a, "next", b);
  link(b, "prev", a);      // back to the root
  link(b, "waitlink", b);  // a list that loops on itself
  set_root(1, a);
  SemaWaiters w = walk_semaphore_table(memory, *table, table_bytes);
  EXPECT_EQ(waiters(w), (std::vector<std::pair<uint64_t, uint64_t>>{{0xa, 0x100}, {0xb, 0x80}}));
  EXPECT_FALSE(w.warnings.empty());
}

TEST_F(SemaphoreTableTest, UnreadableNodesAreSkipped) {
  uint64_t a = sudog_at(0xa, 0x100);
  link(a, "next", 0x10);      // unmapped
  link(a, "waitlink", 0x20);  // unmapped
  set_root(0, a);
  SemaWaiters w = walk_semaphore_table(memory, *table, table_bytes);
  EXPECT_EQ(waiters(w), (std::vector<std::pair<uint64_t, uint64_t>>{{0xa, 0x100}}));
  EXPECT_EQ(w.warnings.size(), 2u);
}

TEST_F(SemaphoreTableTest, ALongChainStopsAtTheCap) {
  // A waitlist longer than the cap (a damaged list that never ends).
  uint64_t first = sudog_at(1, 0x100), s = first;
  for (size_t i = 0; i < kMaxSemaWaiters + 5; ++i) {
    uint64_t next = sudog_at(i + 2, 0x100);
    link(s, "waitlink", next);
    s = next;
  }
  set_root(0, first);
  SemaWaiters w = walk_semaphore_table(memory, *table, table_bytes);
  EXPECT_EQ(w.waiters.size(), kMaxSemaWaiters);
  ASSERT_EQ(w.warnings.size(), 1u);
  EXPECT_NE(w.warnings[0].find("more than"), std::string::npos);
}

TEST_F(SemaphoreTableTest, ASudogWithoutItsFieldsIsALayoutError) {
  const GoType* bare = types.structure("runtime.sudog", {{"g", types.uintptr()}});
  const GoType* root = types.structure("runtime.semaRoot", {{"treap", types.pointer(bare)}});
  const GoType* entry = types.structure("", {{"root", root}});
  EXPECT_THROW(walk_semaphore_table(memory, *types.array(entry, 1), std::vector<uint8_t>(8)),
               LayoutError);
}

}  // namespace
}  // namespace gomapdbg
