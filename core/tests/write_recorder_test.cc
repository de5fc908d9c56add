// WriteRecorder against the real kernel: real perf hardware breakpoints on a
// forked child's threads (see writing_child.h). A machine without perf or
// the breakpoint PMU fails these tests; they never skip.
#include "watch/write_recorder.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <set>

#include "errors.h"
#include "watch/proc_files.h"
#include "writing_child.h"

namespace gomapdbg {
namespace {

using test::WriterPlan;
using test::WriterReport;
using test::WritingChild;

std::vector<WatchSample> writes_of(const std::vector<WatchSample>& samples, int pid) {
  std::vector<WatchSample> out;
  for (const WatchSample& s : samples)
    if (s.kind == WatchSample::Kind::Write && s.pid == pid) out.push_back(s);
  return out;
}

std::string error_of(WriteRecorder& recorder, int pid, uint64_t address, int length,
                     std::vector<uint64_t> exec = {}) {
  try {
    recorder.start(pid, address, length, exec);
  } catch (const Error& e) {
    EXPECT_FALSE(recorder.recording());
    return e.what();
  }
  return "(no error)";
}

TEST(WriteRecorder, RecordsEveryWriteOfThreadsMadeBeforeAndAfterItStarts) {
  const WriterPlan plan{.before = 2, .after = 2, .writes = 300};
  WritingChild child(plan);
  WriteRecorder recorder;
  recorder.start(child.pid(), child.byte_address(), 1, {WritingChild::finished_writing_address()});
  ASSERT_TRUE(child.go_and_wait());
  const std::vector<WatchSample> samples = recorder.samples();
  const std::vector<WriterReport> writers = child.writers();
  EXPECT_EQ(recorder.lost(), 0u);
  EXPECT_TRUE(recorder.exec_addresses_unavailable().empty());

  // Armed directly: the main thread and the writers made before; not those made after.
  const std::vector<int>& armed = recorder.threads_watched();
  EXPECT_NE(std::find(armed.begin(), armed.end(), child.main_tid()), armed.end());
  for (int i = 0; i < plan.before + plan.after; ++i)
    EXPECT_EQ(std::find(armed.begin(), armed.end(), writers[i].tid) != armed.end(), i < plan.before)
        << "writer " << i;

  const std::vector<WatchSample> writes = writes_of(samples, child.pid());
  EXPECT_EQ(writes.size(), static_cast<size_t>((plan.before + plan.after) * plan.writes));
  std::map<int, const WriterReport*> by_tid;
  for (const WriterReport& w : writers) by_tid[w.tid] = &w;
  std::map<int, uint64_t> next_iteration;
  uint64_t last_time = 0;
  for (const WatchSample& s : writes) {
    ASSERT_TRUE(by_tid.count(s.tid)) << "a write by thread " << s.tid << ", not a writer";
    const WriterReport& writer = *by_tid[s.tid];
    EXPECT_GE(s.time_ns, last_time);
    last_time = s.time_ns;
    EXPECT_GE(s.ip, WritingChild::store_code_begin());
    EXPECT_LT(s.ip, WritingChild::store_code_end());
    EXPECT_EQ(s.registers.at("rip"), s.ip);
    EXPECT_EQ(s.registers.at("r14"), writer.tag);
    EXPECT_EQ(s.registers.at("rbx"), next_iteration[s.tid]++) << "thread " << s.tid;
    EXPECT_EQ(s.registers.at("rax"), s.registers.at("rbx"));
    const uint64_t rsp = s.registers.at("rsp");
    EXPECT_TRUE(rsp < writer.stack_local && writer.stack_local - rsp < 4096) << std::hex << rsp;
    ASSERT_FALSE(s.callchain.empty());
    EXPECT_EQ(s.callchain.front(), s.ip);
  }
  for (const WriterReport& w : writers)
    EXPECT_EQ(next_iteration[w.tid], static_cast<uint64_t>(plan.writes)) << "thread " << w.tid;

  std::vector<WatchSample> execs;
  for (const WatchSample& s : samples)
    if (s.kind == WatchSample::Kind::Exec) execs.push_back(s);
  ASSERT_EQ(execs.size(), 1u);
  EXPECT_EQ(execs[0].tid, child.main_tid());
  EXPECT_EQ(execs[0].ip, WritingChild::finished_writing_address());
  EXPECT_EQ(execs[0].exec_address, WritingChild::finished_writing_address());
  EXPECT_GT(execs[0].time_ns, last_time);
}

TEST(WriteRecorder, KeepsTheNewestWritesWhenTheBufferIsTooSmall) {
  const WriterPlan plan{.before = 1, .after = 0, .writes = 5000};
  WritingChild child(plan);
  WriteRecorder recorder(/*buffer_pages=*/1);
  recorder.start(child.pid(), child.byte_address(), 1);
  ASSERT_TRUE(child.go_and_wait());
  const RecordedWrites log = recorder.log();
  EXPECT_EQ(log.lost, 0u);
  EXPECT_GT(log.complete_since_ns, 0u);  // a 4 KiB buffer wrapped
  std::vector<WatchSample> newest;
  for (const WatchSample& s : writes_of(log.samples, child.pid()))
    if (s.time_ns >= log.complete_since_ns) newest.push_back(s);
  ASSERT_FALSE(newest.empty());
  EXPECT_LT(log.samples.size(), 100 * online_cpus().size());  // 4 KiB buffers
  EXPECT_EQ(newest.back().registers.at("rbx"), static_cast<uint64_t>(plan.writes - 1));
  for (size_t i = 1; i < newest.size(); ++i)  // the newest, without a gap
    EXPECT_EQ(newest[i].registers.at("rbx"), newest[i - 1].registers.at("rbx") + 1);
}

TEST(WriteRecorder, ThreadsAppearingWhileItArmsAreRecordedOnce) {
  const WriterPlan plan{.before = 0, .after = 0, .writes = 20, .churn = true};
  WritingChild child(plan);
  ::usleep(20000);  // churning
  WriteRecorder recorder;
  recorder.start(child.pid(), child.byte_address(), 1);
  child.mark_armed();
  ::usleep(20000);  // churners started now inherit the watch
  ASSERT_TRUE(child.go_and_wait());
  const std::vector<WatchSample> writes = writes_of(recorder.samples(), child.pid());
  std::set<std::pair<int, uint64_t>> seen;  // (thread, iteration)
  for (const WatchSample& s : writes)
    EXPECT_TRUE(seen.insert({s.tid, s.registers.at("rbx")}).second)
        << "thread " << s.tid << " write " << s.registers.at("rbx") << " recorded twice";
  const std::vector<int> armed = child.churners(/*armed_only=*/true);
  EXPECT_FALSE(armed.empty());
  for (int tid : armed) {
    size_t count = std::count_if(writes.begin(), writes.end(),
                                 [tid](const WatchSample& s) { return s.tid == tid; });
    EXPECT_EQ(count, static_cast<size_t>(plan.writes)) << "churner " << tid;
  }
}

TEST(WriteRecorder, FifthBreakpointOnAThreadFindsNoFreeDebugRegister) {
  WritingChild child({});
  std::vector<std::unique_ptr<WriteRecorder>> four;
  for (int i = 0; i < 4; ++i) {
    four.push_back(std::make_unique<WriteRecorder>(1));
    four.back()->start(child.pid(), child.byte_address() + static_cast<uint64_t>(i), 1);
  }
  WriteRecorder fifth(1);
  std::string error = error_of(fifth, child.pid(), child.byte_address() + 8, 8);
  EXPECT_NE(error.find("(ENOSPC): no free debug register on thread " +
                       std::to_string(child.main_tid()) + " (at most 4 hardware breakpoints"),
            std::string::npos)
      << error;
  // Nothing of the failed attempt stays armed: one register freed is enough.
  four.pop_back();
  fifth.start(child.pid(), child.byte_address() + 8, 8);
  EXPECT_TRUE(fifth.recording());
}

TEST(WriteRecorder, ExecAddressesWithoutAFreeDebugRegisterAreLeftOut) {
  WritingChild child({});
  std::vector<uint64_t> exec = WritingChild::idle_function_addresses();
  exec.push_back(WritingChild::finished_writing_address());
  WriteRecorder recorder(1);
  recorder.start(child.pid(), child.byte_address(), 1, exec);  // 1 write + 4 exec: 5 registers
  EXPECT_TRUE(recorder.recording());
  ASSERT_EQ(recorder.exec_addresses_unavailable().size(), 1u);
  EXPECT_EQ(recorder.exec_addresses_unavailable()[0], *std::max_element(exec.begin(), exec.end()));
}

TEST(WriteRecorder, ProcessThatIsGoneSaysSo) {
  int pid = ::fork();
  if (pid == 0) _exit(0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  WriteRecorder recorder(1);
  uint64_t address = 0x10000;
  EXPECT_EQ(error_of(recorder, pid, address, 1),
            "process " + std::to_string(pid) + " is gone (ESRCH)");
}

TEST(WriteRecorder, UnalignedOrOddLengthIsRefused) {
  WritingChild child({});
  WriteRecorder recorder(1);
  EXPECT_EQ(error_of(recorder, child.pid(), child.byte_address() + 1, 2),
            "cannot watch 2 bytes at " + hex_address(child.byte_address() + 1) +
                ": a hardware watchpoint's address must be a multiple of its length (EINVAL)");
  EXPECT_EQ(error_of(recorder, child.pid(), child.byte_address(), 3),
            "a hardware watchpoint covers 1, 2, 4 or 8 bytes, not 3");
  EXPECT_THROW(recorder.start(child.pid(), child.byte_address() + 4, 8), UsageError);
}

TEST(WriteRecorder, StopDisarmsAndEmptiesTheLog) {
  const WriterPlan plan{.before = 1, .after = 0, .writes = 10};
  WritingChild child(plan);
  WriteRecorder recorder(1);
  recorder.start(child.pid(), child.byte_address(), 1);
  ASSERT_TRUE(child.go_and_wait());
  EXPECT_EQ(writes_of(recorder.samples(), child.pid()).size(), 10u);
  recorder.stop();
  EXPECT_FALSE(recorder.recording());
  EXPECT_TRUE(recorder.samples().empty());
  EXPECT_TRUE(recorder.threads_watched().empty());
}

}  // namespace
}  // namespace gomapdbg
