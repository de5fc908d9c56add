// The fallback tables used for stripped binaries: runtime.g/m/gobuf offsets
// and wait-reason strings per Go version, spot-checked against
// /work/shared/reference/go-runtime-layouts.md §5.1–5.5.
#include <gtest/gtest.h>

#include "binary/go_build_info.h"
#include "runtime/runtime_layout.h"
#include "runtime/wait_reasons.h"

namespace gomapdbg {
namespace {

GoVersion go(int minor) { return GoVersion{1, minor, 0}; }

TEST(RuntimeLayoutTables, GoFieldsMoveWithTheVersion) {
  auto l19 = runtime_layout_for_version(go(19));
  ASSERT_TRUE(l19);
  EXPECT_EQ(l19->g.goid, 152u);
  EXPECT_EQ(l19->g.startpc, 312u);
  EXPECT_FALSE(l19->g.parent_goid);
  EXPECT_FALSE(l19->g.syscallbp);
  EXPECT_EQ(l19->gobuf.bp, 48u);
  auto l23 = runtime_layout_for_version(go(23));
  ASSERT_TRUE(l23);
  EXPECT_EQ(l23->g.atomicstatus, 152u);
  EXPECT_EQ(l23->g.syscallbp, 128u);
  EXPECT_EQ(l23->g.parent_goid, 280u);
  auto l25 = runtime_layout_for_version(go(25));
  ASSERT_TRUE(l25);
  EXPECT_EQ(l25->g.syscallsp, 104u);  // gobuf.ret removed
  EXPECT_EQ(l25->gobuf.bp, 40u);
  EXPECT_EQ(l25->m.procid, 64u);
  EXPECT_EQ(l25->m.curg, 184u);
  EXPECT_EQ(l25->m.dying, 260u);
  EXPECT_EQ(l25->m.vdso_sp, 896u);  // go1.25.12's DWARF
  EXPECT_EQ(l25->m.vdso_pc, 904u);
  EXPECT_FALSE(
      runtime_layout_for_version(go(20))->m.vdso_sp);  // no go1.20 toolchain to read it from
  auto l26 = runtime_layout_for_version(go(26));
  ASSERT_TRUE(l26);
  EXPECT_EQ(l26->g.size, 456u);
  EXPECT_EQ(l26->m.alllink, 352u);
  EXPECT_EQ(l26->m.id, 232u);
  // runtime._panic lost argp in go1.26: its value moved to the front.
  EXPECT_EQ(l25->panic.arg, 8u);
  EXPECT_EQ(l26->panic.arg, 0u);
  EXPECT_EQ(l26->panic.link, 16u);
  EXPECT_EQ(l19->g.panic, 32u);
}

TEST(RuntimeLayoutTables, UnknownVersionsHaveNoTable) {
  EXPECT_FALSE(runtime_layout_for_version(go(18)));
  EXPECT_FALSE(runtime_layout_for_version(go(28)));
  EXPECT_FALSE(runtime_layout_for_version(GoVersion{}));
}

TEST(WaitReasonTables, SizesAndMovedEntries) {
  auto w19 = wait_reason_table(go(19));
  ASSERT_EQ(w19.size(), 27u);
  EXPECT_EQ(w19[14], "chan receive");
  EXPECT_EQ(w19[18], "semacquire");
  auto w21 = wait_reason_table(go(21));
  ASSERT_EQ(w21.size(), 32u);
  EXPECT_EQ(w21[21], "sync.Mutex.Lock");
  EXPECT_EQ(w21[31], "stopping the world");
  EXPECT_EQ(wait_reason_table(go(22)).size(), 37u);
  EXPECT_EQ(wait_reason_table(go(23)).size(), 38u);
  auto w24 = wait_reason_table(go(24));
  ASSERT_EQ(w24.size(), 44u);
  EXPECT_EQ(w24[24], "sync.WaitGroup.Wait");
  EXPECT_EQ(w24[38], "GC weak to strong wait");
  EXPECT_EQ(w24[41], "chan receive (synctest)");
  auto w25 = wait_reason_table(go(25));
  ASSERT_EQ(w25.size(), 47u);
  EXPECT_EQ(w25[18], "GOMAXPROCS updater (idle)");
  EXPECT_EQ(w25[19], "semacquire");
  EXPECT_EQ(w25[42], "chan receive (durable)");
  EXPECT_EQ(w25[46], "cleanup wait");
  auto w26 = wait_reason_table(go(26));
  ASSERT_EQ(w26.size(), 47u);
  EXPECT_EQ(w26[25], "sync.WaitGroup.Wait");
  EXPECT_EQ(w26[11], "force gc (idle)");
  EXPECT_EQ(wait_reason_table(go(27)), w26);  // unchanged in go1.27 (§10)
  EXPECT_TRUE(wait_reason_table(go(28)).empty());
}

TEST(StatusNames, ScanBitIsIgnored) {
  EXPECT_EQ(status_name(gstatus::kWaiting), "waiting");
  EXPECT_EQ(status_name(gstatus::kWaiting | gstatus::kScan), "waiting");
  EXPECT_EQ(status_name(gstatus::kLeaked), "leaked");
  EXPECT_EQ(status_name(77), "status 77");
}

}  // namespace
}  // namespace gomapdbg
