// The goroutine walker (runtime/goroutines.cc, runtime_roots.cc,
// threads.cc) and the unwinder over real pclntab (unwind/), through the
// commands built on them (go goroutines, go threads, go bt), on a real Go
// binary's ELF, DWARF and pclntab with fuzzed process memory and threads
// (input format: goroutine_commands.h). The binaries come from
// GOMAPDBG_FUZZ_BINARIES (colon-separated; scripts/fuzz builds them and
// extracts their seeds from real cores).
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>

#include "fuzz_input.h"
#include "goroutine_commands.h"
#include "program/go_binary.h"

using namespace gomapdbg;

namespace {
std::vector<std::shared_ptr<GoBinary>>& binaries() {
  static std::vector<std::shared_ptr<GoBinary>> loaded;
  return loaded;
}
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const char* list = std::getenv("GOMAPDBG_FUZZ_BINARIES");
  if (!list || !*list) {
    std::fprintf(stderr,
                 "goroutines_fuzz: set GOMAPDBG_FUZZ_BINARIES to the Go binaries its seeds came "
                 "from (scripts/fuzz does)\n");
    std::exit(2);
  }
  std::stringstream paths(list);
  for (std::string path; std::getline(paths, path, ':');)
    if (!path.empty()) binaries().push_back(GoBinary::open(path));
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::Image image;
  if (!fuzz::parse_image(data, size, image)) return 0;
  std::vector<uint8_t> table(fuzz::kMaxThreads * fuzz::kThreadRecord);
  table.resize(image.memory.read(image.first, table.data(), table.size()));
  auto binary = binaries()[image.selector % 4 % binaries().size()];
  // The image outlives the target; the target must not own it.
  std::shared_ptr<MemoryReader> reader(std::shared_ptr<void>(), &image.memory);
  Target target(binary, reader, std::nullopt,
                fuzz::parse_threads(binary->architecture(), table.data(), table.size()));
  fuzz::run_goroutine_command(target, static_cast<uint8_t>(image.selector >> 2));
  return 0;
}
