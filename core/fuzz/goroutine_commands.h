// What goroutines_fuzz does with one input, shared with the seed extractor
// (tools/extract_seeds.cc records the memory these commands read from a real
// core). Input format (a memory image, fuzz_input.h):
//   selector bits 0-1  which binary of GOMAPDBG_FUZZ_BINARIES (modulo their count)
//   selector bits 2-4  the command (below)
//   first region       the thread table: up to kMaxThreads records of
//                      u64 tid + the binary's architecture's
//                      thread_record_registers;
//                      the first thread is the debugger's selected one
// The rest of the image is the process's memory; the binary (ELF, DWARF,
// pclntab) is trusted, the memory is not.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "arch/architecture.h"
#include "commands/bt_command.h"
#include "commands/goroutines_command.h"
#include "commands/threads_command.h"
#include "errors.h"
#include "target/target.h"

namespace gomapdbg::fuzz {

inline constexpr size_t kMaxThreads = 16;
// The registers a thread record carries, per architecture: what the product
// reads of a thread (PC, SP, frame pointer, the g register, the link register
// or the TLS base) and the first argument registers of Go's ABI (frame 0's
// register arguments), up to kThreadRegisterCount. All of them (27 on amd64)
// cost the fuzzer an eighth of its speed in map nodes.
inline constexpr size_t kThreadRegisterCount = 10;
inline constexpr size_t kThreadRecord = 8 * (1 + kThreadRegisterCount);
inline constexpr uint8_t kCommands = 5;
// Where the extractor puts the thread table: below any mapping of a Go process.
inline constexpr uint64_t kThreadTableAddress = 0x1000;

using ThreadRecordRegisters = std::array<const char*, kThreadRegisterCount>;

// amd64: rip rsp rbp r14 fs_base rax rbx rcx rdi rsi; arm64: pc sp x29 x28
// x30 x0-x4. Unused places (none on these two) stay nullptr.
inline ThreadRecordRegisters thread_record_registers(const Architecture& arch) {
  ThreadRecordRegisters names{};
  size_t n = 0;
  for (const char* name :
       {arch.pc, arch.sp, arch.frame_pointer, arch.g_register, arch.link_register, arch.tls_base})
    if (name) names[n++] = name;
  for (const char* name : arch.integer_argument_registers)
    if (n < names.size()) names[n++] = name;
  return names;
}

// The record layout of `arch`, made once per architecture (an execution
// must stay cheap).
inline const ThreadRecordRegisters& thread_record_of(const Architecture& arch) {
  static const ThreadRecordRegisters amd64 = thread_record_registers(amd64_architecture());
  static const ThreadRecordRegisters arm64 = thread_record_registers(arm64_architecture());
  return &arch == &arm64_architecture() ? arm64 : amd64;
}

inline std::vector<ThreadInput> parse_threads(const Architecture& arch, const uint8_t* table,
                                              size_t size) {
  const ThreadRecordRegisters& names = thread_record_of(arch);
  std::vector<ThreadInput> threads;
  for (size_t at = 0; at + kThreadRecord <= size && threads.size() < kMaxThreads;
       at += kThreadRecord) {
    uint64_t words[1 + kThreadRegisterCount];
    std::memcpy(words, table + at, sizeof words);
    ThreadInput t{static_cast<int64_t>(words[0]), {}, threads.empty()};
    for (size_t i = 0; i < names.size(); ++i)
      if (names[i]) t.registers.emplace(names[i], words[1 + i]);
    threads.push_back(std::move(t));
  }
  return threads;
}

inline std::string thread_table(const Architecture& arch, const std::vector<ThreadInput>& threads) {
  const ThreadRecordRegisters& names = thread_record_of(arch);
  std::string out;
  for (size_t n = 0; n < threads.size() && n < kMaxThreads; ++n) {
    uint64_t words[1 + kThreadRegisterCount] = {static_cast<uint64_t>(threads[n].tid)};
    for (size_t i = 0; i < names.size(); ++i) {
      if (!names[i]) continue;
      auto it = threads[n].registers.find(names[i]);
      if (it != threads[n].registers.end()) words[1 + i] = it->second;
    }
    out.append(reinterpret_cast<const char*>(words), sizeof words);
  }
  return out;
}

// Runs command `which` (0..kCommands-1) on the target; a reported error
// (gomapdbg::Error) is a fine outcome. Returns the output's size. The
// commands stay cheap (stacks a few frames deep, one full backtrace): ten
// million executions must fit in well under an hour.
inline size_t run_goroutine_command(Target& target, uint8_t which) {
  size_t written = 0;
  Output out([&](const std::string& text) { written += text.size(); });
  try {
    switch (which % kCommands) {
      case 0:  // go goroutines: allgs, every g, Ms, threads, start locations
        goroutines_command(target, GoroutinesOptions{}, out);
        break;
      case 1: {  // go goroutines -t 4 --group --json
        GoroutinesOptions o;
        o.stack_depth = 4;
        o.group = o.json = true;
        goroutines_command(target, o, out);
        break;
      }
      case 2:  // go threads: each thread's goroutine and innermost frames
        threads_command(target, false, out);
        break;
      case 3:  // go bt: the selected thread's goroutine, through signal frames and g0
        bt_command(target, BtOptions{}, out);
        break;
      default: {  // go bt all -n 8 --json
        BtOptions o;
        o.which = "all";
        o.depth = 8;
        o.json = true;
        bt_command(target, o, out);
        break;
      }
    }
  } catch (const Error&) {
  }
  out.flush();
  return written;
}

}  // namespace gomapdbg::fuzz
