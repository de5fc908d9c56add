// Build info and version (binary/go_build_info.cc): the input is the content
// of a .go.buildinfo section.
#include "binary/go_build_info.h"

using namespace gomapdbg;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  GoBuildInfo info = parse_build_info(std::vector<uint8_t>(data, data + size));
  GoVersion v = info.parsed();
  if (v.known() && v.major <= 0) __builtin_trap();
  info.has_experiment("noswissmap");
  for (const auto& [key, value] : info.settings)
    if (key.find('=') != std::string::npos) __builtin_trap();  // split at the first '='
  return 0;
}
