// The pclntab unwinder and the inline tree on a hand-built program and
// hand-written stacks (no Go binary, no debugger). The program:
//   runtime.goexit     [0x000,0x020) TOPFRAME, frame 0
//   main.leaf          [0x020,0x060) frame 0 for 4 bytes, then 0x18
//   main.caller        [0x060,0x0a0) frame 0 for 4 bytes, then 0x28; offsets
//                      [0x10,0x20) are main.inlined, inlined at offset 0x08
//   runtime.sigpanic   [0x0a0,0x0c0) frame 0x10
//   runtime.systemstack[0x0c0,0x0e0) frame 0
//   runtime.sigtramp   [0x0e0,0x100) TOPFRAME, frame 0x40
//   runtime.mstart     [0x100,0x120) TOPFRAME, frame 0
//   runtime.asyncPreempt [0x120,0x140) frame 0x80 (BP, flags, 14 registers)
//   runtime.morestack  [0x140,0x160) frame 0
// Reference: /work/shared/reference/go-runtime-layouts.md §6.3–6.4.
#include "unwind/unwinder.h"

#include <gtest/gtest.h>

#include "tests/pclntab_builder.h"
#include "tests/synthetic_memory.h"
#include "unwind/inline_tree.h"

namespace gomapdbg {
namespace {

using test::kTextStart;
using test::PclntabBuilder;
using test::SyntheticMemory;

constexpr uint64_t kGoexit = kTextStart, kLeaf = kTextStart + 0x20, kCaller = kTextStart + 0x60,
                   kSigpanic = kTextStart + 0xa0, kSystemstack = kTextStart + 0xc0,
                   kSigtramp = kTextStart + 0xe0, kAsyncPreempt = kTextStart + 0x120,
                   kMorestack = kTextStart + 0x140;
constexpr uint64_t kGofunc = 0x600000;  // moduledata.gofunc of the synthetic binary
constexpr uint64_t kInlTreeOffset = 0x40;

PclntabBuilder program(bool go118) {
  using B = PclntabBuilder;
  B b;
  b.files = {"/src/main.go", "/src/asm.s", "/src/inl.go"};
  auto plain = [](uint32_t off, std::string name, int64_t frame, uint32_t size, uint8_t flag) {
    B::Func f{off, std::move(name), B::pcvalue({{frame, size}}), B::pcvalue({{1, size}}),
              B::pcvalue({{100 + off, size}})};
    f.flag = flag;
    return f;
  };
  b.funcs.push_back(plain(0x000, "runtime.goexit", 0, 0x20, kFuncFlagTopFrame));
  B::Func leaf{0x20, "main.leaf", B::pcvalue({{0, 4}, {0x18, 0x3c}}), B::pcvalue({{0, 0x40}}),
               B::pcvalue({{10, 0x40}})};
  b.funcs.push_back(leaf);
  // Line 20 at the call site (offset 8), the inlined body is inl.go:7.
  B::Func caller{0x60, "main.caller", B::pcvalue({{0, 4}, {0x28, 0x3c}}),
                 B::pcvalue({{0, 0x10}, {2, 0x10}, {0, 0x20}}),
                 B::pcvalue({{19, 8}, {20, 8}, {7, 0x10}, {21, 0x20}})};
  caller.pcdata = {{}, {}, B::pcvalue({{-1, 0x10}, {0, 0x10}, {-1, 0x20}})};
  caller.funcdata = {0xffffffff, 0xffffffff, 0xffffffff, static_cast<uint32_t>(kInlTreeOffset)};
  b.funcs.push_back(caller);
  b.funcs.push_back(plain(0xa0, "runtime.sigpanic", 0x10, 0x20, 0));
  b.funcs.push_back(plain(0xc0, "runtime.systemstack", 0, 0x20, kFuncFlagSpWrite));
  b.funcs.push_back(plain(0xe0, "runtime.sigtramp", 0x40, 0x20, kFuncFlagTopFrame));
  b.funcs.push_back(plain(0x100, "runtime.mstart", 0, 0x20, kFuncFlagTopFrame));
  b.funcs.push_back(plain(0x120, "runtime.asyncPreempt", 0x80, 0x20, 0));
  b.funcs.push_back(plain(0x140, "runtime.morestack", 0, 0x20, 0));
  b.extra_names = {"main.inlined"};
  (void)go118;
  return b;
}

class UnwinderTest : public ::testing::Test {
 protected:
  explicit UnwinderTest(bool go118 = false, const Architecture& arch = amd64_architecture())
      : builder_(program(go118)),
        table_(builder_.build(go118 ? 0xfffffff0 : 0xfffffff1, 1, kTextStart, 0x160), 0),
        memory_(synthetic_),
        tree_(table_, synthetic_, kGofunc),
        unwinder_(arch, table_, memory_, tree_) {
    // One inline tree entry: main.inlined called at caller+0x08.
    synthetic_.map(kGofunc, 0x100);
    uint64_t e = kGofunc + kInlTreeOffset;
    uint32_t name = builder_.extra_name_offsets.at(0);
    if (go118) {
      synthetic_.put_u32(e + 12, name);  // func_
      synthetic_.put_u32(e + 16, 0x08);  // parentPc
    } else {
      synthetic_.put_u32(e + 4, name);  // nameOff
      synthetic_.put_u32(e + 8, 0x08);  // parentPc
    }
    synthetic_.map(kStack, kStackSize);
    synthetic_.map(kG0, kStackSize);
    synthetic_.map(kSignalStack, kStackSize);
  }

  static std::vector<std::string> names(const Backtrace& bt) {
    std::vector<std::string> out;
    for (const Frame& f : bt.frames) out.push_back(f.function + (f.inlined ? " (inlined)" : ""));
    return out;
  }

  MachineContext goroutine_only() const {
    MachineContext c;
    c.stacks.push_back({kStack, kStack + kStackSize, StackKind::Goroutine});
    return c;
  }

  static constexpr uint64_t kStack = 0x7f0000010000, kG0 = 0x7f0000020000,
                            kSignalStack = 0x7f0000030000, kStackSize = 0x1000;
  PclntabBuilder builder_;
  Pclntab table_;
  SyntheticMemory synthetic_;
  Memory memory_;
  InlineTree tree_;
  Unwinder unwinder_;
};

TEST_F(UnwinderTest, ParkedGoroutineWithAnInlinedCallReachesGoexit) {
  uint64_t s = kStack + 0x100;
  synthetic_.put_u64(s + 0x18, kCaller + 0x15);  // leaf's return address: in the inlined body
  synthetic_.put_u64(s + 0x20 + 0x28, kGoexit + 1);
  Backtrace bt = unwinder_.unwind({kLeaf + 0x10, s, 0, false, {}}, goroutine_only(), 100);
  EXPECT_TRUE(bt.complete) << bt.stop_reason;
  EXPECT_EQ(names(bt), (std::vector<std::string>{"main.leaf", "main.inlined (inlined)",
                                                 "main.caller", "runtime.goexit"}));
  EXPECT_EQ(bt.frames[0].cfa, s + 0x20);
  EXPECT_EQ(bt.frames[0].line, 10);
  EXPECT_EQ(bt.frames[1].file, "/src/inl.go");
  EXPECT_EQ(bt.frames[1].line, 7);
  EXPECT_EQ(bt.frames[2].line, 20);  // the call site at parentPc
  EXPECT_EQ(bt.frames[2].file, "/src/main.go");
  EXPECT_EQ(bt.frames[1].cfa, s + 0x20 + 0x30);
  EXPECT_EQ(bt.frames[2].cfa, bt.frames[1].cfa);
  EXPECT_EQ(bt.frames[2].lookup_pc(), kCaller + 0x14);
  // The inlined call reads its variables one call deep in main.caller's DWARF.
  EXPECT_EQ(bt.frames[1].inline_depth, 1u);
  EXPECT_EQ(bt.frames[1].dwarf_state().inline_depth, 1u);
  EXPECT_EQ(bt.frames[2].inline_depth, 0u);
  EXPECT_EQ(bt.frames[1].stack, StackKind::Goroutine);
  // DWARF state for arguments: CFA-based, the call's PC.
  FrameState st = bt.frames[2].dwarf_state();
  EXPECT_EQ(st.cfa, s + 0x50);
  EXPECT_EQ(st.pc, kCaller + 0x14);
}

TEST_F(UnwinderTest, UnstartedGoroutineIsLookedUpAtItsEntry) {
  uint64_t s = kStack + 0x200;
  synthetic_.put_u64(s, kGoexit + 1);  // gostartcallfn pushed goexit as the return address
  Backtrace bt = unwinder_.unwind({kLeaf, s, 0, false, {}}, goroutine_only(), 100);
  EXPECT_TRUE(bt.complete) << bt.stop_reason;
  EXPECT_EQ(names(bt), (std::vector<std::string>{"main.leaf", "runtime.goexit"}));
}

TEST_F(UnwinderTest, CallerOfAnInjectedSigpanicIsAtTheFaultingPc) {
  uint64_t s = kStack + 0x300;
  // The fault happened at leaf+4, where the frame is already 0x18; a
  // return-address lookup (leaf+3) would see frame size 0 and go wrong.
  synthetic_.put_u64(s + 0x10, kLeaf + 4);
  synthetic_.put_u64(s + 0x18 + 0x18, kGoexit + 1);
  Backtrace bt = unwinder_.unwind({kSigpanic + 4, s, 0, true, {}}, goroutine_only(), 100);
  EXPECT_TRUE(bt.complete) << bt.stop_reason;
  EXPECT_EQ(names(bt),
            (std::vector<std::string>{"runtime.sigpanic", "main.leaf", "runtime.goexit"}));
  EXPECT_TRUE(bt.frames[1].trap);
  EXPECT_EQ(bt.frames[1].lookup_pc(), kLeaf + 4);
}

TEST_F(UnwinderTest, SignalFrameContinuesAtTheInterruptedContext) {
  uint64_t t = kSignalStack + 0x400, s = kStack + 0x500;
  uint64_t uc = t + 0x40 + 8;                       // above the handler's return address
  synthetic_.put_u64(uc + 40 + 16 * 8, kLeaf + 4);  // mcontext rip
  synthetic_.put_u64(uc + 40 + 15 * 8, s);          // mcontext rsp
  synthetic_.put_u64(uc + 40 + 10 * 8, 0x1234);     // mcontext rbp
  synthetic_.put_u32(uc + 304, 6);                  // siginfo.si_signo: SIGABRT
  synthetic_.put_u64(s + 0x18, kGoexit + 1);
  MachineContext c = goroutine_only();
  c.stacks.push_back({kSignalStack, kSignalStack + kStackSize, StackKind::Gsignal});
  Backtrace bt = unwinder_.unwind({kSigtramp + 8, t, 0, true, {{"rip", kSigtramp + 8}}}, c, 100);
  EXPECT_TRUE(bt.complete) << bt.stop_reason;
  EXPECT_EQ(names(bt),
            (std::vector<std::string>{"runtime.sigtramp", "main.leaf", "runtime.goexit"}));
  EXPECT_EQ(bt.frames[0].stack, StackKind::Gsignal);
  EXPECT_EQ(bt.frames[0].registers.at("rip"), kSigtramp + 8);
  EXPECT_EQ(bt.frames[1].stack, StackKind::Goroutine);
  EXPECT_TRUE(bt.frames[1].trap);
  EXPECT_EQ(bt.frames[1].registers.at("rbp"), 0x1234u);
  ASSERT_EQ(bt.notes.size(), 1u);
  EXPECT_EQ(bt.notes[0].before_frame, 1u);
  EXPECT_NE(bt.notes[0].text.find("SIGABRT received"), std::string::npos);
}

TEST_F(UnwinderTest, SignalFrameHandsEveryGeneralRegisterToTheInterruptedFrame) {
  uint64_t t = kSignalStack + 0x400, s = kStack + 0x500;
  uint64_t uc = t + 0x40 + 8;
  synthetic_.put_u64(uc + 40 + 16 * 8, kLeaf + 4);  // rip
  synthetic_.put_u64(uc + 40 + 15 * 8, s);          // rsp
  synthetic_.put_u64(uc + 40 + 14 * 8, 0xc1);       // rcx
  synthetic_.put_u64(uc + 40 + 0 * 8, 0x88);        // r8
  synthetic_.put_u64(s + 0x18, kGoexit + 1);
  MachineContext c = goroutine_only();
  c.stacks.push_back({kSignalStack, kSignalStack + kStackSize, StackKind::Gsignal});
  Backtrace bt = unwinder_.unwind({kSigtramp + 8, t, 0, true, {}}, c, 100);
  ASSERT_GE(bt.frames.size(), 2u);
  EXPECT_EQ(bt.frames[1].registers.at("rcx"), 0xc1u);
  EXPECT_EQ(bt.frames[1].registers.at("r8"), 0x88u);
  EXPECT_EQ(bt.frames[1].dwarf_state().registers[2], 0xc1u);  // DWARF register 2 is rcx
}

TEST_F(UnwinderTest, AsyncPreemptedFrameGetsTheRegistersItSaved) {
  uint64_t s = kStack + 0x600;  // asyncPreempt's SP at its call of asyncPreempt2
  for (uint64_t r = 0; r < 14; ++r) synthetic_.put_u64(s + r * 8, 0x100 + r);  // rax, rcx, ...
  uint64_t cfa = s + 0x80 + 8;
  synthetic_.put_u64(cfa - 16, 0xb0b0);    // the interrupted frame's BP
  synthetic_.put_u64(cfa - 8, kLeaf + 4);  // the interrupted PC
  synthetic_.put_u64(cfa + 0x18, kGoexit + 1);
  Backtrace bt = unwinder_.unwind({kAsyncPreempt + 0x10, s, 0, false, {}}, goroutine_only(), 100);
  EXPECT_TRUE(bt.complete) << bt.stop_reason;
  ASSERT_EQ(names(bt),
            (std::vector<std::string>{"runtime.asyncPreempt", "main.leaf", "runtime.goexit"}));
  const Frame& leaf = bt.frames[1];
  EXPECT_TRUE(leaf.trap);
  EXPECT_EQ(leaf.registers.at("rax"), 0x100u);
  EXPECT_EQ(leaf.registers.at("rcx"), 0x101u);
  EXPECT_EQ(leaf.registers.at("r15"), 0x10du);
  EXPECT_EQ(leaf.registers.at("rbp"), 0xb0b0u);
  EXPECT_EQ(leaf.registers.at("rsp"), cfa);
  EXPECT_EQ(leaf.registers.at("rip"), kLeaf + 4);
  EXPECT_TRUE(bt.frames[2].registers.empty());  // callers have none (no callee-saved registers)
}

TEST_F(UnwinderTest, FrameResumingAfterMorestackHasItsArgumentsSpilled) {
  // leaf+0x30: CALL runtime.morestack (E8 rel32); the goroutine's saved PC
  // is the instruction after it.
  synthetic_.map(kTextStart, 0x160);
  uint64_t call = kLeaf + 0x30;
  int32_t rel = static_cast<int32_t>(kMorestack - (call + 5));
  synthetic_.put_u8(call, 0xe8);
  synthetic_.put_bytes(call + 1, &rel, 4);
  uint64_t s = kStack + 0x700;
  synthetic_.put_u64(s + 0x18, kGoexit + 1);
  Backtrace bt = unwinder_.unwind({call + 5, s, 0, false, {}}, goroutine_only(), 100);
  ASSERT_GE(bt.frames.size(), 2u);
  EXPECT_TRUE(bt.frames[0].at_morestack);
  EXPECT_TRUE(bt.frames[0].dwarf_state().args_spilled);
  EXPECT_FALSE(bt.frames[1].at_morestack);

  // Any other call before the PC is an ordinary return address.
  synthetic_.put_u8(call, 0x90);
  Backtrace other = unwinder_.unwind({call + 6, s, 0, false, {}}, goroutine_only(), 100);
  ASSERT_FALSE(other.frames.empty());
  EXPECT_FALSE(other.frames[0].at_morestack);
}

TEST_F(UnwinderTest, SystemstackOnG0SwitchesToTheUserGoroutine) {
  uint64_t g = kG0 + 0x600, s = kStack + 0x700;
  synthetic_.put_u64(g + 0x18, kSystemstack + 5);
  synthetic_.put_u64(s + 0x28, kGoexit + 1);
  MachineContext c = goroutine_only();
  c.stacks.push_back({kG0, kG0 + kStackSize, StackKind::G0});
  c.curg_sched = UnwindStart{kCaller + 0x31, s, 0, false, {}};
  c.curg_goid = 42;
  Backtrace bt = unwinder_.unwind({kLeaf + 0x10, g, 0, true, {}}, c, 100);
  EXPECT_TRUE(bt.complete) << bt.stop_reason;
  EXPECT_EQ(names(bt), (std::vector<std::string>{"main.leaf", "runtime.systemstack", "main.caller",
                                                 "runtime.goexit"}));
  EXPECT_EQ(bt.frames[1].stack, StackKind::G0);
  EXPECT_EQ(bt.frames[2].stack, StackKind::Goroutine);
  ASSERT_EQ(bt.notes.size(), 1u);
  EXPECT_NE(bt.notes[0].text.find("goroutine 42"), std::string::npos);
}

TEST_F(UnwinderTest, AThreadInTheVdsoContinuesAtItsGoCaller) {
  // A pc outside every function (the vDSO) with no frame pointer: without
  // m.vdsoPC/vdsoSP the walk ends there; with them, at the Go caller.
  uint64_t s = kStack + 0x700, outside = kTextStart + 0x1000;
  synthetic_.put_u64(s + 0x28, kGoexit + 1);
  Backtrace lost = unwinder_.unwind({outside, kStack + 0x600, 0, true, {}}, goroutine_only(), 100);
  EXPECT_FALSE(lost.complete);
  EXPECT_EQ(names(lost), (std::vector<std::string>{"?"}));
  MachineContext c = goroutine_only();
  c.vdso_caller = UnwindStart{kCaller + 0x31, s, 0, false, {}};
  Backtrace bt = unwinder_.unwind({outside, kStack + 0x600, 0, true, {}}, c, 100);
  EXPECT_TRUE(bt.complete) << bt.stop_reason;
  EXPECT_EQ(names(bt), (std::vector<std::string>{"?", "main.caller", "runtime.goexit"}));
  ASSERT_EQ(bt.notes.size(), 1u);
  EXPECT_NE(bt.notes[0].text.find("vDSO"), std::string::npos);
}

TEST_F(UnwinderTest, IdleG0EndsAtMstartWithoutAUserGoroutine) {
  uint64_t g = kG0 + 0x800;
  synthetic_.put_u64(g + 0x18, kTextStart + 0x101);  // leaf returns into mstart
  MachineContext c;
  c.stacks.push_back({kG0, kG0 + kStackSize, StackKind::G0});
  Backtrace bt = unwinder_.unwind({kLeaf + 0x10, g, 0, true, {}}, c, 100);
  EXPECT_TRUE(bt.complete) << bt.stop_reason;
  EXPECT_EQ(names(bt), (std::vector<std::string>{"main.leaf", "runtime.mstart"}));
}

TEST_F(UnwinderTest, ALoopingStackEndsAtTheFrameLimit) {
  // Every word is a return address into leaf: each frame looks valid.
  for (uint64_t a = kStack; a < kStack + kStackSize; a += 8) synthetic_.put_u64(a, kLeaf + 0x10);
  Backtrace bt = unwinder_.unwind({kLeaf + 0x10, kStack, 0, false, {}}, MachineContext{}, 50);
  EXPECT_FALSE(bt.complete);
  EXPECT_EQ(bt.frames.size(), 50u);
  EXPECT_NE(bt.stop_reason.find("frame limit"), std::string::npos);
}

TEST_F(UnwinderTest, ALoopingStackEndsAtTheTopOfItsStack) {
  for (uint64_t a = kStack; a < kStack + kStackSize; a += 8) synthetic_.put_u64(a, kLeaf + 0x10);
  Backtrace bt = unwinder_.unwind({kLeaf + 0x10, kStack, 0, false, {}}, goroutine_only(), 1000);
  EXPECT_FALSE(bt.complete);
  EXPECT_LT(bt.frames.size(), kStackSize / 0x20 + 2);
  EXPECT_FALSE(bt.stop_reason.empty());
}

TEST_F(UnwinderTest, CodeWithoutPclntabIsCrossedWithTheFramePointer) {
  uint64_t b = kStack + 0x900;
  synthetic_.put_u64(b, 0);                 // caller's rbp
  synthetic_.put_u64(b + 8, kLeaf + 0x10);  // return address into Go
  synthetic_.put_u64(b + 16 + 0x18, kGoexit + 1);
  Backtrace bt = unwinder_.unwind({0x1000, kStack + 0x8c0, b, true, {}}, goroutine_only(), 100);
  EXPECT_TRUE(bt.complete) << bt.stop_reason;
  EXPECT_EQ(names(bt), (std::vector<std::string>{"?", "main.leaf", "runtime.goexit"}));
}

TEST_F(UnwinderTest, UnknownPcWithoutFramePointerStops) {
  Backtrace bt = unwinder_.unwind({0x1000, kStack + 0x10, 0, true, {}}, goroutine_only(), 100);
  EXPECT_FALSE(bt.complete);
  ASSERT_EQ(bt.frames.size(), 1u);
  EXPECT_NE(bt.stop_reason.find("no Go function"), std::string::npos);
}

TEST_F(UnwinderTest, UnreadableStackStops) {
  uint64_t s = kStack + kStackSize - 0x10;  // the return address would be past the region
  Backtrace bt = unwinder_.unwind({kLeaf + 0x10, s, 0, false, {}}, MachineContext{}, 100);
  EXPECT_FALSE(bt.complete);
  EXPECT_NE(bt.stop_reason.find("unreadable"), std::string::npos);
}

class Go118UnwinderTest : public UnwinderTest {
 protected:
  Go118UnwinderTest() : UnwinderTest(true) {}
};

TEST_F(Go118UnwinderTest, InlineTreeEntriesOfGo118) {
  GoFunc caller = *table_.function(kCaller + 0x14);
  std::vector<LogicalFrame> frames = tree_.frames(caller, kCaller + 0x14);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].function, "main.inlined");
  EXPECT_TRUE(frames[0].inlined);
  EXPECT_EQ(frames[0].line, 7);
  EXPECT_EQ(frames[1].function, "main.caller");
  EXPECT_EQ(frames[1].line, 20);
}

TEST_F(UnwinderTest, InlineTreeWithoutGofuncShowsThePhysicalFrameOnly) {
  InlineTree no_gofunc(table_, synthetic_, std::nullopt);
  GoFunc caller = *table_.function(kCaller + 0x14);
  std::vector<LogicalFrame> frames = no_gofunc.frames(caller, kCaller + 0x14);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].function, "main.caller");
  EXPECT_EQ(frames[0].line, 7);  // the pc's own line (of the inlined body)
}

}  // namespace
}  // namespace gomapdbg

namespace gomapdbg {
namespace {

// The same program on arm64: CFA = SP + frame size (BL pushes nothing), the
// return address saved at 0(SP) once the frame is allocated and in LR
// before that, the kernel's signal frame siginfo-first, and the LR a
// signal handler pushes (16 bytes) before it injects a call.
class Arm64UnwinderTest : public UnwinderTest {
 protected:
  Arm64UnwinderTest() : UnwinderTest(false, arm64_architecture()) {}
  // Where the arm64 signal frame keeps register N of its mcontext (x0–x30, sp, pc).
  static uint64_t mcontext(uint64_t frame, int n) { return frame + 128 + 176 + 8 + 8 * n; }
};

TEST_F(Arm64UnwinderTest, ParkedGoroutineFindsEachReturnAddressAtItsFramesSp) {
  uint64_t s = kStack + 0x100;
  synthetic_.put_u64(s, kCaller + 0x15);      // leaf's saved LR
  synthetic_.put_u64(s + 0x18, kGoexit + 1);  // caller's saved LR
  synthetic_.put_u64(s - 8, 0xf0f0);          // leaf's saved frame pointer
  Backtrace bt = unwinder_.unwind({kLeaf + 0x10, s, 0, false, {}}, goroutine_only(), 100);
  EXPECT_TRUE(bt.complete) << bt.stop_reason;
  EXPECT_EQ(names(bt), (std::vector<std::string>{"main.leaf", "main.inlined (inlined)",
                                                 "main.caller", "runtime.goexit"}));
  EXPECT_EQ(bt.frames[0].cfa, s + 0x18);
  EXPECT_EQ(bt.frames[2].cfa, s + 0x18 + 0x28);
  // Stack arguments start one word above the CFA (the caller's LR slot).
  EXPECT_EQ(bt.frames[2].dwarf_state().arguments_above_cfa, 8u);
}

TEST_F(Arm64UnwinderTest, AFrameBeforeItsPrologueReturnsThroughTheLinkRegister) {
  uint64_t s = kStack + 0x200;
  synthetic_.put_u64(s, kGoexit + 1);  // caller's saved LR, at its SP = leaf's CFA
  UnwindStart start{kLeaf, s, 0, true, {}, kCaller + 0x15};
  Backtrace bt = unwinder_.unwind(start, goroutine_only(), 100);
  EXPECT_TRUE(bt.complete) << bt.stop_reason;
  EXPECT_EQ(names(bt), (std::vector<std::string>{"main.leaf", "main.inlined (inlined)",
                                                 "main.caller", "runtime.goexit"}));
  start.lr = 0;
  Backtrace unknown = unwinder_.unwind(start, goroutine_only(), 100);
  EXPECT_FALSE(unknown.complete);
  EXPECT_EQ(unknown.stop_reason, "main.leaf has no frame and its link register is unknown");
}

TEST_F(Arm64UnwinderTest, UnstartedGoroutineReturnsToTheGobufsLr) {
  uint64_t s = kStack + 0x280;
  Backtrace bt = unwinder_.unwind({kLeaf, s, 0, false, {}, kGoexit + 1}, goroutine_only(), 100);
  EXPECT_TRUE(bt.complete) << bt.stop_reason;
  EXPECT_EQ(names(bt), (std::vector<std::string>{"main.leaf", "runtime.goexit"}));
}

TEST_F(Arm64UnwinderTest, SignalFrameIsSiginfoThenTheUcontextAtTheHandlersEntrySp) {
  uint64_t t = kSignalStack + 0x400, s = kStack + 0x500;
  uint64_t frame = t + 0x40;                             // sigtramp's CFA: where the kernel left SP
  synthetic_.put_u32(frame, 6);                          // siginfo.si_signo: SIGABRT
  synthetic_.put_u64(mcontext(frame, 32), kLeaf);        // pc: before leaf's prologue
  synthetic_.put_u64(mcontext(frame, 31), s);            // sp
  synthetic_.put_u64(mcontext(frame, 30), kGoexit + 1);  // x30, leaf's return address
  synthetic_.put_u64(mcontext(frame, 29), 0x1234);       // x29
  synthetic_.put_u64(mcontext(frame, 3), 0x33);          // x3
  MachineContext c = goroutine_only();
  c.stacks.push_back({kSignalStack, kSignalStack + kStackSize, StackKind::Gsignal});
  Backtrace bt = unwinder_.unwind({kSigtramp + 8, t, 0, true, {}}, c, 100);
  EXPECT_TRUE(bt.complete) << bt.stop_reason;
  EXPECT_EQ(names(bt),
            (std::vector<std::string>{"runtime.sigtramp", "main.leaf", "runtime.goexit"}));
  ASSERT_EQ(bt.signals.size(), 1u);
  EXPECT_EQ(bt.signals[0].siginfo, frame);
  EXPECT_EQ(bt.signals[0].signo, 6);
  EXPECT_TRUE(bt.frames[1].trap);
  EXPECT_EQ(bt.frames[1].registers.at("x29"), 0x1234u);
  EXPECT_EQ(bt.frames[1].dwarf_state().registers[3], 0x33u);  // DWARF register 3 is x3
  EXPECT_EQ(bt.frames[1].dwarf_state().registers[31], s);     // and 31 is sp
}

TEST_F(Arm64UnwinderTest, CallerOfAnInjectedSigpanicGetsTheLrTheHandlerPushed) {
  uint64_t s = kStack + 0x300;
  // The fault hit leaf's first instruction: no frame yet, its return
  // address was in LR, which the handler pushed below the interrupted SP.
  synthetic_.put_u64(s, kLeaf);               // sigpanic's saved LR: the faulting PC
  synthetic_.put_u64(s + 0x10, kGoexit + 1);  // the pushed LR
  Backtrace bt = unwinder_.unwind({kSigpanic + 4, s, 0, true, {}}, goroutine_only(), 100);
  EXPECT_TRUE(bt.complete) << bt.stop_reason;
  EXPECT_EQ(names(bt),
            (std::vector<std::string>{"runtime.sigpanic", "main.leaf", "runtime.goexit"}));
  EXPECT_TRUE(bt.frames[1].trap);
  EXPECT_EQ(bt.frames[1].sp, s + 0x10 + 16);  // the interrupted SP, above the pushed LR
}

TEST_F(Arm64UnwinderTest, AsyncPreemptedFrameGetsTheRegistersSavedAboveItsLr) {
  uint64_t s = kStack + 0x600;       // asyncPreempt's SP (its frame here is 0x80: x0–x14 fit)
  synthetic_.put_u64(s, kLeaf + 4);  // the resume PC, stored as its LR
  for (uint64_t r = 0; r < 15; ++r) synthetic_.put_u64(s + 8 + r * 8, 0x100 + r);
  synthetic_.put_u64(s - 8, 0xb0b0);  // the interrupted frame's x29
  uint64_t cfa = s + 0x80;
  synthetic_.put_u64(cfa, 0x7777);            // the interrupted LR, pushed by the handler
  synthetic_.put_u64(cfa + 16, kGoexit + 1);  // leaf's own saved LR, at its SP
  Backtrace bt = unwinder_.unwind({kAsyncPreempt + 0x10, s, 0, false, {}}, goroutine_only(), 100);
  EXPECT_TRUE(bt.complete) << bt.stop_reason;
  ASSERT_EQ(names(bt),
            (std::vector<std::string>{"runtime.asyncPreempt", "main.leaf", "runtime.goexit"}));
  const Frame& leaf = bt.frames[1];
  EXPECT_TRUE(leaf.trap);
  EXPECT_EQ(leaf.sp, cfa + 16);
  EXPECT_EQ(leaf.registers.at("x0"), 0x100u);
  EXPECT_EQ(leaf.registers.at("x14"), 0x10eu);
  EXPECT_EQ(leaf.registers.count("x18"), 0u);  // the platform register is not saved
  EXPECT_EQ(leaf.registers.at("x29"), 0xb0b0u);
  EXPECT_EQ(leaf.registers.at("x30"), 0x7777u);
  EXPECT_EQ(leaf.registers.at("sp"), cfa + 16);
  EXPECT_EQ(leaf.registers.at("pc"), kLeaf + 4);
}

TEST_F(Arm64UnwinderTest, AGoroutineStoppedAtMorestackIsFoundByItsBl) {
  // leaf+0x30: BL runtime.morestack (0x94000000 | word offset).
  synthetic_.map(kTextStart, 0x160);
  uint32_t bl = 0x94000000u | (((kMorestack - (kLeaf + 0x30)) / 4) & 0x03FFFFFFu);
  synthetic_.put_u32(kLeaf + 0x30, bl);
  uint64_t s = kStack + 0x700;
  synthetic_.put_u64(s, kGoexit + 1);
  Backtrace bt = unwinder_.unwind({kLeaf + 0x34, s, 0, false, {}}, goroutine_only(), 100);
  ASSERT_FALSE(bt.frames.empty());
  EXPECT_TRUE(bt.frames[0].at_morestack);
}

}  // namespace
}  // namespace gomapdbg
