#include "unwind/unwinder.h"

#include <csignal>
#include <cstring>
#include <iterator>

#include "errors.h"
#include "unwind/signal_frame.h"

namespace gomapdbg {

namespace {

// Registers one signal context or asyncPreempt save area holds, at most.
constexpr size_t kMaxSavedRegisters = 64;

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
  state.arguments_above_cfa = arch ? arch->arguments_above_cfa : 0;
  state.args_spilled = at_morestack;
  state.inline_depth = inline_depth;
  if (arch) state.set_registers(*arch, registers);
  return state;
}

bool Unwinder::returns_from_morestack(uint64_t pc) const {
  auto it = morestack_cache_.find(pc);
  if (it != morestack_cache_.end()) return it->second;
  if (morestack_cache_.size() > 100'000) morestack_cache_.clear();  // bounded memory
  uint8_t call[16] = {};
  size_t size = std::min(arch_.call_instruction_size, sizeof call);
  bool result = false;
  if (pc >= size && memory_.read_prefix(pc - size, call, size) == size) {
    if (auto target = arch_.direct_call_target(call, pc)) {
      auto callee = table_.function(*target);
      result = callee && callee->name.rfind("runtime.morestack", 0) == 0;
    }
  }
  morestack_cache_.emplace(pc, result);
  return result;
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
    info.async_preempt = name == "runtime.asyncPreempt";
    info.stack_switch = is_stack_switch(name);
    info.stack_top = is_stack_top(*info.fn);
    info.goexit = name == "runtime.goexit";
  }
  return pc_cache_.emplace(key, std::move(info)).first->second;
}

// One walk up a stack: the registers of the frame being unwound, the
// frames so far, and the stack switches already taken (each at most once).
class Unwinder::Walk {
 public:
  Walk(const Unwinder& unwinder, const UnwindStart& start, const MachineContext& context,
       size_t max_frames)
      : unwinder_(unwinder),
        memory_(unwinder.memory_),
        context_(context),
        max_frames_(std::min(max_frames, kMaxFrames)),
        arch_(unwinder.arch_),
        pc_(start.pc),
        sp_(start.sp),
        bp_(start.bp),
        lr_(start.lr),
        trap_(start.trap),
        registers_(start.registers) {
    out_.frames.reserve(std::min<size_t>(max_frames_, 16));
  }

  Backtrace run() {
    for (size_t physical = 0; physical < kMaxFrames; ++physical)
      if (step(physical == 0) == Next::Stop) break;
    if (out_.frames.size() >= kMaxFrames && !out_.complete && out_.stop_reason.empty())
      stop("frame limit reached");
    return std::move(out_);
  }

 private:
  enum class Next { Continue, Stop };

  // Unwinds one physical frame: records its frames, then moves to its caller.
  Next step(bool innermost) {
    if (out_.frames.size() >= max_frames_)
      return stop("frame limit " + std::to_string(max_frames_) + " reached");
    if (pc_ == 0) return stop("pc is 0");
    const StackRange* range = nullptr;
    StackKind kind = classify(context_, sp_, &range);
    const PcInfo& info = unwinder_.pc_info(pc_, trap_);
    if (!info.fn) return step_by_frame_pointer(kind, range);
    const GoFunc& fn = *info.fn;
    const std::optional<int64_t>& delta = info.sp_delta;
    if (!delta || *delta < 0 || static_cast<uint64_t>(*delta) > kMaxFrameSize)
      return stop_at_unsized_frame(fn, kind);
    uint64_t cfa = sp_ + static_cast<uint64_t>(*delta) + arch_.return_address_size;
    // A goroutine stopped for stack growth (or a preemption request, which
    // poisons the stack guard) resumes right after its prologue's call to
    // morestack.
    bool at_morestack = innermost && !trap_ && unwinder_.returns_from_morestack(pc_);
    push_logical_frames(info, cfa, kind, at_morestack);

    if (info.signal_trampoline) return enter_signal_context(cfa);
    if (info.stack_switch && kind != StackKind::Goroutine && can_switch_to_goroutine())
      return switch_to_goroutine("--- switched from the system stack to goroutine " +
                                 std::to_string(context_.curg_goid) + " (" + fn.name + ") ---");
    if (info.stack_top) return leave_stack_top(info, kind);
    if (fn.flag & kFuncFlagSpWrite && !trap_) {
      if (leave_vdso()) return Next::Continue;
      return stop(fn.name + " changes SP; cannot unwind past it");
    }
    return return_to_caller(info, cfa, *delta, range);
  }

  // Not Go code (C, vDSO): follow the frame pointer chain one step.
  Next step_by_frame_pointer(StackKind kind, const StackRange* range) {
    Frame f = frame_here(kind);
    f.function = "?";
    f.registers = std::move(registers_);
    registers_.clear();
    const uint64_t record_cfa = arch_.frame_record_cfa;
    bool bp_ok = bp_ >= sp_ && bp_ % 8 == 0 && (!range || range->contains(bp_ + record_cfa));
    uint64_t next_pc = 0, next_bp = 0;
    if (!bp_ok || memory_.read_prefix(bp_ + arch_.frame_record_return_address, &next_pc, 8) != 8 ||
        memory_.read_prefix(bp_, &next_bp, 8) != 8) {
      out_.frames.push_back(std::move(f));
      if (leave_vdso()) return Next::Continue;
      return stop("no Go function at pc " + hex(pc_) + " and no usable frame pointer");
    }
    f.cfa = bp_ + record_cfa;
    out_.frames.push_back(std::move(f));
    note("(frame above has no pclntab entry; unwound with the frame pointer)");
    pc_ = next_pc;
    sp_ = bp_ + record_cfa;
    lr_ = 0;
    bp_ = next_bp;
    trap_ = false;
    return Next::Continue;
  }

  Next stop_at_unsized_frame(const GoFunc& fn, StackKind kind) {
    Frame f = frame_here(kind);
    f.entry = fn.entry;
    f.function = fn.name;
    out_.frames.push_back(std::move(f));
    return stop("no frame size for " + fn.name + " at pc " + hex(pc_));
  }

  // The logical frames of this physical frame, innermost first; they share
  // its registers (an inlined call's variables live in them too).
  void push_logical_frames(const PcInfo& info, uint64_t cfa, StackKind kind, bool at_morestack) {
    const std::vector<LogicalFrame>& logical = info.logical;
    for (size_t i = 0; i < logical.size() && out_.frames.size() < max_frames_; ++i) {
      Frame f = frame_here(kind);
      f.cfa = cfa;
      f.entry = info.fn->entry;
      f.function = logical[i].function;
      f.file = logical[i].file;
      f.line = logical[i].line;
      f.inlined = logical[i].inlined;
      f.inline_depth = logical.size() - 1 - i;
      f.at_morestack = at_morestack;
      if (i + 1 == logical.size())
        f.registers = std::move(registers_);
      else
        f.registers = registers_;
      out_.frames.push_back(std::move(f));
    }
    registers_.clear();
  }

  // The kernel entered the handler with SP at its signal frame (the
  // trampoline's CFA): the interrupted code continues at the context it saved.
  Next enter_signal_context(uint64_t cfa) {
    const SignalFrameLayout& layout = arch_.signal_frame;
    uint64_t gregs[kMaxSavedRegisters] = {};
    size_t count = std::min(layout.registers.size(), kMaxSavedRegisters);
    uint64_t at = cfa + layout.general_registers;
    if (memory_.read_prefix(at, gregs, count * 8) != count * 8)
      return stop("signal frame at " + hex(cfa) + " is unreadable");
    uint64_t siginfo_at = cfa + layout.siginfo;
    auto siginfo = read_siginfo(memory_, siginfo_at);
    int32_t signo = siginfo ? siginfo->signo : 0;
    out_.signals.push_back({out_.frames.size(), siginfo_at, signo});
    note("--- " + signal_name(signo) + " received; the frames above ran in its handler ---");
    for (size_t r = 0; r < count; ++r) registers_[layout.registers[r]] = gregs[r];
    pc_ = registers_[arch_.pc];
    sp_ = registers_[arch_.sp];
    bp_ = registers_[arch_.frame_pointer];
    lr_ = arch_.link_register ? registers_[arch_.link_register] : 0;
    trap_ = true;
    return Next::Continue;
  }

  bool can_switch_to_goroutine() const { return context_.curg_sched && !switched_; }

  // Continues on the M's user goroutine at its saved context (g.sched).
  Next switch_to_goroutine(std::string why) {
    switched_ = true;
    note(std::move(why));
    pc_ = context_.curg_sched->pc;
    sp_ = context_.curg_sched->sp;
    bp_ = context_.curg_sched->bp;
    lr_ = context_.curg_sched->lr;
    trap_ = false;
    return Next::Continue;
  }

  // The top of g0 under an M that still has a user goroutine (e.g. in
  // mcall on its way to park it): that goroutine continues at g.sched.
  // Any other top ends the walk, complete.
  Next leave_stack_top(const PcInfo& info, StackKind kind) {
    bool system = kind == StackKind::G0 || kind == StackKind::Gsignal;
    if (system && can_switch_to_goroutine() && !info.goexit)
      return switch_to_goroutine("--- top of the system stack; goroutine " +
                                 std::to_string(context_.curg_goid) +
                                 " continues at its saved context ---");
    out_.complete = true;
    return Next::Stop;
  }

  // A thread in the vDSO: its Go caller continues where m.vdsoPC/vdsoSP say.
  bool leave_vdso() {
    if (left_vdso_ || !context_.vdso_caller) return false;
    left_vdso_ = true;
    note("--- the thread was in the vDSO; its Go caller continues at m.vdsoPC ---");
    pc_ = context_.vdso_caller->pc;
    sp_ = context_.vdso_caller->sp;
    bp_ = 0;
    lr_ = 0;
    trap_ = false;
    return true;
  }

  // The ordinary step: the return address and the caller's frame pointer
  // sit where the architecture saves them once the frame is allocated; an
  // unallocated frame on an LR machine still has its return address in LR.
  Next return_to_caller(const PcInfo& info, uint64_t cfa, int64_t delta, const StackRange* range) {
    uint64_t return_address = 0;
    if (arch_.link_register && delta == 0) {
      if (!lr_) return stop(info.fn->name + " has no frame and its link register is unknown");
      return_address = lr_;
    } else {
      uint64_t slot = arch_.return_address.address(sp_, cfa);
      if (memory_.read_prefix(slot, &return_address, 8) != 8)
        return stop("stack unreadable at " + hex(slot));
    }
    if (delta > 0) {
      uint64_t saved_bp = 0;
      uint64_t slot = arch_.saved_frame_pointer.address(sp_, cfa);
      if (memory_.read_prefix(slot, &saved_bp, 8) == 8) bp_ = saved_bp;
    }
    if (range && cfa > range->hi + 8)
      return stop("frame of " + info.fn->name + " extends past the top of its stack");
    if (info.async_preempt && !trap_) restore_preempted_registers(cfa, return_address);
    pc_ = return_address;
    sp_ = cfa;
    lr_ = 0;
    trap_ = info.injected_call;
    if (info.injected_call && arch_.injected_call_push) pop_injected_call();
    return Next::Continue;
  }

  // On an LR machine the handler that injected the call first pushed the
  // interrupted LR: the interrupted frame's return address if it had not
  // saved its own (runtime.gentraceback does the same).
  void pop_injected_call() {
    uint64_t saved_lr = 0;
    if (memory_.read_prefix(sp_, &saved_lr, 8) == 8) lr_ = saved_lr;
    sp_ += arch_.injected_call_push;
    if (registers_.empty()) return;  // no saved context to complete
    if (arch_.link_register) registers_[arch_.link_register] = lr_;
    registers_[arch_.sp] = sp_;
  }

  // The preempted frame's registers, as asyncPreempt saved them.
  void restore_preempted_registers(uint64_t cfa, uint64_t return_address) {
    const AsyncPreemptSaveArea& area = arch_.async_preempt;
    uint64_t saved[kMaxSavedRegisters] = {};
    size_t count = std::min(area.registers.size(), kMaxSavedRegisters);
    if (memory_.read_prefix(sp_ + area.offset, saved, count * 8) != count * 8) return;
    for (size_t r = 0; r < count; ++r) registers_[area.registers[r]] = saved[r];
    registers_[arch_.frame_pointer] = bp_;
    registers_[arch_.sp] = cfa;
    registers_[arch_.pc] = return_address;
  }

  // A frame at the current pc/sp, on stack `kind`.
  Frame frame_here(StackKind kind) const {
    Frame f;
    f.pc = pc_;
    f.sp = sp_;
    f.trap = trap_;
    f.stack = kind;
    f.arch = &arch_;
    return f;
  }

  void note(std::string text) { out_.notes.push_back({out_.frames.size(), std::move(text)}); }

  Next stop(std::string reason) {
    out_.stop_reason = std::move(reason);
    return Next::Stop;
  }

  const Unwinder& unwinder_;
  const Memory& memory_;
  const MachineContext& context_;
  const size_t max_frames_;
  const Architecture& arch_;
  uint64_t pc_, sp_, bp_;
  uint64_t lr_;  // the link register, while this frame has not saved it
  bool trap_;
  std::map<std::string, uint64_t> registers_;
  bool switched_ = false;
  bool left_vdso_ = false;
  Backtrace out_;
};

Backtrace Unwinder::unwind(const UnwindStart& start, const MachineContext& context,
                           size_t max_frames) const {
  return Walk(*this, start, context, max_frames).run();
}

}  // namespace gomapdbg
