// A Go stack unwinder driven by .gopclntab (works without DWARF): pcsp gives
// each frame's size, so the CFA (the caller's SP) is SP + spdelta plus what
// the call pushed, and the architecture (arch/architecture.h) says where the
// return address and the caller's frame pointer are saved: below the CFA on
// amd64, at 0(SP) and -8(SP) on arm64, whose leaf frames and frames
// interrupted before their prologue keep it in the link register. It
// follows the runtime's own stack switches:
//   - systemstack/morestack on g0 continue on the user goroutine (m.curg)
//     at its saved context (g.sched);
//   - sigtramp continues at the context the kernel saved in the signal frame
//     (the ucontext above the handler's return address);
//   - after sigpanic/asyncPreempt (calls injected by a signal handler) the
//     caller's PC is where the fault or preemption happened, not a return
//     address.
// Code without pclntab entries (C, vDSO) is crossed with frame pointers. Every
// walk is bounded: frame count, stack bounds, SP must grow.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "arch/architecture.h"
#include "binary/dwarf_location.h"
#include "binary/pclntab.h"
#include "memory/memory.h"
#include "unwind/inline_tree.h"

namespace gomapdbg {

// Which stack a frame's SP is on, as far as the M's stacks tell.
enum class StackKind : uint8_t { Goroutine, G0, Gsignal, Unknown };
const char* stack_kind_name(StackKind kind);

struct Frame {
  uint64_t pc = 0;     // where execution resumes in this frame
  uint64_t sp = 0;     // SP in this frame
  uint64_t cfa = 0;    // canonical frame address = caller's SP (DWARF frame base)
  uint64_t entry = 0;  // function entry (0 when unknown)
  std::string function;
  std::string file;
  int64_t line = 0;
  bool inlined = false;       // an inlined call; the physical frame follows
  size_t inline_depth = 0;    // how deep inside the physical frame's function (0: itself)
  bool trap = false;          // pc is where execution stopped, not a return address
  bool at_morestack = false;  // pc returns from the prologue's call to morestack
  StackKind stack = StackKind::Unknown;
  const Architecture* arch = nullptr;  // whose registers these are
  // Registers of a thread or signal context (only in the frame they belong to).
  std::map<std::string, uint64_t> registers;

  // The PC to look tables up at: inside the call instruction for a return address.
  uint64_t lookup_pc() const { return trap || pc == entry || pc == 0 ? pc : pc - 1; }
  // The state DWARF location expressions need (CFA-based; registers only
  // where the frame has them).
  FrameState dwarf_state() const;
};

// A remark between frames ("signal SIGABRT received here", "switched ...").
struct StackNote {
  size_t before_frame = 0;
  std::string text;
};

// A signal the thread was handling: the kernel's frame sits between
// frames[before_frame - 1] (the handler side) and frames[before_frame].
struct SignalFrame {
  size_t before_frame = 0;
  uint64_t siginfo = 0;  // address of its siginfo_t
  int32_t signo = 0;
};

struct Backtrace {
  std::vector<Frame> frames;
  std::vector<StackNote> notes;
  std::vector<SignalFrame> signals;  // innermost first
  bool complete = false;             // reached the top of the stack (goexit, mstart, ...)
  std::string stop_reason;           // why the walk ended otherwise
};

// Where to start: a thread's registers (trap = true), or a saved context
// (g.sched, g.syscallpc/sp) whose pc is a return address.
struct UnwindStart {
  uint64_t pc = 0, sp = 0, bp = 0;
  bool trap = false;
  std::map<std::string, uint64_t> registers;
  // On LR machines: the link register, the return address of a frame that
  // has not saved it yet (a thread's LR; a gobuf's lr, set for a goroutine
  // that has not run).
  uint64_t lr = 0;
};

struct StackRange {
  uint64_t lo = 0, hi = 0;
  StackKind kind = StackKind::Unknown;
  bool contains(uint64_t sp) const { return lo < hi && sp >= lo && sp <= hi; }
};

// What the unwinder knows of the M the stack belongs to.
struct MachineContext {
  std::vector<StackRange> stacks;         // g0, gsignal, curg
  std::optional<UnwindStart> curg_sched;  // where systemstack/morestack continue
  uint64_t curg_goid = 0;
  // m.vdsoPC/vdsoSP: where the Go code that called into the vDSO continues
  // (the vDSO and the assembly around it leave no unwindable frames).
  std::optional<UnwindStart> vdso_caller;
};

inline constexpr size_t kMaxFrames = 1024;

class Unwinder {
 public:
  Unwinder(const Architecture& arch, const Pclntab& table, const Memory& memory,
           const InlineTree& inline_tree)
      : arch_(arch), table_(table), memory_(memory), inline_tree_(inline_tree) {}

  // Logical frames (inlined calls expanded), at most `max_frames`.
  Backtrace unwind(const UnwindStart& start, const MachineContext& context,
                   size_t max_frames) const;

 private:
  // What the tables say about one lookup PC; memoized because parked
  // goroutines share a handful of PCs (100,000 of them in one gopark).
  // Keyed by pc and whether it is a trap PC (else a return address, looked
  // up inside the call), so a frame costs one hash lookup.
  struct PcInfo {
    uint64_t lookup = 0;  // the PC the tables were read at
    std::optional<GoFunc> fn;
    std::optional<int64_t> sp_delta;
    std::vector<LogicalFrame> logical;
    // What fn is to the unwinder (names compared once, not per frame).
    bool signal_trampoline = false, injected_call = false, stack_switch = false, stack_top = false,
         goexit = false, async_preempt = false;
  };
  const PcInfo& pc_info(uint64_t pc, bool trap) const;
  // True when the instruction before `pc` calls runtime.morestack* (memoized).
  bool returns_from_morestack(uint64_t pc) const;
  class Walk;  // one unwind, step by step

  const Architecture& arch_;
  const Pclntab& table_;
  const Memory& memory_;
  const InlineTree& inline_tree_;
  mutable std::unordered_map<uint64_t, PcInfo> pc_cache_;
  mutable std::unordered_map<uint64_t, bool> morestack_cache_;
};

}  // namespace gomapdbg
