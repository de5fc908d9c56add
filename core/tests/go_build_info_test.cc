// .go.buildinfo decoding and what the version string says (toolchain,
// experiments): the facts `go info` and layout detection start from.
#include "binary/go_build_info.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gomapdbg {
namespace {

// A go1.18+ section: the 14-byte magic, pointer size, flags (inline
// strings), padding to 32 bytes, then the version and the module info
// (wrapped in 16-byte sentinels) as uvarint-length strings.
std::vector<uint8_t> section(const std::string& version, const std::string& modinfo,
                             uint8_t flags = 0x2) {
  std::vector<uint8_t> out(32, 0);
  const std::string magic = "\xff Go buildinf:";
  std::copy(magic.begin(), magic.end(), out.begin());
  out[14] = 8;
  out[15] = flags;
  auto put = [&](const std::string& s) {
    size_t n = s.size();
    do {
      out.push_back(static_cast<uint8_t>((n & 0x7f) | (n > 0x7f ? 0x80 : 0)));
      n >>= 7;
    } while (n);
    out.insert(out.end(), s.begin(), s.end());
  };
  put(version);
  put(std::string(16, 's') + modinfo + std::string(16, 'e'));
  return out;
}

TEST(GoBuildInfo, ReadsVersionAndSettingsInOrder) {
  std::string modinfo =
      "path\tgomapdbg/testprogs/basic_maps\nmod\tgomapdbg/testprogs\t(devel)\t\n"
      "build\t-buildmode=exe\nbuild\t-compiler=gc\nbuild\t-ldflags=\"-w -s\"\n"
      "build\tGOEXPERIMENT=noswissmap\n";
  GoBuildInfo info = parse_build_info(section("go1.24.13 X:noswissmap", modinfo));
  EXPECT_EQ(info.version, "go1.24.13 X:noswissmap");
  ASSERT_EQ(info.settings.size(), 4u);
  EXPECT_EQ(info.settings[0], (std::pair<std::string, std::string>{"-buildmode", "exe"}));
  EXPECT_EQ(info.settings[2], (std::pair<std::string, std::string>{"-ldflags", "\"-w -s\""}));
  EXPECT_EQ(info.settings[3].second, "noswissmap");
  GoVersion v = info.parsed();
  EXPECT_EQ(v.major, 1);
  EXPECT_EQ(v.minor, 24);
  EXPECT_EQ(v.patch, 13);
  EXPECT_TRUE(v.at_least(1, 24));
  EXPECT_FALSE(v.at_least(1, 25));
  EXPECT_TRUE(info.has_experiment("noswissmap"));
  EXPECT_FALSE(info.has_experiment("swissmap"));
}

TEST(GoBuildInfo, ExperimentsAreAList) {
  GoBuildInfo info;
  info.version = "go1.25.12 X:nosynchashtriemap,noswissmap";
  EXPECT_TRUE(info.has_experiment("noswissmap"));
  EXPECT_TRUE(info.has_experiment("nosynchashtriemap"));
  EXPECT_FALSE(info.has_experiment("noswiss"));
  info.version = "go1.26.8";
  EXPECT_FALSE(info.has_experiment("noswissmap"));
}

TEST(GoBuildInfo, ReleaseCandidatesAndDevelVersions) {
  GoBuildInfo info;
  info.version = "go1.19.8";
  EXPECT_EQ(info.parsed().minor, 19);
  info.version = "go1.21rc2";
  EXPECT_EQ(info.parsed().minor, 21);
  EXPECT_EQ(info.parsed().patch, 0);
  info.version = "devel go1.27-abcdef";
  EXPECT_FALSE(info.parsed().known());
}

TEST(GoBuildInfo, PointerFormatAndDamageGiveNoVersion) {
  // Before go1.18 the section held pointers (flags bit 1 clear): the caller
  // falls back to runtime.buildVersion.
  EXPECT_TRUE(parse_build_info(section("go1.17", "", 0x0)).version.empty());
  auto truncated = section("go1.22.12", "build\t-compiler=gc\n");
  truncated.resize(36);
  EXPECT_TRUE(parse_build_info(truncated).settings.empty());
  auto bad_magic = section("go1.22.12", "");
  bad_magic[1] = 'X';
  EXPECT_TRUE(parse_build_info(bad_magic).version.empty());
  // A length running past the end is refused, not read.
  auto long_len = section("go1.22.12", "");
  long_len[32] = 0xff;
  long_len[33] = 0x7f;
  EXPECT_TRUE(parse_build_info(long_len).version.empty());
}

}  // namespace
}  // namespace gomapdbg
