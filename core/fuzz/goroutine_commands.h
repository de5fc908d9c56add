// What goroutines_fuzz does with one input, shared with the seed extractor
// (tools/extract_seeds.cc records the memory these commands read from a real
// core). Input format (a memory image, fuzz_input.h):
//   selector bits 0-1  which binary of GOMAPDBG_FUZZ_BINARIES (modulo their count)
//   selector bits 2-4  the command (below)
//   first region       the thread table: up to kMaxThreads records of
//                      u64 tid + the kThreadRegisters;
//                      the first thread is the debugger's selected one
// The rest of the image is the process's memory; the binary (ELF, DWARF,
// pclntab) is trusted, the memory is not.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "commands/bt_command.h"
#include "commands/goroutines_command.h"
#include "commands/threads_command.h"
#include "errors.h"
#include "target/target.h"

namespace gomapdbg::fuzz {

inline constexpr size_t kMaxThreads = 16;
// The registers a thread record carries: what the product reads of a thread
// (PC, SP, BP, the g in R14 or TLS) and the first argument registers of Go's
// ABI (frame 0's register arguments). All 27 cost the fuzzer an eighth of its
// speed in map nodes.
inline constexpr std::array<const char*, 10> kThreadRegisters = {
    "rip", "rsp", "rbp", "r14", "fs_base", "rax", "rbx", "rcx", "rdi", "rsi"};
inline constexpr size_t kThreadRecord = 8 * (1 + kThreadRegisters.size());
inline constexpr uint8_t kCommands = 5;
// Where the extractor puts the thread table: below any mapping of a Go process.
inline constexpr uint64_t kThreadTableAddress = 0x1000;

inline std::vector<ThreadInput> parse_threads(const uint8_t* table, size_t size) {
  std::vector<ThreadInput> threads;
  for (size_t at = 0; at + kThreadRecord <= size && threads.size() < kMaxThreads;
       at += kThreadRecord) {
    uint64_t words[1 + kThreadRegisters.size()];
    std::memcpy(words, table + at, sizeof words);
    ThreadInput t{static_cast<int64_t>(words[0]), {}, threads.empty()};
    for (size_t i = 0; i < kThreadRegisters.size(); ++i)
      t.registers.emplace(kThreadRegisters[i], words[1 + i]);
    threads.push_back(std::move(t));
  }
  return threads;
}

inline std::string thread_table(const std::vector<ThreadInput>& threads) {
  std::string out;
  for (size_t n = 0; n < threads.size() && n < kMaxThreads; ++n) {
    uint64_t words[1 + kThreadRegisters.size()] = {static_cast<uint64_t>(threads[n].tid)};
    for (size_t i = 0; i < kThreadRegisters.size(); ++i) {
      auto it = threads[n].registers.find(kThreadRegisters[i]);
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
