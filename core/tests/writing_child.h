// A forked child that writes one byte of a page shared with the test, from
// several threads, for the write recorder's tests against the real kernel.
// Some writer threads exist before the test arms the recorder, others start
// after it (they are covered only by inheritance). Each store carries the
// writer's tag in R14 (as Go code carries the goroutine's g) and its
// iteration in RBX, so every sample can be matched to the write it saw.
#pragma once

#include <cstdint>
#include <vector>

namespace gomapdbg::test {

struct SharedReport;

struct WriterPlan {
  int before = 0;  // writer threads started before ready()
  int after = 0;   // writer threads started after go()
  int writes = 0;  // stores of each writer
  // A thread that, until go, keeps starting short-lived writers (`writes`
  // stores each, one at a time), so threads appear while the recorder arms.
  bool churn = false;
};

// Where a writer ran, as it reported it.
struct WriterReport {
  int tid = 0;
  uint64_t tag = 0;          // its R14 during the stores
  uint64_t stack_local = 0;  // the address of a local of its thread function
};

class WritingChild {
 public:
  // Forks and waits until the `before` writers exist (and are waiting).
  explicit WritingChild(WriterPlan plan);
  ~WritingChild();  // kills the child if it still runs, and reaps it
  WritingChild(const WritingChild&) = delete;
  WritingChild& operator=(const WritingChild&) = delete;

  int pid() const { return pid_; }
  // The watched byte: the first of a page-aligned page shared with the child.
  uint64_t byte_address() const;
  // Starts the `after` writers, lets all write, and waits (bounded) until
  // they are done and the child's main thread has called finished_writing().
  // Returns false on timeout.
  bool go_and_wait();
  // After go_and_wait(): the writers, and the main thread's tid.
  std::vector<WriterReport> writers() const;
  int main_tid() const;
  // Tells the churning writers that the recorder is armed (they note it).
  void mark_armed();
  // The churning writers that started after mark_armed(), or all of them
  // (the newest 4096).
  std::vector<int> churners(bool armed_only) const;

  // The function the child's main thread calls once after all writes (an
  // exec breakpoint target), its other functions that are never called, and
  // the bounds of the code that stores the byte.
  static uint64_t finished_writing_address();
  static std::vector<uint64_t> idle_function_addresses();
  static uint64_t store_code_begin();
  static uint64_t store_code_end();

 private:
  SharedReport* report() const;

  WriterPlan plan_;
  int pid_ = -1;
  int to_child_ = -1;
  int from_child_ = -1;
  void* shared_ = nullptr;
};

}  // namespace gomapdbg::test
