#include "elf/build_id.h"

#include <algorithm>
#include <cstring>

#include "elf/elf_image.h"

namespace gomapdbg {

namespace {

constexpr uint32_t kGoBuildIdNote = 4;   // cmd/link: ELF_NOTE_GOBUILDID_TAG
constexpr uint32_t kGnuBuildIdNote = 3;  // NT_GNU_BUILD_ID
// A build ID longer than this is not one (Go's are 83 bytes, GNU's 20).
constexpr uint32_t kMaxBuildId = 1024;

uint32_t u32(const std::vector<uint8_t>& b, size_t at) {
  uint32_t v;
  std::memcpy(&v, &b[at], 4);
  return v;
}

size_t align4(size_t n) { return (n + 3) & ~size_t{3}; }

std::vector<uint8_t> chunk(const ElfFile& file, uint64_t offset, uint64_t size) {
  std::vector<uint8_t> out(std::min<uint64_t>(size, 1 << 20));
  out.resize(file.read_file(offset, out.data(), out.size()));
  return out;
}

}  // namespace

void parse_build_id_notes(const std::vector<uint8_t>& notes, BuildIds& ids) {
  size_t at = 0;
  while (notes.size() - at >= 12) {
    uint32_t namesz = u32(notes, at), descsz = u32(notes, at + 4), type = u32(notes, at + 8);
    size_t name_at = at + 12;
    if (namesz > notes.size() - name_at) return;
    size_t desc_at = name_at + align4(namesz);
    if (desc_at > notes.size() || descsz > notes.size() - desc_at) return;
    std::string name(reinterpret_cast<const char*>(&notes[name_at]), namesz);
    name = name.substr(0, name.find('\0'));
    if (descsz <= kMaxBuildId) {
      const uint8_t* desc = notes.data() + desc_at;
      if (name == "Go" && type == kGoBuildIdNote && ids.go.empty())
        ids.go.assign(reinterpret_cast<const char*>(desc), descsz);
      if (name == "GNU" && type == kGnuBuildIdNote && ids.gnu.empty()) {
        static const char digits[] = "0123456789abcdef";
        for (uint32_t i = 0; i < descsz; ++i) {
          ids.gnu += digits[desc[i] >> 4];
          ids.gnu += digits[desc[i] & 15];
        }
      }
    }
    at = desc_at + align4(descsz);
    if (at > notes.size()) return;
  }
}

BuildIds read_build_ids(const ElfFile& file) {
  BuildIds ids;
  bool sections = false;
  for (Elf_Scn* scn = elf_nextscn(file.elf(), nullptr); scn; scn = elf_nextscn(file.elf(), scn)) {
    GElf_Shdr sh;
    if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE) continue;
    sections = true;
    parse_build_id_notes(chunk(file, sh.sh_offset, sh.sh_size), ids);
  }
  if (!sections)
    for (const GElf_Phdr& ph : file.program_headers())
      if (ph.p_type == PT_NOTE) parse_build_id_notes(chunk(file, ph.p_offset, ph.p_filesz), ids);
  return ids;
}

std::string build_mismatch(const std::string& debug_path, const BuildIds& debug,
                           const BuildIds& program) {
  bool compared = false;
  if (!debug.go.empty() && !program.go.empty()) {
    if (debug.go != program.go)
      return debug_path + " is another build: Go build ID " + debug.go + ", the program's is " +
             program.go;
    compared = true;
  }
  if (!debug.gnu.empty() && !program.gnu.empty()) {
    if (debug.gnu != program.gnu)
      return debug_path + " is another build: GNU build-id " + debug.gnu + ", the program's is " +
             program.gnu;
    compared = true;
  }
  if (compared) return {};
  auto has = [](const BuildIds& ids) {
    if (!ids.go.empty()) return std::string("a Go build ID only");
    if (!ids.gnu.empty()) return std::string("a GNU build-id only");
    return std::string("no build ID");
  };
  return "cannot tell whether " + debug_path + " is the program's build: it has " + has(debug) +
         ", the program has " + has(program);
}

std::string build_match(const BuildIds& debug, const BuildIds& program) {
  std::string out;
  if (!debug.go.empty() && debug.go == program.go) out = "same Go build ID " + debug.go;
  if (!debug.gnu.empty() && debug.gnu == program.gnu)
    out += (out.empty() ? "same GNU build-id " : " and GNU build-id ") + debug.gnu;
  return out;
}

}  // namespace gomapdbg
