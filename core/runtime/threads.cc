#include "runtime/threads.h"

#include "errors.h"
#include "runtime/runtime_layout.h"

namespace gomapdbg {

namespace {

std::optional<StackRange> stack_of(const Memory& memory, const RuntimeLayout& layout, uint64_t g,
                                   StackKind kind) {
  uint64_t lo = 0, hi = 0;
  if (!g || memory.read_prefix(g + layout.g.stack_lo, &lo, 8) != 8 ||
      memory.read_prefix(g + layout.g.stack_hi, &hi, 8) != 8)
    return std::nullopt;
  if (lo >= hi) return std::nullopt;
  return StackRange{lo, hi, kind};
}

std::optional<MState> try_m(const Memory& memory, const RuntimeLayout& layout, uint64_t m) {
  if (!m || m % 8) return std::nullopt;
  try {
    return read_m(memory, layout, m);
  } catch (const MemoryError&) {
    return std::nullopt;
  }
}

}  // namespace

uint64_t ThreadState::reg(const char* name) const {
  auto it = input.registers.find(name);
  return it == input.registers.end() ? 0 : it->second;
}

MState read_m(const Memory& memory, const RuntimeLayout& layout, uint64_t m) {
  const MLayout& l = layout.m;
  MState s;
  s.address = m;
  s.g0 = memory.u64(m + l.g0);
  s.procid = memory.u64(m + l.procid);
  s.gsignal = memory.u64(m + l.gsignal);
  s.curg = memory.u64(m + l.curg);
  s.id = memory.get<int64_t>(m + l.id);
  s.lockedg = memory.u64(m + l.lockedg);
  s.throwing = memory.get<int32_t>(m + l.throwing);
  s.dying = memory.get<int32_t>(m + l.dying);
  if (l.vdso_sp && l.vdso_pc) {
    s.vdso_sp = memory.u64(m + *l.vdso_sp);
    s.vdso_pc = memory.u64(m + *l.vdso_pc);
  }
  return s;
}

MachineContext machine_context(const MState& m, const Memory& memory, const RuntimeLayout& layout) {
  MachineContext c;
  if (auto r = stack_of(memory, layout, m.g0, StackKind::G0)) c.stacks.push_back(*r);
  if (auto r = stack_of(memory, layout, m.gsignal, StackKind::Gsignal)) c.stacks.push_back(*r);
  if (auto r = stack_of(memory, layout, m.curg, StackKind::Goroutine)) c.stacks.push_back(*r);
  uint64_t sched = m.curg + layout.g.sched;
  uint64_t sp = 0, pc = 0, bp = 0, goid = 0;
  if (m.curg && memory.read_prefix(sched + layout.gobuf.sp, &sp, 8) == 8 &&
      memory.read_prefix(sched + layout.gobuf.pc, &pc, 8) == 8 &&
      memory.read_prefix(sched + layout.gobuf.bp, &bp, 8) == 8 &&
      memory.read_prefix(m.curg + layout.g.goid, &goid, 8) == 8 && pc && sp) {
    c.curg_sched = UnwindStart{pc, sp, bp, false, {}, 0};
    memory.read_prefix(sched + layout.gobuf.lr, &c.curg_sched->lr, 8);
    c.curg_goid = goid;
  }
  if (m.vdso_sp && m.vdso_pc) c.vdso_caller = UnwindStart{m.vdso_pc, m.vdso_sp, 0, false, {}};
  return c;
}

std::vector<ThreadState> map_threads(const std::vector<ThreadInput>& threads,
                                     const std::vector<uint64_t>& allm, const Memory& memory,
                                     const RuntimeLayout& layout, const Architecture& arch) {
  std::vector<MState> all;
  for (uint64_t m : allm)
    if (auto s = try_m(memory, layout, m)) all.push_back(*s);
  std::vector<ThreadState> out;
  for (const ThreadInput& input : threads) {
    ThreadState t;
    t.input = input;
    uint64_t tls = 0;
    if (arch.tls_base) {
      uint64_t base = t.reg(arch.tls_base);
      if (base >= arch.tls_g_below_base) memory.read_prefix(base - arch.tls_g_below_base, &tls, 8);
    }
    std::optional<std::pair<uint64_t, MState>> loose;  // a g whose M has another procid
    for (auto [g, how] : {std::pair<uint64_t, const char*>{tls, "TLS"},
                          {t.reg(arch.g_register), arch.g_register_label}}) {
      uint64_t m = 0;
      if (!g || g % 8 || memory.read_prefix(g + layout.g.m, &m, 8) != 8) continue;
      auto s = try_m(memory, layout, m);
      if (!s || (g != s->g0 && g != s->gsignal && g != s->curg)) continue;
      if (s->procid != static_cast<uint64_t>(input.tid)) {
        if (!loose) loose = {g, *s};
        continue;
      }
      t.g = g;
      t.m = *s;
      t.found_by = how;
      break;
    }
    if (!t.m)
      for (const MState& s : all)
        if (s.procid == static_cast<uint64_t>(input.tid)) {
          t.m = s;
          t.found_by = "m.procid";
          break;
        }
    if (!t.m && loose) {
      t.g = loose->first;
      t.m = loose->second;
      t.found_by = "TLS (m.procid differs)";
    }
    if (t.m) {
      MachineContext c = machine_context(*t.m, memory, layout);
      uint64_t sp = t.reg(arch.sp);
      for (const StackRange& r : c.stacks)
        if (r.contains(sp)) {
          t.on = r.kind;
          break;
        }
    }
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace gomapdbg
