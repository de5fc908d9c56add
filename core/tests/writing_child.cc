#include "writing_child.h"

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

// The linker's bounds of the section holding the store loop.
extern "C" const char __start_gomapdbg_watch_store[];
extern "C" const char __stop_gomapdbg_watch_store[];

namespace gomapdbg::test {

constexpr int kMaxWriters = 16;
constexpr int kMaxChurners = 4096;

struct ChurnerReport {
  int tid;
  int saw_armed;
};

// From the second shared page on: what the child reports back (and the
// test's armed flag).
struct SharedReport {
  int main_tid;
  int armed;
  int stop_churn;
  int churner_count;
  int churners_done;
  WriterReport writers[kMaxWriters];
  ChurnerReport churners[kMaxChurners];
};

namespace {

constexpr uint64_t kTagBase = 0x7a900000;  // R14 of writer i is kTagBase + i
constexpr int kTimeoutMs = 20000;

constexpr size_t kSharedPages = 1 + (sizeof(SharedReport) + 4095) / 4096;

volatile int finished_calls = 0;

// The stores: one `movb` per iteration, R14 = tag, RBX = iteration, AL = its low byte.
__attribute__((noinline, section("gomapdbg_watch_store"))) void store_loop(volatile uint8_t* byte,
                                                                           uint64_t tag,
                                                                           uint64_t first,
                                                                           uint64_t end) {
  for (uint64_t i = first; i < end; ++i)
    asm volatile("mov %3, %%r14\n\tmovb %%al, (%0)"
                 :
                 : "r"(byte), "a"(i), "b"(i), "r"(tag)
                 : "memory", "r14");
}

__attribute__((noinline)) void finished_writing() { finished_calls = finished_calls + 1; }
__attribute__((noinline)) void idle_one() { finished_calls = finished_calls + 2; }
__attribute__((noinline)) void idle_two() { finished_calls = finished_calls + 3; }
__attribute__((noinline)) void idle_three() { finished_calls = finished_calls + 4; }

struct WriterArgs {
  volatile uint8_t* byte;
  WriterReport* report;
  uint64_t writes;
  pthread_barrier_t* start;
};

void* writer_thread(void* raw) {
  auto* args = static_cast<WriterArgs*>(raw);
  int local = 0;
  args->report->tid = ::gettid();
  args->report->stack_local = reinterpret_cast<uint64_t>(&local);
  pthread_barrier_wait(args->start);
  store_loop(args->byte, args->report->tag, 0, args->writes);
  return nullptr;
}

struct ChurnArgs {
  volatile uint8_t* byte;
  SharedReport* report;
  uint64_t writes;
};

// Writes half its stores, lives on a millisecond, writes the rest: many
// churners are alive at once, and some are created while the recorder arms.
void* churner_thread(void* raw) {
  auto* args = static_cast<ChurnArgs*>(raw);
  SharedReport* report = args->report;
  // The newest kMaxChurners are kept: those started after the recorder armed.
  int slot = __atomic_fetch_add(&report->churner_count, 1, __ATOMIC_SEQ_CST) % kMaxChurners;
  report->churners[slot].tid = ::gettid();
  report->churners[slot].saw_armed = __atomic_load_n(&report->armed, __ATOMIC_SEQ_CST);
  const uint64_t tag = kTagBase + kMaxWriters;
  store_loop(args->byte, tag, 0, args->writes / 2);
  ::usleep(1000);
  store_loop(args->byte, tag, args->writes / 2, args->writes);
  __atomic_fetch_add(&report->churners_done, 1, __ATOMIC_SEQ_CST);
  return nullptr;
}

// Starts a detached churner every 50 µs until told to stop, then waits for
// them all to finish.
void* spawner_thread(void* raw) {
  auto* args = static_cast<ChurnArgs*>(raw);
  SharedReport* report = args->report;
  pthread_attr_t detached;
  pthread_attr_init(&detached);
  pthread_attr_setdetachstate(&detached, PTHREAD_CREATE_DETACHED);
  int started = 0;
  while (!__atomic_load_n(&report->stop_churn, __ATOMIC_SEQ_CST)) {
    pthread_t churner;
    if (pthread_create(&churner, &detached, churner_thread, raw) != 0) break;
    ++started;
    ::usleep(50);
  }
  while (__atomic_load_n(&report->churners_done, __ATOMIC_SEQ_CST) < started) ::usleep(100);
  return nullptr;
}

bool read_byte(int fd, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  char c = 0;
  return ::poll(&p, 1, timeout_ms) == 1 && ::read(fd, &c, 1) == 1;
}

void tell(int fd) {
  char c = 1;
  if (::write(fd, &c, 1) != 1) _exit(3);
}

[[noreturn]] void run_child(const WriterPlan& plan, void* shared, int from_parent, int to_parent) {
  auto* byte = static_cast<volatile uint8_t*>(shared);
  auto* report = reinterpret_cast<SharedReport*>(static_cast<char*>(shared) + ::getpagesize());
  report->main_tid = ::gettid();
  const int total = plan.before + plan.after;
  pthread_barrier_t start;
  pthread_barrier_init(&start, nullptr, static_cast<unsigned>(total + 1));
  pthread_t threads[kMaxWriters];
  WriterArgs args[kMaxWriters];
  for (int i = 0; i < total; ++i) {
    report->writers[i].tag = kTagBase + static_cast<uint64_t>(i);
    args[i] = {byte, &report->writers[i], static_cast<uint64_t>(plan.writes), &start};
  }
  for (int i = 0; i < plan.before; ++i)
    pthread_create(&threads[i], nullptr, writer_thread, &args[i]);
  ChurnArgs churn{byte, report, static_cast<uint64_t>(plan.writes)};
  pthread_t spawner;
  if (plan.churn) pthread_create(&spawner, nullptr, spawner_thread, &churn);
  tell(to_parent);  // the `before` writers exist
  if (!read_byte(from_parent, kTimeoutMs)) _exit(4);
  if (plan.churn) {
    __atomic_store_n(&report->stop_churn, 1, __ATOMIC_SEQ_CST);
    pthread_join(spawner, nullptr);
  }
  for (int i = plan.before; i < total; ++i)
    pthread_create(&threads[i], nullptr, writer_thread, &args[i]);
  pthread_barrier_wait(&start);
  for (int i = 0; i < total; ++i) pthread_join(threads[i], nullptr);
  finished_writing();
  tell(to_parent);
  read_byte(from_parent, kTimeoutMs);  // until the test closes its end
  _exit(0);
}

}  // namespace

WritingChild::WritingChild(WriterPlan plan) : plan_(plan) {
  if (plan.before + plan.after > kMaxWriters) std::abort();
  const size_t page = static_cast<size_t>(::getpagesize());
  shared_ = ::mmap(nullptr, kSharedPages * page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                   -1, 0);
  int down[2];
  int up[2];
  if (shared_ == MAP_FAILED || ::pipe(down) != 0 || ::pipe(up) != 0) std::abort();
  std::memset(shared_, 0, kSharedPages * page);
  pid_ = ::fork();
  if (pid_ == 0) {
    ::close(down[1]);
    ::close(up[0]);
    run_child(plan_, shared_, down[0], up[1]);
  }
  ::close(down[0]);
  ::close(up[1]);
  to_child_ = down[1];
  from_child_ = up[0];
  if (!read_byte(from_child_, kTimeoutMs)) std::abort();
}

WritingChild::~WritingChild() {
  if (to_child_ >= 0) ::close(to_child_);
  if (from_child_ >= 0) ::close(from_child_);
  if (pid_ > 0) {
    int status = 0;
    // The child exits on its own once the pipe closes; a stuck one is killed.
    for (int i = 0; i < 200 && ::waitpid(pid_, &status, WNOHANG) == 0; ++i) ::usleep(10000);
    if (::waitpid(pid_, &status, WNOHANG) == 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
    }
  }
  ::munmap(shared_, kSharedPages * static_cast<size_t>(::getpagesize()));
}

uint64_t WritingChild::byte_address() const { return reinterpret_cast<uint64_t>(shared_); }

bool WritingChild::go_and_wait() {
  tell(to_child_);
  return read_byte(from_child_, kTimeoutMs);
}

SharedReport* WritingChild::report() const {
  return reinterpret_cast<SharedReport*>(static_cast<char*>(shared_) + ::getpagesize());
}

std::vector<WriterReport> WritingChild::writers() const {
  return {report()->writers, report()->writers + plan_.before + plan_.after};
}

int WritingChild::main_tid() const { return report()->main_tid; }

void WritingChild::mark_armed() { __atomic_store_n(&report()->armed, 1, __ATOMIC_SEQ_CST); }

std::vector<int> WritingChild::churners(bool armed_only) const {
  std::vector<int> tids;
  int count = std::min(__atomic_load_n(&report()->churner_count, __ATOMIC_SEQ_CST), kMaxChurners);
  for (int i = 0; i < count; ++i)
    if (!armed_only || report()->churners[i].saw_armed) tids.push_back(report()->churners[i].tid);
  return tids;
}

uint64_t WritingChild::finished_writing_address() {
  return reinterpret_cast<uint64_t>(&finished_writing);
}

std::vector<uint64_t> WritingChild::idle_function_addresses() {
  return {reinterpret_cast<uint64_t>(&idle_one), reinterpret_cast<uint64_t>(&idle_two),
          reinterpret_cast<uint64_t>(&idle_three)};
}

uint64_t WritingChild::store_code_begin() {
  return reinterpret_cast<uint64_t>(__start_gomapdbg_watch_store);
}
uint64_t WritingChild::store_code_end() {
  return reinterpret_cast<uint64_t>(__stop_gomapdbg_watch_store);
}

}  // namespace gomapdbg::test
