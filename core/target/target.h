// What a command works on: a Go binary, the inferior's memory (live process
// or core, through the debugger or read directly) and, when the debugger has
// one selected, a stack frame for locals and arguments.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "binary/dwarf_location.h"
#include "memory/memory.h"
#include "program/go_binary.h"

namespace gomapdbg {

// The selected frame as the debugger reports it.
struct FrameInput {
  uint64_t pc = 0;
  uint64_t sp = 0;
  bool innermost = true;
  std::map<std::string, uint64_t> registers;  // by name (rax, rsp, r14, ...)
  // How many calls inlined into the physical frame's function this frame
  // is (0: the function itself), as the debugger's inline frames tell.
  size_t inline_depth = 0;
};

// One OS thread as the debugger (or a core's NT_PRSTATUS) reports it: its
// LWP id and the registers of its innermost frame (rip, rsp, rbp, r14,
// fs_base, ...).
struct ThreadInput {
  int64_t tid = 0;
  std::map<std::string, uint64_t> registers;
  bool selected = false;  // the debugger's selected thread
  // The debugger's own number for it (GDB's `info threads` Id, LLDB's
  // thread index); none without a debugger.
  std::optional<int64_t> number;
};

class Target {
 public:
  Target(std::shared_ptr<GoBinary> binary, std::shared_ptr<MemoryReader> reader,
         std::optional<FrameInput> frame, std::vector<ThreadInput> threads = {});

  GoBinary& binary() { return *binary_; }
  const Architecture& architecture() const { return binary_->architecture(); }
  const Memory& memory() const { return memory_; }
  const std::optional<FrameInput>& frame() const { return frame_; }
  // Replaces the debugger's selected frame with one the tool's own unwinder
  // found (go map/print/locals --goroutine G --frame N): its registers are
  // already resolved into `state`.
  void select_frame(FrameInput frame, const FrameState& state) {
    frame_ = std::move(frame);
    selected_state_ = state;
  }
  const std::vector<ThreadInput>& threads() const { return threads_; }
  // The frame's CFA and registers for DWARF locations; nullopt without a
  // frame or when the PC is not in Go code.
  std::optional<FrameState> frame_state() const;
  // A one-line warning when the memory's copy of the executable's first page
  // (ELF header, program headers, Go build ID) differs from the file: a core
  // of another binary or build. nullopt when they agree or it is not readable,
  // or differ only where strip changes it (a stripped copy of the same build).
  // A core file's check by the front end replaces this one (core_mismatch()
  // in target/executable_match.h, which names the program that dumped it).
  std::optional<std::string> executable_mismatch() const;
  // The front end's check of the core file: `mismatch`, and whether it was
  // said already (first, before the command's output: warnings() then
  // leaves it out).
  void set_core_mismatch(std::optional<std::string> mismatch, bool said) {
    core_checked_ = true;
    core_mismatch_ = std::move(mismatch);
    mismatch_said_ = said;
  }
  // Everything wrong with the target as a whole, one line each: the
  // executable mismatch (unless said) and a truncated core file.
  std::vector<std::string> warnings() const;
  // The process's nanotime() now (CLOCK_MONOTONIC, which the Go runtime's
  // clock is on linux/amd64) when the target is a live process on this host.
  const std::optional<int64_t>& clock_now() const { return clock_now_; }
  void set_clock_now(int64_t now) { clock_now_ = now; }

 private:
  std::shared_ptr<GoBinary> binary_;
  std::shared_ptr<MemoryReader> reader_;
  Memory memory_;
  std::optional<FrameInput> frame_;
  std::optional<FrameState> selected_state_;
  std::vector<ThreadInput> threads_;
  std::optional<int64_t> clock_now_;
  bool core_checked_ = false, mismatch_said_ = false;
  std::optional<std::string> core_mismatch_;
};

}  // namespace gomapdbg
