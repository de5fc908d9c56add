#include "runtime/wait_reasons.h"

#include "abi/go_headers.h"
#include "errors.h"
#include "program/go_binary.h"

namespace gomapdbg {

namespace {

// go1.19 runtime.waitReasonStrings (27 entries, §5.4).
const std::vector<std::string> kGo119 = {"",
                                         "GC assist marking",
                                         "IO wait",
                                         "chan receive (nil chan)",
                                         "chan send (nil chan)",
                                         "dumping heap",
                                         "garbage collection",
                                         "garbage collection scan",
                                         "panicwait",
                                         "select",
                                         "select (no cases)",
                                         "GC assist wait",
                                         "GC sweep wait",
                                         "GC scavenge wait",
                                         "chan receive",
                                         "chan send",
                                         "finalizer wait",
                                         "force gc (idle)",
                                         "semacquire",
                                         "sleep",
                                         "sync.Cond.Wait",
                                         "timer goroutine (idle)",
                                         "trace reader (blocked)",
                                         "wait for GC cycle",
                                         "GC worker (idle)",
                                         "preempted",
                                         "debug call"};

// go1.26 and go1.27 order (47 entries, §5.4, §10).
const std::vector<std::string> kGo126 = {"",
                                         "GC assist marking",
                                         "IO wait",
                                         "dumping heap",
                                         "garbage collection",
                                         "garbage collection scan",
                                         "panicwait",
                                         "GC assist wait",
                                         "GC sweep wait",
                                         "GC scavenge wait",
                                         "finalizer wait",
                                         "force gc (idle)",
                                         "GOMAXPROCS updater (idle)",
                                         "semacquire",
                                         "sleep",
                                         "chan receive (nil chan)",
                                         "chan send (nil chan)",
                                         "select (no cases)",
                                         "select",
                                         "chan receive",
                                         "chan send",
                                         "sync.Cond.Wait",
                                         "sync.Mutex.Lock",
                                         "sync.RWMutex.RLock",
                                         "sync.RWMutex.Lock",
                                         "sync.WaitGroup.Wait",
                                         "trace reader (blocked)",
                                         "wait for GC cycle",
                                         "GC worker (idle)",
                                         "GC worker (active)",
                                         "preempted",
                                         "debug call",
                                         "GC mark termination",
                                         "stopping the world",
                                         "flushing proc caches",
                                         "trace goroutine status",
                                         "trace proc status",
                                         "page trace flush",
                                         "coroutine",
                                         "GC weak to strong wait",
                                         "synctest.Run",
                                         "synctest.Wait",
                                         "chan receive (durable)",
                                         "chan send (durable)",
                                         "select (durable)",
                                         "sync.WaitGroup.Wait (durable)",
                                         "cleanup wait"};

// go1.20–go1.25 grow from 1.19 by insertions and appends (§5.4).
std::vector<std::string> go120_to_125(int minor) {
  std::vector<std::string> v(kGo119.begin(), kGo119.begin() + 21);  // 0–20 unchanged
  for (const char* s : {"sync.Mutex.Lock", "sync.RWMutex.RLock", "sync.RWMutex.Lock"})
    v.push_back(s);
  if (minor >= 24) v.push_back("sync.WaitGroup.Wait");
  for (const char* s :
       {"trace reader (blocked)", "wait for GC cycle", "GC worker (idle)", "GC worker (active)",
        "preempted", "debug call", "GC mark termination", "stopping the world"})
    v.push_back(s);
  if (minor >= 22)
    for (const char* s : {"flushing proc caches", "trace goroutine status", "trace proc status",
                          "page trace flush", "coroutine"})
      v.push_back(s);
  if (minor >= 23) v.push_back("GC weak to strong wait");
  if (minor >= 24) {
    const char* suffix = minor >= 25 ? "(durable)" : "(synctest)";
    for (const char* s : {"synctest.Run", "synctest.Wait"}) v.push_back(s);
    for (const char* s : {"chan receive ", "chan send ", "select "})
      v.push_back(std::string(s) + suffix);
  }
  if (minor >= 25) {
    v.insert(v.begin() + 18, "GOMAXPROCS updater (idle)");
    v.push_back("sync.WaitGroup.Wait (durable)");
    v.push_back("cleanup wait");
  }
  return v;
}

}  // namespace

std::string status_name(uint32_t status) {
  static const char* const kNames[] = {
      "idle", "runnable", "running",   "syscall",   "waiting", "moribund",
      "dead", "enqueue",  "copystack", "preempted", "leaked",  "waiting for cgo callback"};
  uint32_t base = status & ~gstatus::kScan;
  if (base < std::size(kNames)) return kNames[base];
  return "status " + std::to_string(status);
}

std::vector<std::string> wait_reason_table(const GoVersion& version) {
  if (version.major != 1 || version.minor < 19 || version.minor > 27) return {};
  if (version.minor == 19) return kGo119;
  if (version.minor >= 26) return kGo126;  // go1.27's list is go1.26's (§10)
  return go120_to_125(version.minor);
}

std::optional<std::vector<std::string>> static_strings(GoBinary& binary, const char* symbol) {
  ElfImage& image = binary.image();
  auto sym = image.symbol(symbol);
  if (!sym || sym->size % kStringSize != 0) return std::nullopt;
  // [N]string in initialized data: read it from the executable itself.
  Memory memory(image);
  std::vector<std::string> out;
  try {
    for (uint64_t i = 0; i < sym->size / kStringSize && i < 256; ++i) {
      auto [data, len] = read_string_header(memory, sym->address + i * kStringSize);
      if (len > 256) return std::nullopt;  // not a name
      std::string s(len, '\0');
      if (len) memory.read(data, s.data(), len);
      out.push_back(std::move(s));
    }
  } catch (const Error&) {
    return std::nullopt;
  }
  return out;
}

std::vector<std::string> wait_reason_strings(GoBinary& binary) {
  if (auto own = static_strings(binary, "runtime.waitReasonStrings")) return *own;
  return wait_reason_table(binary.build_info().parsed());
}

std::vector<std::string> goroutine_state_names(GoBinary& binary) {
  std::vector<std::string> names;
  for (uint32_t status : {gstatus::kIdle, gstatus::kRunnable, gstatus::kRunning, gstatus::kSyscall,
                          gstatus::kWaiting, gstatus::kDead, gstatus::kCopystack,
                          gstatus::kPreempted, gstatus::kLeaked, gstatus::kDeadExtra})
    names.push_back(status_name(status));
  for (const std::string& reason : wait_reason_strings(binary))
    if (!reason.empty()) names.push_back(reason);
  return names;
}

}  // namespace gomapdbg
