// Build IDs from ELF notes, and the verdict on a separate debug file.
#include "elf/build_id.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace gomapdbg {
namespace {

void put32(std::vector<uint8_t>& out, uint32_t v) {
  uint8_t b[4];
  std::memcpy(b, &v, 4);
  out.insert(out.end(), b, b + 4);
}

// One ELF note: namesz, descsz, type, the name (NUL-terminated) and the
// description, each padded to 4 bytes.
void note(std::vector<uint8_t>& out, const std::string& name, uint32_t type,
          const std::string& desc) {
  put32(out, static_cast<uint32_t>(name.size() + 1));
  put32(out, static_cast<uint32_t>(desc.size()));
  put32(out, type);
  out.insert(out.end(), name.begin(), name.end());
  out.push_back(0);
  while (out.size() % 4) out.push_back(0);
  out.insert(out.end(), desc.begin(), desc.end());
  while (out.size() % 4) out.push_back(0);
}

TEST(BuildIdTest, ReadsGoAndGnuNotes) {
  std::vector<uint8_t> notes;
  note(notes, "Go", 4, "abc/def/ghi/jkl");
  note(notes, "GNU", 3, std::string("\x01\xab\xff", 3));
  note(notes, "GNU", 1, "ABI tag, not an ID");
  BuildIds ids;
  parse_build_id_notes(notes, ids);
  EXPECT_EQ(ids.go, "abc/def/ghi/jkl");
  EXPECT_EQ(ids.gnu, "01abff");
}

TEST(BuildIdTest, StopsAtAMalformedNote) {
  std::vector<uint8_t> notes;
  note(notes, "Go", 4, "first");
  put32(notes, 0xffffffff);  // a name longer than the notes
  put32(notes, 4);
  put32(notes, 3);
  BuildIds ids;
  parse_build_id_notes(notes, ids);
  EXPECT_EQ(ids.go, "first");
  EXPECT_EQ(ids.gnu, "");
  for (size_t cut = 0; cut < notes.size(); ++cut) {
    BuildIds partial;
    parse_build_id_notes(std::vector<uint8_t>(notes.begin(), notes.begin() + cut), partial);
  }
}

TEST(BuildIdTest, SameBuildMatches) {
  BuildIds program{"a/b", "0102"}, debug{"a/b", "0102"};
  EXPECT_EQ(build_mismatch("d", debug, program), "");
  EXPECT_EQ(build_match(debug, program), "same Go build ID a/b and GNU build-id 0102");
  EXPECT_EQ(build_mismatch("d", BuildIds{"a/b", ""}, program), "");
  EXPECT_EQ(build_match(BuildIds{"a/b", ""}, program), "same Go build ID a/b");
}

TEST(BuildIdTest, AnotherBuildIsNamed) {
  BuildIds program{"a/b", "0102"};
  EXPECT_EQ(build_mismatch("/x/prog", BuildIds{"c/d", "0102"}, program),
            "/x/prog is another build: Go build ID c/d, the program's is a/b");
  EXPECT_EQ(build_mismatch("/x/prog", BuildIds{"a/b", "0304"}, program),
            "/x/prog is another build: GNU build-id 0304, the program's is 0102");
}

TEST(BuildIdTest, NothingToCompareIsNoMatch) {
  EXPECT_EQ(build_mismatch("d", BuildIds{"", ""}, BuildIds{"a/b", ""}),
            "cannot tell whether d is the program's build: it has no build ID, the program has a "
            "Go build ID only");
  EXPECT_EQ(build_mismatch("d", BuildIds{"", "01"}, BuildIds{"a/b", ""}),
            "cannot tell whether d is the program's build: it has a GNU build-id only, the "
            "program has a Go build ID only");
}

}  // namespace
}  // namespace gomapdbg
