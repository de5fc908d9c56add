// sync.Mutex, sync.RWMutex and the sync/atomic types decoded by go print:
// hand-made types with the fields of each Go release's source (go1.19's
// int32 RWMutex counts, go1.20's atomic.Int32, go1.24's Mutex wrapping
// internal/sync.Mutex) and the state words a program leaves in them.
#include "values/sync_primitives.h"

#include <gtest/gtest.h>

#include "synthetic_memory.h"
#include "values/json_renderer.h"
#include "values/value_renderer.h"

namespace gomapdbg {
namespace {

using test::SyntheticMemory;
using test::TypeArena;

class SyncPrimitivesTest : public ::testing::Test {
 protected:
  std::string text(const GoType* type, const std::vector<uint8_t>& bytes, int deref = 0) {
    RenderLimits limits;
    limits.deref_depth = deref;
    std::string out;
    ValueRenderer(memory, nullptr, limits).render(out, *type, bytes.data());
    return out;
  }
  std::string json(const GoType* type, const std::vector<uint8_t>& bytes) {
    std::string out;
    JsonRenderer(memory, nullptr).render(out, *type, bytes.data());
    return out;
  }
  static std::vector<uint8_t> int32s(std::initializer_list<int32_t> values) {
    std::vector<uint8_t> bytes;
    for (int32_t v : values)
      for (int i = 0; i < 4; ++i)
        bytes.push_back(static_cast<uint8_t>(static_cast<uint32_t>(v) >> (8 * i)));
    return bytes;
  }
  const GoType* no_copy() { return types.structure("sync.noCopy", {}); }
  // go1.19–go1.23: {state int32; sema uint32}.
  const GoType* mutex_go123() {
    return types.structure("sync.Mutex", {{"state", types.int32()}, {"sema", types.uint32()}});
  }
  // go1.24+: {_ noCopy; mu internal/sync.Mutex}.
  const GoType* mutex_go124() {
    const GoType* inner = types.structure("internal/sync.Mutex",
                                          {{"state", types.int32()}, {"sema", types.uint32()}});
    return types.structure("sync.Mutex", {{"_", no_copy()}, {"mu", inner}});
  }
  const GoType* atomic_int32() {
    return types.structure("sync/atomic.Int32", {{"_", no_copy()}, {"v", types.int32()}});
  }
  // go1.19 counts are int32, go1.20+ atomic.Int32.
  const GoType* rwmutex(const GoType* mutex, const GoType* count) {
    return types.structure("sync.RWMutex", {{"w", mutex},
                                            {"writerSem", types.uint32()},
                                            {"readerSem", types.uint32()},
                                            {"readerCount", count},
                                            {"readerWait", count}});
  }

  SyntheticMemory mem;
  Memory memory{mem};
  TypeArena types;
};

TEST_F(SyncPrimitivesTest, MutexStateWordIsDecodedInBothLayouts) {
  for (const GoType* mutex : {mutex_go123(), mutex_go124()}) {
    EXPECT_EQ(sync_kind(*mutex), SyncKind::Mutex);
    EXPECT_EQ(text(mutex, int32s({0, 0})), "sync.Mutex{}");
    EXPECT_EQ(text(mutex, int32s({1 | 2 << 3, 0})), "sync.Mutex{locked, waiters: 2}");
    EXPECT_EQ(text(mutex, int32s({1 | 2 | 4 | 5 << 3, 0})),
              "sync.Mutex{locked, waiters: 5, woken, starving}");
    EXPECT_EQ(json(mutex, int32s({1 | 2 << 3, 0})),
              R"({"locked": true, "woken": false, "starving": false, "waiters": 2})");
    ASSERT_EQ(semaphore_fields(*mutex).size(), 1u);
    EXPECT_EQ(semaphore_fields(*mutex)[0].offset, 4u);
  }
}

TEST_F(SyncPrimitivesTest, RWMutexShowsReadersWriterAndReaderWait) {
  int32_t readers_behind_writer = 4 - kRWMutexMaxReaders;
  for (const GoType* rw :
       {rwmutex(mutex_go123(), types.int32()), rwmutex(mutex_go124(), atomic_int32())}) {
    EXPECT_EQ(sync_kind(*rw), SyncKind::RWMutex);
    EXPECT_EQ(text(rw, int32s({0, 0, 0, 0, 0, 0})), "sync.RWMutex{}");
    EXPECT_EQ(text(rw, int32s({0, 0, 0, 0, 3, 0})), "sync.RWMutex{readers: 3}");
    auto waiting = int32s({1 | 1 << 3, 0, 0, 0, readers_behind_writer, 2});
    EXPECT_EQ(text(rw, waiting),
              "sync.RWMutex{w: sync.Mutex{locked, waiters: 1}, readers: 4, writer: waiting, "
              "readerWait: 2}");
    EXPECT_EQ(
        json(rw, waiting),
        R"({"w": {"locked": true, "woken": false, "starving": false, "waiters": 1}, "readers": 4, )"
        R"("writer": "waiting", "readerWait": 2, "readerCount": -1073741820})");
    EXPECT_EQ(text(rw, int32s({1, 0, 0, 0, -kRWMutexMaxReaders, 0})),
              "sync.RWMutex{w: sync.Mutex{locked}, writer: locked}");
    std::vector<SemaphoreField> semas = semaphore_fields(*rw);
    ASSERT_EQ(semas.size(), 3u);
    EXPECT_EQ(semas[0].name, "w.sema");
    EXPECT_EQ(semas[0].offset, 4u);
    EXPECT_EQ(semas[1].name, "writerSem");
    EXPECT_EQ(semas[1].offset, 8u);
    EXPECT_EQ(semas[2].name, "readerSem");
    EXPECT_EQ(semas[2].offset, 12u);
  }
}

TEST_F(SyncPrimitivesTest, AtomicsShowTheirValue) {
  const GoType* align64 = types.structure("sync/atomic.align64", {});
  const GoType* i64 = types.structure("sync/atomic.Int64",
                                      {{"_", no_copy()}, {"_", align64}, {"v", types.int64()}});
  const GoType* flag =
      types.structure("sync/atomic.Bool", {{"_", no_copy()}, {"v", types.uint32()}});
  std::vector<uint8_t> minus_five(8, 0xff);
  minus_five[0] = 0xfb;
  EXPECT_EQ(text(i64, minus_five), "-5");
  EXPECT_EQ(json(i64, minus_five), "-5");
  EXPECT_EQ(text(flag, int32s({1})), "true");
  EXPECT_EQ(text(flag, int32s({0})), "false");
  EXPECT_EQ(text(atomic_int32(), int32s({-7})), "-7");
}

TEST_F(SyncPrimitivesTest, AtomicPointerIsItsTypedPointer) {
  const GoType* int_ptr = types.pointer(types.int_());
  const GoType* unsafe_ptr = types.basic(GoKind::UnsafePointer, 8, "unsafe.Pointer");
  const GoType* ptr =
      types.structure("sync/atomic.Pointer[int]",
                      {{"_", types.array(int_ptr, 0)}, {"_", no_copy()}, {"v", unsafe_ptr}});
  ASSERT_EQ(sync_kind(*ptr), SyncKind::AtomicPointer);
  uint64_t target = mem.alloc(8);
  mem.put<int64_t>(target, 42);
  std::vector<uint8_t> bytes(8);
  std::memcpy(bytes.data(), &target, 8);
  EXPECT_EQ(text(ptr, bytes), "(*int)(" + hex(target) + ")");
  EXPECT_EQ(text(ptr, bytes, 1), "&42");
  EXPECT_EQ(text(ptr, std::vector<uint8_t>(8, 0)), "nil");
  EXPECT_EQ(json(ptr, bytes), "\"" + hex(target) + "\"");
}

TEST_F(SyncPrimitivesTest, LookalikesOfOtherPackagesStayStructs) {
  const GoType* mine =
      types.structure("main.Mutex", {{"state", types.int32()}, {"sema", types.uint32()}});
  EXPECT_EQ(sync_kind(*mine), SyncKind::None);
  EXPECT_EQ(text(mine, int32s({1, 0})), "main.Mutex{state: 1, sema: 0}");
  EXPECT_TRUE(semaphore_fields(*mine).empty());
  // A sync.Mutex without its fields (a damaged type) is not decoded either.
  const GoType* bare = types.structure("sync.Mutex", {{"x", types.int64()}});
  EXPECT_EQ(sync_kind(*bare), SyncKind::None);
  // Nor one whose fields lie past its end (a damaged type descriptor).
  GoType* past = const_cast<GoType*>(mutex_go123());
  past->fields[1].offset = 4096;
  EXPECT_EQ(sync_kind(*past), SyncKind::None);
  const GoType* value = types.structure("sync/atomic.Int64", {{"v", types.int64()}});
  const_cast<GoType*>(value)->size = 4;
  EXPECT_EQ(sync_kind(*value), SyncKind::None);
}

}  // namespace
}  // namespace gomapdbg
