// How goroutine lines name their thread: the LWP, and beside it the
// debugger's own number for it when a debugger gave one.
#include "commands/goroutine_format.h"

#include <gtest/gtest.h>

#include "runtime/wait_reasons.h"

namespace gomapdbg {
namespace {

TEST(GoroutineFormat, ThreadNameCarriesTheDebuggersNumberWhenKnown) {
  EXPECT_EQ(thread_name(4242, 3), "thread 4242 (#3)");
  EXPECT_EQ(thread_name(4242, std::nullopt), "thread 4242");
}

TEST(GoroutineFormat, HeaderNamesTheThreadAsGoThreadsDoes) {
  Goroutine g;
  g.goid = 18;
  g.status = gstatus::kRunning;
  g.tid = 4242;
  EXPECT_EQ(goroutine_header(g), "goroutine 18 [running, thread 4242]");
  g.thread_number = 3;
  EXPECT_EQ(goroutine_header(g), "goroutine 18 [running, thread 4242 (#3)]");
}

}  // namespace
}  // namespace gomapdbg
