#include "runtime/goroutines.h"

#include <algorithm>
#include <numeric>
#include <unordered_set>

#include "errors.h"
#include "runtime/runtime_roots.h"
#include "runtime/wait_reasons.h"

namespace gomapdbg {

namespace {

// Without a usable table goroutines are still listed (allgs, states, wait
// reasons come from DWARF and memory), with no locations or stacks.
const Pclntab& pclntab_or_empty(Target& target) {
  const Pclntab* tab = target.binary().pclntab();
  return tab ? *tab : Pclntab::empty();
}

template <typename T>
T field(const std::vector<uint8_t>& bytes, uint64_t offset) {
  if (offset + sizeof(T) > bytes.size()) return T{};
  return load<T>(bytes.data() + offset);
}

// runtime.isSystemGoroutine: started in package runtime, except the main
// goroutine and the ones that run user code.
bool is_system_start(const std::string& name) {
  return name.rfind("runtime.", 0) == 0 && name != "runtime.main" && name != "runtime.corostart" &&
         name != "runtime.handleAsyncEvent";
}

}  // namespace

uint32_t Goroutine::base_status() const { return status & ~gstatus::kScan; }

bool Goroutine::dead() const {
  uint32_t s = base_status();
  return s == gstatus::kDead || s == gstatus::kIdle || s == gstatus::kDeadExtra;
}

std::string Goroutine::state() const {
  if (base_status() == gstatus::kWaiting && !wait_reason.empty()) return wait_reason;
  return status_name(status);
}

bool is_runtime_function(const std::string& name) {
  return name.rfind("runtime.", 0) == 0 || name.rfind("internal/runtime/", 0) == 0 ||
         name.rfind("runtime/internal/", 0) == 0;
}

const Frame* user_frame(const Backtrace& backtrace) {
  for (const Frame& f : backtrace.frames)
    if (!is_runtime_function(f.function) && f.function != "?") return &f;
  return backtrace.frames.empty() ? nullptr : &backtrace.frames.front();
}

RuntimeSnapshot::RuntimeSnapshot(Target& target)
    : target_(target),
      pclntab_(pclntab_or_empty(target)),
      layout_(runtime_layout(target.binary())),
      wait_reasons_(wait_reason_strings(target.binary())),
      inline_tree_(pclntab_, target.binary().image(), target.binary().gofunc_base()),
      unwinder_(target.architecture(), pclntab_, target.memory(), inline_tree_) {
  if (!target.binary().pclntab()) {
    has_pclntab_ = false;
    warnings_.push_back(target.binary().path() + ": " + target.binary().pclntab_problem() +
                        ": goroutines are listed without locations or stacks");
  }
  AllGs all = read_allgs(target.binary(), layout_, target.memory());
  allgs_searched_ = all.found_by_search;
  warnings_.insert(warnings_.end(), all.warnings.begin(), all.warnings.end());
  read_goroutines(distinct_gs(all.gs));
  sort_by_goid();
  set_wait_times();
  read_threads_and_ms();
  set_goroutine_threads();
}

std::vector<uint64_t> RuntimeSnapshot::distinct_gs(const std::vector<uint64_t>& allgs) {
  // A g listed twice (allgs never does that; a damaged one may loop back
  // onto its own entries) is read once.
  std::vector<uint64_t> gs;
  std::unordered_map<uint64_t, size_t> first_index;
  size_t repeats = 0, first_repeat = 0;
  for (size_t i = 0; i < allgs.size(); ++i) {
    uint64_t g = allgs[i];
    if (!g) continue;
    if (!first_index.emplace(g, i).second) {
      if (!repeats++) first_repeat = i;
      continue;
    }
    gs.push_back(g);
  }
  if (repeats) {
    uint64_t g = allgs[first_repeat];
    warnings_.push_back("runtime.allgs lists " + std::to_string(repeats) +
                        " entries a second time (the first at index " +
                        std::to_string(first_repeat) + ": g " + hex(g) + ", already at index " +
                        std::to_string(first_index[g]) +
                        "): a cycle in a damaged slice; each g is shown once, goroutines "
                        "that such entries replaced are missing");
  }
  return gs;
}

void RuntimeSnapshot::read_goroutines(std::vector<uint64_t> gs) {
  // g structs sit next to each other in spans: read them in windows of up
  // to 64 KiB (one request for ~150 goroutines), in address order.
  const Memory& memory = target_.memory();
  std::sort(gs.begin(), gs.end());
  const uint64_t size = layout_.g.size;
  constexpr uint64_t kWindow = 64 * 1024;
  std::vector<uint8_t> window, bytes(size);
  goroutines_.reserve(gs.size());
  for (size_t i = 0; i < gs.size();) {
    size_t j = i + 1;
    while (j < gs.size() && gs[j] + size - gs[i] <= kWindow) ++j;
    uint64_t base = gs[i];
    window.resize(gs[j - 1] + size - base);
    size_t got = memory.read_prefix(base, window.data(), window.size());
    for (; i < j; ++i) {
      uint64_t at = gs[i] - base;
      if (at + size <= got) {
        std::copy(window.begin() + at, window.begin() + at + size, bytes.begin());
      } else if (memory.read_prefix(gs[i], bytes.data(), size) != size) {
        ++unreadable_;
        continue;
      }
      goroutines_.push_back(read_goroutine(gs[i], bytes));
    }
  }
}

void RuntimeSnapshot::sort_by_goid() {
  // Sort an index (a Goroutine is a few hundred bytes with strings), then
  // move each goroutine once.
  std::vector<uint32_t> order(goroutines_.size());
  std::iota(order.begin(), order.end(), uint32_t{0});
  std::stable_sort(order.begin(), order.end(), [this](uint32_t a, uint32_t b) {
    return goroutines_[a].goid < goroutines_[b].goid;
  });
  std::vector<Goroutine> sorted;
  sorted.reserve(order.size());
  for (uint32_t i : order) sorted.push_back(std::move(goroutines_[i]));
  goroutines_ = std::move(sorted);
  for (size_t i = 0; i < goroutines_.size(); ++i)
    if (!goroutines_[i].dead()) by_goid_.emplace(goroutines_[i].goid, i);
}

void RuntimeSnapshot::set_wait_times() {
  int64_t latest_stamp = 0;
  for (const Goroutine& g : goroutines_)
    latest_stamp = std::max({latest_stamp, g.waitsince, g.tracking_stamp});
  clock_ = runtime_clock(target_, latest_stamp);
  if (!clock_) return;
  for (Goroutine& g : goroutines_)
    if (g.waitsince > 0 && g.waitsince <= clock_->now) {
      g.waited_ns = clock_->now - g.waitsince;
      g.waited_exact = clock_->exact;
    }
}

// An M whose struct cannot be read (a stale allm entry or g.m in a damaged
// or truncated core) is left out: its goroutines show no M or thread,
// which is what is known of them.
std::optional<MState> RuntimeSnapshot::read_m_if_readable(uint64_t m) const {
  try {
    return read_m(target_.memory(), layout_, m);
  } catch (const MemoryError&) {
    return std::nullopt;
  }
}

void RuntimeSnapshot::read_threads_and_ms() {
  const Memory& memory = target_.memory();
  std::vector<uint64_t> allm = read_allm(target_.binary(), layout_, memory);
  threads_ = map_threads(target_.threads(), allm, memory, layout_, target_.architecture());
  std::stable_sort(threads_.begin(), threads_.end(),
                   [](const ThreadState& a, const ThreadState& b) {
                     return a.input.tid < b.input.tid;  // the same order in every debugger
                   });
  // Ms: allm, and for stripped binaries the ones found through threads.
  std::unordered_set<uint64_t> known;
  for (uint64_t m : allm)
    if (auto state = read_m_if_readable(m)) {
      ms_.push_back(std::move(*state));
      known.insert(m);
    }
  for (const ThreadState& t : threads_)
    if (t.m && known.insert(t.m->address).second) ms_.push_back(*t.m);
}

void RuntimeSnapshot::set_goroutine_threads() {
  std::unordered_map<uint64_t, const MState*> m_by_address;
  for (const MState& m : ms_) m_by_address[m.address] = &m;
  std::unordered_map<int64_t, int64_t> number_by_tid;
  for (const ThreadState& t : threads_)
    if (t.input.number) number_by_tid[t.input.tid] = *t.input.number;
  for (Goroutine& g : goroutines_) {
    if (!g.m) continue;
    const MState* m = nullptr;
    if (auto it = m_by_address.find(g.m); it != m_by_address.end()) m = it->second;
    std::optional<MState> read;
    if (!m) read = read_m_if_readable(g.m);
    if (read) m = &*read;
    if (m) {
      g.m_id = m->id;
      if (m->procid) g.tid = static_cast<int64_t>(m->procid);
    }
    if (!g.tid) continue;
    if (auto it = number_by_tid.find(*g.tid); it != number_by_tid.end())
      g.thread_number = it->second;
  }
}

Goroutine RuntimeSnapshot::read_goroutine(uint64_t address, const std::vector<uint8_t>& bytes) {
  const GLayout& l = layout_.g;
  Goroutine g;
  g.g = address;
  g.goid = field<uint64_t>(bytes, l.goid);
  g.status = field<uint32_t>(bytes, l.atomicstatus);
  g.wait_reason_index = field<uint8_t>(bytes, l.waitreason);
  if (g.base_status() == gstatus::kWaiting && g.wait_reason_index) {
    g.wait_reason = g.wait_reason_index < wait_reasons_.size()
                        ? wait_reasons_[g.wait_reason_index]
                        : "wait reason " + std::to_string(g.wait_reason_index);
  }
  g.waitsince = field<int64_t>(bytes, l.waitsince);
  if (l.tracking_stamp) g.tracking_stamp = field<int64_t>(bytes, *l.tracking_stamp);
  g.m = field<uint64_t>(bytes, l.m);
  g.locked = field<uint64_t>(bytes, l.lockedm) != 0;
  if (l.parent_goid) g.parent_goid = field<uint64_t>(bytes, *l.parent_goid);
  g.labels = field<uint64_t>(bytes, l.labels);
  g.stack_lo = field<uint64_t>(bytes, l.stack_lo);
  g.stack_hi = field<uint64_t>(bytes, l.stack_hi);
  const GobufLayout& b = layout_.gobuf;
  g.sched.sp = field<uint64_t>(bytes, l.sched + b.sp);
  g.sched.pc = field<uint64_t>(bytes, l.sched + b.pc);
  g.sched.bp = field<uint64_t>(bytes, l.sched + b.bp);
  g.sched.lr = field<uint64_t>(bytes, l.sched + b.lr);
  g.syscall.sp = field<uint64_t>(bytes, l.syscallsp);
  g.syscall.pc = field<uint64_t>(bytes, l.syscallpc);
  if (l.syscallbp) g.syscall.bp = field<uint64_t>(bytes, *l.syscallbp);
  if (!g.dead()) {
    g.start = locate(field<uint64_t>(bytes, l.startpc), false);
    g.created_by = locate(field<uint64_t>(bytes, l.gopc), true);
    g.system = is_system_start(g.start.function);
  }
  return g;
}

CodeLocation RuntimeSnapshot::locate(uint64_t pc, bool return_address) const {
  // Goroutines share a handful of start and creation PCs.
  auto& cache = return_address ? locate_return_cache_ : locate_cache_;
  auto it = cache.find(pc);
  if (it != cache.end()) return it->second;
  if (cache.size() > 100'000) cache.clear();  // bounded memory
  CodeLocation out = locate_uncached(pc, return_address);
  cache.emplace(pc, out);
  return out;
}

CodeLocation RuntimeSnapshot::locate_uncached(uint64_t pc, bool return_address) const {
  CodeLocation out;
  out.pc = pc;
  out.function = "?";
  if (!pc || !has_pclntab_) return out;
  uint64_t lookup = pc;
  if (return_address) {
    if (pclntab_.entry_of_pc(pc) != pc) lookup = pc - 1;
  }
  auto fn = pclntab_.function(lookup);
  if (!fn) return out;
  out.function = fn->name;
  if (auto fl = pclntab_.file_line(*fn, lookup)) {
    out.file = fl->first;
    out.line = fl->second;
  }
  return out;
}

const Goroutine* RuntimeSnapshot::find(uint64_t goid) const {
  auto it = by_goid_.find(goid);
  return it == by_goid_.end() ? nullptr : &goroutines_[it->second];
}

const ThreadState* RuntimeSnapshot::thread_of(const Goroutine& g) const {
  if (!g.m) return nullptr;
  for (const ThreadState& t : threads_)
    if (t.m && t.m->address == g.m) return &t;
  return nullptr;
}

const Goroutine* RuntimeSnapshot::selected() const {
  for (const ThreadState& t : threads_)
    if (t.input.selected && t.m && t.m->curg) {
      uint64_t goid = 0;
      if (target_.memory().read_prefix(t.m->curg + layout_.g.goid, &goid, 8) == 8)
        return find(goid);
    }
  return nullptr;
}

std::optional<CrashSite> RuntimeSnapshot::crash() const {
  const MState* dying = nullptr;
  for (const MState& m : ms_) {
    if (m.dying <= 0) continue;
    bool on_selected = false;
    for (const ThreadState& t : threads_)
      if (t.input.selected && t.m && t.m->address == m.address) on_selected = true;
    if (!dying || on_selected) dying = &m;
  }
  if (!dying) return std::nullopt;
  CrashSite site;
  site.m_id = dying->id;
  site.tid = static_cast<int64_t>(dying->procid);
  if (dying->curg) target_.memory().read_prefix(dying->curg + layout_.g.goid, &site.goid, 8);
  return site;
}

Backtrace RuntimeSnapshot::no_stack() const {
  Backtrace out;
  out.stop_reason = "no usable pclntab to unwind with";
  return out;
}

Backtrace RuntimeSnapshot::backtrace(const ThreadState& thread, size_t max_frames) const {
  if (!has_pclntab_) return no_stack();
  UnwindStart start;
  const Architecture& arch = target_.architecture();
  start.pc = thread.reg(arch.pc);
  start.sp = thread.reg(arch.sp);
  start.bp = thread.reg(arch.frame_pointer);
  if (arch.link_register) start.lr = thread.reg(arch.link_register);
  start.trap = true;
  start.registers = thread.input.registers;
  MachineContext context;
  if (thread.m) context = machine_context(*thread.m, target_.memory(), layout_);
  return unwinder_.unwind(start, context, max_frames);
}

Backtrace RuntimeSnapshot::backtrace(const Goroutine& g, size_t max_frames) const {
  if (!has_pclntab_) return no_stack();
  uint32_t status = g.base_status();
  if (status == gstatus::kRunning) {
    if (const ThreadState* t = thread_of(g)) return backtrace(*t, max_frames);
  }
  MachineContext own;
  own.stacks.push_back({g.stack_lo, g.stack_hi, StackKind::Goroutine});
  UnwindStart start = g.sched;
  std::string note;
  if (status == gstatus::kSyscall && g.syscall.sp && g.syscall.pc) {
    start = g.syscall;  // entersyscall saved its caller's pc/sp
  } else if (status == gstatus::kRunning) {
    note =
        "(running, but its thread is not known: showing its last saved context, which may be "
        "stale)";
  }
  if (!start.pc || !start.sp) {
    Backtrace empty;
    empty.stop_reason = "no saved context (pc/sp are 0)";
    return empty;
  }
  if (g.stack_lo >= g.stack_hi || g.stack_hi - g.stack_lo > kMaxStackSize) {
    Backtrace bad;
    bad.stop_reason = "its stack bounds [" + hex(g.stack_lo) + ", " + hex(g.stack_hi) +
                      ") are absurd: the g is damaged";
    return bad;
  }
  if (start.sp < g.stack_lo || start.sp > g.stack_hi) {
    // The saved PC may still be right, nothing above it is: a damaged g, or
    // (running) a context saved before its stack moved.
    Backtrace bad = unwinder_.unwind(start, own, 1);
    bad.complete = false;
    bad.notes.clear();
    bad.stop_reason = "its saved sp " + hex(start.sp) + " is outside its stack [" +
                      hex(g.stack_lo) + ", " + hex(g.stack_hi) +
                      "): " + (note.empty() ? "the g is damaged" : "the saved context is stale") +
                      "; only the saved pc is shown";
    return bad;
  }
  Backtrace out = unwinder_.unwind(start, own, max_frames);
  if (!note.empty()) out.notes.insert(out.notes.begin(), StackNote{0, note});
  return out;
}

std::vector<GoroutineStack> all_goroutine_stacks(Target& target, size_t max_frames) {
  RuntimeSnapshot snapshot(target);
  std::vector<GoroutineStack> out;
  for (const Goroutine& g : snapshot.goroutines())
    if (!g.dead()) out.push_back({g, snapshot.backtrace(g, max_frames)});
  return out;
}

}  // namespace gomapdbg
