#include "unwind/unwinder.h"

#include <csignal>
#include <cstring>

#include "errors.h"

namespace gomapdbg {

namespace {

// The x86-64 signal frame the kernel pushes (arch/x86 struct rt_sigframe):
// the handler's return address (sa_restorer), then struct ucontext, then
// siginfo. uc_mcontext starts 40 bytes into ucontext (uc_flags, uc_link,
// uc_stack); its general registers are r8..r15, rdi, rsi, rbp, rbx, rdx,
// rax, rcx, rsp, rip; ucontext is 304 bytes.
constexpr uint64_t kMcontext = 40;
constexpr uint64_t kMcontextRbp = kMcontext + 10 * 8;
constexpr uint64_t kMcontextRsp = kMcontext + 15 * 8;
constexpr uint64_t kMcontextRip = kMcontext + 16 * 8;
constexpr uint64_t kMcontextR14 = kMcontext + 6 * 8;
constexpr uint64_t kUcontextSize = 304;

// Largest frame accepted before calling the stack corrupt (Go frames are far smaller).
constexpr uint64_t kMaxFrameSize = uint64_t{64} << 20;

bool is_signal_trampoline(const std::string& name) {
  return name == "runtime.sigtramp" || name == "runtime.cgoSigtramp";
}

// Calls a signal handler injects: their caller's PC is a faulting or
// preempted instruction, not a return address.
bool is_injected_call(const std::string& name) {
  return name == "runtime.sigpanic" || name == "runtime.asyncPreempt" ||
         name == "runtime.debugCallV2";
}

bool is_stack_switch(const std::string& name) {
  return name == "runtime.systemstack" || name == "runtime.morestack";
}

// Tops of stacks without TOPFRAME: mcall's fn runs on a fresh g0 stack.
bool is_stack_top(const GoFunc& fn) {
  return (fn.flag & kFuncFlagTopFrame) != 0 || fn.name == "runtime.goexit" ||
         fn.name == "runtime.mstart" || fn.name == "runtime.rt0_go" || fn.name == "runtime.mcall";
}

std::string signal_name(int64_t signo) {
  switch (signo) {
    case SIGABRT:
      return "SIGABRT";
    case SIGSEGV:
      return "SIGSEGV";
    case SIGBUS:
      return "SIGBUS";
    case SIGQUIT:
      return "SIGQUIT";
    case SIGURG:
      return "SIGURG";
    case SIGPROF:
      return "SIGPROF";
    case SIGILL:
      return "SIGILL";
    case SIGFPE:
      return "SIGFPE";
    case SIGTRAP:
      return "SIGTRAP";
    case SIGINT:
      return "SIGINT";
    case SIGTERM:
      return "SIGTERM";
    default:
      return "signal " + std::to_string(signo);
  }
}

StackKind classify(const MachineContext& context, uint64_t sp, const StackRange** range) {
  for (const StackRange& r : context.stacks)
    if (r.contains(sp)) {
      *range = &r;
      return r.kind;
    }
  *range = nullptr;
  return StackKind::Unknown;
}

}  // namespace

const char* stack_kind_name(StackKind kind) {
  switch (kind) {
    case StackKind::Goroutine:
      return "goroutine";
    case StackKind::G0:
      return "g0";
    case StackKind::Gsignal:
      return "gsignal";
    case StackKind::Unknown:
      break;
  }
  return "unknown";
}

FrameState Frame::dwarf_state() const {
  FrameState state;
  state.pc = lookup_pc();
  state.cfa = cfa;
  for (size_t i = 0; i < kDwarfRegisterNames.size(); ++i) {
    auto it = registers.find(kDwarfRegisterNames[i]);
    if (it != registers.end()) state.registers[i] = it->second;
  }
  return state;
}

const Unwinder::PcInfo& Unwinder::pc_info(uint64_t pc, bool trap) const {
  uint64_t key = (pc << 1) | (trap ? 1 : 0);
  auto it = pc_cache_.find(key);
  if (it != pc_cache_.end()) return it->second;
  if (pc_cache_.size() > 1'000'000) pc_cache_.clear();  // bounded memory
  PcInfo info;
  info.lookup = pc;
  // A return address: look inside the call. A goroutine that has not run
  // yet is saved at its function's entry, which is no return address.
  if (!trap && table_.entry_of_pc(pc) != pc) info.lookup = pc - 1;
  info.fn = table_.function(info.lookup);
  if (info.fn) {
    info.sp_delta = table_.sp_delta(*info.fn, info.lookup);
    info.logical = inline_tree_.frames(*info.fn, info.lookup);
    const std::string& name = info.fn->name;
    info.signal_trampoline = is_signal_trampoline(name);
    info.injected_call = is_injected_call(name);
    info.stack_switch = is_stack_switch(name);
    info.stack_top = is_stack_top(*info.fn);
    info.goexit = name == "runtime.goexit";
  }
  return pc_cache_.emplace(key, std::move(info)).first->second;
}

Backtrace Unwinder::unwind(const UnwindStart& start, const MachineContext& context,
                           size_t max_frames) const {
  Backtrace out;
  max_frames = std::min(max_frames, kMaxFrames);
  out.frames.reserve(std::min<size_t>(max_frames, 16));
  uint64_t pc = start.pc, sp = start.sp, bp = start.bp;
  bool trap = start.trap;
  std::map<std::string, uint64_t> registers = start.registers;
  bool switched = false;
  auto note = [&](std::string text) { out.notes.push_back({out.frames.size(), std::move(text)}); };
  auto stop = [&](std::string reason) { out.stop_reason = std::move(reason); };

  for (size_t physical = 0; physical < kMaxFrames; ++physical) {
    if (out.frames.size() >= max_frames) {
      stop("frame limit " + std::to_string(max_frames) + " reached");
      break;
    }
    if (pc == 0) {
      stop("pc is 0");
      break;
    }
    const StackRange* range = nullptr;
    StackKind kind = classify(context, sp, &range);
    const PcInfo& info = pc_info(pc, trap);
    const std::optional<GoFunc>& fn = info.fn;
    if (!fn) {
      // Not Go code (C, vDSO): follow the frame pointer chain one step.
      Frame f;
      f.pc = pc;
      f.sp = sp;
      f.function = "?";
      f.trap = trap;
      f.stack = kind;
      f.registers = std::move(registers);
      registers.clear();
      bool bp_ok = bp >= sp && bp % 8 == 0 && (!range || range->contains(bp + 16));
      uint64_t next_pc = 0, next_bp = 0;
      if (!bp_ok || memory_.read_prefix(bp + 8, &next_pc, 8) != 8 ||
          memory_.read_prefix(bp, &next_bp, 8) != 8) {
        out.frames.push_back(std::move(f));
        stop("no Go function at pc " + hex(pc) + " and no usable frame pointer");
        break;
      }
      f.cfa = bp + 16;
      out.frames.push_back(std::move(f));
      note("(frame above has no pclntab entry; unwound with the frame pointer)");
      pc = next_pc;
      sp = bp + 16;
      bp = next_bp;
      trap = false;
      continue;
    }
    const std::optional<int64_t>& delta = info.sp_delta;
    if (!delta || *delta < 0 || static_cast<uint64_t>(*delta) > kMaxFrameSize) {
      Frame f;
      f.pc = pc;
      f.sp = sp;
      f.entry = fn->entry;
      f.function = fn->name;
      f.trap = trap;
      f.stack = kind;
      out.frames.push_back(std::move(f));
      stop("no frame size for " + fn->name + " at pc " + hex(pc));
      break;
    }
    uint64_t cfa = sp + static_cast<uint64_t>(*delta) + 8;

    // The logical frames of this physical frame, innermost first.
    const std::vector<LogicalFrame>& logical = info.logical;
    for (size_t i = 0; i < logical.size() && out.frames.size() < max_frames; ++i) {
      Frame f;
      f.pc = pc;
      f.sp = sp;
      f.cfa = cfa;
      f.entry = fn->entry;
      f.function = logical[i].function;
      f.file = logical[i].file;
      f.line = logical[i].line;
      f.inlined = logical[i].inlined;
      f.trap = trap;
      f.stack = kind;
      if (i + 1 == logical.size()) f.registers = std::move(registers);
      out.frames.push_back(std::move(f));
    }
    registers.clear();

    if (info.signal_trampoline) {
      // The kernel entered the handler with SP at the signal frame's return address.
      uint64_t uc = cfa;
      uint64_t rip = 0, rsp = 0, rbp = 0, r14 = 0;
      int32_t signo = 0;
      if (memory_.read_prefix(uc + kMcontextRip, &rip, 8) != 8 ||
          memory_.read_prefix(uc + kMcontextRsp, &rsp, 8) != 8 ||
          memory_.read_prefix(uc + kMcontextRbp, &rbp, 8) != 8) {
        stop("signal frame at " + hex(uc) + " is unreadable");
        break;
      }
      memory_.read_prefix(uc + kMcontextR14, &r14, 8);
      memory_.read_prefix(uc + kUcontextSize, &signo, 4);
      note("--- " + signal_name(signo) + " received; the frames above ran in its handler ---");
      pc = rip;
      sp = rsp;
      bp = rbp;
      trap = true;
      registers = {{"rip", rip}, {"rsp", rsp}, {"rbp", rbp}, {"r14", r14}};
      continue;
    }
    if (info.stack_switch && kind != StackKind::Goroutine && context.curg_sched && !switched) {
      switched = true;
      note("--- switched from the system stack to goroutine " + std::to_string(context.curg_goid) +
           " (" + fn->name + ") ---");
      pc = context.curg_sched->pc;
      sp = context.curg_sched->sp;
      bp = context.curg_sched->bp;
      trap = false;
      continue;
    }
    if (info.stack_top) {
      // The top of g0 under an M that still has a user goroutine (e.g. in
      // mcall on its way to park it): that goroutine continues at g.sched.
      bool system = kind == StackKind::G0 || kind == StackKind::Gsignal;
      if (system && context.curg_sched && !switched && !info.goexit) {
        switched = true;
        note("--- top of the system stack; goroutine " + std::to_string(context.curg_goid) +
             " continues at its saved context ---");
        pc = context.curg_sched->pc;
        sp = context.curg_sched->sp;
        bp = context.curg_sched->bp;
        trap = false;
        continue;
      }
      out.complete = true;
      break;
    }
    if (fn->flag & kFuncFlagSpWrite && !trap) {
      stop(fn->name + " changes SP; cannot unwind past it");
      break;
    }
    uint64_t return_address = 0;
    if (memory_.read_prefix(cfa - 8, &return_address, 8) != 8) {
      stop("stack unreadable at " + hex(cfa - 8));
      break;
    }
    if (*delta > 0) {
      uint64_t saved_bp = 0;
      if (memory_.read_prefix(cfa - 16, &saved_bp, 8) == 8) bp = saved_bp;
    }
    if (range && cfa > range->hi + 8) {
      stop("frame of " + fn->name + " extends past the top of its stack");
      break;
    }
    bool injected = info.injected_call;
    pc = return_address;
    sp = cfa;
    trap = injected;
  }
  if (out.frames.size() >= kMaxFrames && !out.complete && out.stop_reason.empty())
    stop("frame limit reached");
  return out;
}

}  // namespace gomapdbg
