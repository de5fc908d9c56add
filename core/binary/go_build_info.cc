#include "binary/go_build_info.h"

#include <cstdio>
#include <cstring>
#include <sstream>

#include "elf/elf_image.h"

namespace gomapdbg {

namespace {

constexpr char kBuildInfoMagic[] = "\xff Go buildinf:";
constexpr size_t kBuildInfoHeader = 32;
constexpr uint8_t kFlagInlineStrings = 0x2;

bool read_uvarint_string(const std::vector<uint8_t>& data, size_t& pos, std::string& out) {
  uint64_t len = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos >= data.size()) return false;
    uint8_t b = data[pos++];
    len |= uint64_t{b & 0x7fu} << shift;
    if (!(b & 0x80)) break;
  }
  if (len > data.size() - pos) return false;
  out.assign(reinterpret_cast<const char*>(&data[pos]), len);
  pos += len;
  return true;
}

// modinfo is wrapped in 16-byte sentinels; its lines are tab-separated.
void parse_settings(GoBuildInfo& info) {
  std::istringstream lines(info.module_info);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("build\t", 0) != 0) continue;
    std::string kv = line.substr(6);
    auto eq = kv.find('=');
    if (eq == std::string::npos) continue;
    info.settings.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
  }
}

}  // namespace

GoVersion GoBuildInfo::parsed() const {
  GoVersion v;
  if (std::sscanf(version.c_str(), "go%d.%d.%d", &v.major, &v.minor, &v.patch) < 2) return {};
  return v;
}

bool GoBuildInfo::has_experiment(const std::string& name) const {
  // The version says "go1.25.12 X:a,b" (go1.27: "go1.27.3-X:a,b"); the
  // settings say GOEXPERIMENT=a,b.
  auto in_list = [&](const std::string& text) {
    std::stringstream list(text);
    std::string item;
    while (std::getline(list, item, ','))
      if (item == name) return true;
    return false;
  };
  for (const char* marker : {" X:", "-X:"}) {
    auto x = version.find(marker);
    if (x != std::string::npos && in_list(version.substr(x + 3))) return true;
  }
  for (const auto& [key, value] : settings)
    if (key == "GOEXPERIMENT" && in_list(value)) return true;
  return false;
}

GoBuildInfo parse_build_info(const std::vector<uint8_t>& data) {
  GoBuildInfo info;
  if (data.size() > kBuildInfoHeader &&
      std::memcmp(data.data(), kBuildInfoMagic, sizeof kBuildInfoMagic - 1) == 0 &&
      (data[15] & kFlagInlineStrings)) {
    size_t pos = kBuildInfoHeader;
    if (read_uvarint_string(data, pos, info.version)) {
      std::string mod;
      if (read_uvarint_string(data, pos, mod) && mod.size() >= 32)
        info.module_info = mod.substr(16, mod.size() - 32);
      parse_settings(info);
    }
  }
  return info;
}

GoBuildInfo read_build_info(ElfImage& image) {
  GoBuildInfo info;
  if (const ElfSection* s = image.section(".go.buildinfo"))
    info = parse_build_info(image.section_data(*s));
  if (info.version.empty()) {
    // Before go1.18, or a damaged section: runtime.buildVersion is a string header.
    if (auto sym = image.symbol("runtime.buildVersion")) {
      uint64_t hdr[2] = {0, 0};
      if (image.read(sym->address, hdr, sizeof hdr) == sizeof hdr && hdr[1] < 256) {
        std::string v(hdr[1], '\0');
        if (image.read(hdr[0], v.data(), v.size()) == v.size()) info.version = v;
      }
    }
  }
  return info;
}

}  // namespace gomapdbg
