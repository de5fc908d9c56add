// Reading the live write log (crash/write_log.h): when the thrower threw,
// and which recorded write overlapped its access.
#include "crash/write_log.h"

#include <gtest/gtest.h>

namespace gomapdbg {
namespace {

WatchSample sample(WatchSample::Kind kind, uint64_t time_ns, int tid) {
  WatchSample s;
  s.kind = kind;
  s.time_ns = time_ns;
  s.tid = tid;
  return s;
}

WriteLogEntry entry(uint64_t goid, bool thrower = false) {
  WriteLogEntry e;
  e.goid = goid;
  e.thrower = thrower;
  return e;
}

TEST(WriteLogThrowTime, TheThrowersExecSampleMarksTheThrow) {
  std::vector<WatchSample> samples = {
      sample(WatchSample::Kind::Write, 100, 1), sample(WatchSample::Kind::Exec, 150, 2),
      sample(WatchSample::Kind::Exec, 170, 1), sample(WatchSample::Kind::Write, 200, 2)};
  bool exact = false;
  auto by_thread_1 = [](const WatchSample& s) { return s.tid == 1; };
  EXPECT_EQ(throw_time(samples, by_thread_1, exact), 170u);
  EXPECT_TRUE(exact);
}

TEST(WriteLogThrowTime, WithoutAnExecSampleTheLastWriteStandsIn) {
  std::vector<WatchSample> samples = {sample(WatchSample::Kind::Write, 100, 1),
                                      sample(WatchSample::Kind::Write, 300, 2)};
  bool exact = true;
  EXPECT_EQ(throw_time(
                samples, [](const WatchSample&) { return true; }, exact),
            300u);
  EXPECT_FALSE(exact);
}

TEST(WriteLogOverlap, TheNewestWriteOfAnotherGoroutineOverlapped) {
  // 7 set the flag, 9 (the thrower) toggled it, then 8, then 9 again.
  std::vector<WriteLogEntry> entries = {entry(7), entry(9, true), entry(8), entry(9, true)};
  EXPECT_EQ(overlapping_write(entries, 9), 2u);
}

TEST(WriteLogOverlap, TheThrowersWritesAreNotTheOtherWriter) {
  std::vector<WriteLogEntry> entries = {entry(9, true), entry(9, true)};
  EXPECT_EQ(overlapping_write(entries, 9), std::nullopt);
}

TEST(WriteLogOverlap, AnUnknownNewestWriterNamesNobody) {
  // The newest foreign write's g was not in R14: the older write by 7 did
  // not overlap the throw, so it must not be named.
  std::vector<WriteLogEntry> entries = {entry(7), entry(0), entry(9, true)};
  EXPECT_EQ(overlapping_write(entries, 9), std::nullopt);
}

TEST(WriteLogOverlap, AnEmptyLogNamesNobody) { EXPECT_EQ(overlapping_write({}, 9), std::nullopt); }

}  // namespace
}  // namespace gomapdbg
