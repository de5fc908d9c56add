// bench_standalone BINARY CORE EXPR OUT: the Python-free path. Opens the
// executable and the core with the C++ core (CoreFile, no debugger), runs
// `go map EXPR --all` and writes its text to OUT. Prints its own timings as
// one JSON line on stdout: {"load_s": ..., "dump_s": ...}.
//
// A stand-in for the standalone tool (scripts/gomapdbg, issue 5): once that
// exists, scripts/bench measures it instead (see bench/README.md).
#include <chrono>
#include <cstdio>
#include <exception>

#include "commands/map_command.h"
#include "elf/core_file.h"
#include "program/go_binary.h"
#include "target/target.h"

using namespace gomapdbg;

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s BINARY CORE EXPR OUT\n", argv[0]);
    return 2;
  }
  using clock = std::chrono::steady_clock;
  try {
    auto t0 = clock::now();
    auto binary = GoBinary::open(argv[1]);
    auto core = std::make_shared<CoreFile>(argv[2], binary->shared_image());
    Target target(binary, core, std::nullopt);
    auto t1 = clock::now();
    std::FILE* file = std::fopen(argv[4], "w");
    if (!file) {
      std::perror(argv[4]);
      return 1;
    }
    Output out([file](const std::string& text) { std::fwrite(text.data(), 1, text.size(), file); });
    map_command(target, argv[3], MapOptions{std::nullopt, 0, true}, out);
    out.flush();
    std::fclose(file);
    auto t2 = clock::now();
    std::printf("{\"load_s\": %.6f, \"dump_s\": %.6f}\n",
                std::chrono::duration<double>(t1 - t0).count(),
                std::chrono::duration<double>(t2 - t1).count());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_standalone: %s\n", e.what());
    return 1;
  }
  return 0;
}
