// What toolchain built the binary: the version string (with " X:exp" suffixes
// for non-default experiments) and the build settings from .go.buildinfo.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace gomapdbg {

class ElfImage;

struct GoVersion {
  int major = 0, minor = 0, patch = 0;
  bool known() const { return major > 0; }
  bool at_least(int maj, int min) const { return major > maj || (major == maj && minor >= min); }
};

struct GoBuildInfo {
  std::string version;  // "go1.25.12 X:noswissmap"
  std::string module_info;
  std::vector<std::pair<std::string, std::string>> settings;  // "build\tKEY=VALUE" lines
  GoVersion parsed() const;
  // From " X:a,b" (go1.27 "-X:a,b") in the version or GOEXPERIMENT=a,b.
  bool has_experiment(const std::string& name) const;
};

// Reads .go.buildinfo (go1.18+ inline-string format), falling back to the
// runtime.buildVersion symbol. Empty version when neither is there.
GoBuildInfo read_build_info(ElfImage& image);

// Decodes the contents of a .go.buildinfo section (untrusted bytes; the
// fuzz target build_info_fuzz calls it directly). Empty version when the
// section is not in the go1.18+ inline-string format.
GoBuildInfo parse_build_info(const std::vector<uint8_t>& section);

}  // namespace gomapdbg
