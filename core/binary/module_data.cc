#include "binary/module_data.h"

#include <span>
#include <vector>

#include "abi/go_headers.h"
#include "binary/pclntab.h"
#include "elf/elf_image.h"

namespace gomapdbg {

namespace {

// Field offsets of runtime.moduledata on 64-bit targets (reference §6.2a,
// §10, go1.NN:runtime/symtab.go). go1.20 added covctrs/ecovctrs before end;
// go1.26 added epclntab before textsectmap; go1.27 put typedesclen between
// types and etypes and dropped typelinks and itablinks (0: absent).
struct ModuleDataRow {
  int first_minor, last_minor;
  uint64_t types, etypes, gofunc, typelinks, itablinks, typedesclen;
};
constexpr ModuleDataRow kRows[] = {
    {19, 19, 280, 288, 304, 336, 360, 0},
    {20, 25, 296, 304, 320, 352, 376, 0},
    {26, 26, 296, 304, 320, 360, 384, 0},
    {27, 27, 296, 312, 344, 0, 0, 304},
};
// Past the last field read (itablinks' cap).
constexpr uint64_t kReadSize = 384 + kSliceSize;

// Bounds on what a real binary holds, so a wrong candidate is refused.
constexpr uint64_t kMaxLinks = 10'000'000;
constexpr uint64_t kMaxTypesBytes = uint64_t{1} << 30;

// The rows worth trying: the version's, or when it is unknown or has no row
// those the pclntab's format allows (go1.18/1.19 have their own magic); the
// candidates' shape decides.
std::vector<const ModuleDataRow*> candidate_rows(GoVersion version, const Pclntab* pclntab) {
  std::vector<const ModuleDataRow*> rows;
  for (const ModuleDataRow& row : kRows)
    if (version.major == 1 && version.minor >= row.first_minor && version.minor <= row.last_minor)
      rows.push_back(&row);
  if (!rows.empty()) return rows;
  for (const ModuleDataRow& row : kRows)
    if (!pclntab || pclntab->is_go118() == (row.last_minor <= 19)) rows.push_back(&row);
  return rows;
}

bool plausible_slice(const uint8_t* words) {
  auto [data, len, cap] = load_slice(words);
  return len == cap && len <= kMaxLinks && (len == 0 || data != 0);
}

// The moduledata at `address` read with `row`, if its fields look like one.
std::optional<ModuleData> read_with(const Memory& memory, uint64_t address,
                                    const ModuleDataRow& row) {
  uint8_t raw[kReadSize];
  if (memory.read_prefix(address, raw, sizeof raw) != sizeof raw) return std::nullopt;
  ModuleData m;
  m.address = address;
  m.types = load<uint64_t>(raw + row.types);
  m.etypes = load<uint64_t>(raw + row.etypes);
  m.gofunc = load<uint64_t>(raw + row.gofunc);
  if (!m.types || m.etypes <= m.types || m.etypes - m.types > kMaxTypesBytes) return std::nullopt;
  if (row.typedesclen) {
    m.typedesclen = load<uint64_t>(raw + row.typedesclen);
    if (!m.typedesclen || m.typedesclen > m.etypes - m.types) return std::nullopt;
    return m;
  }
  if (!plausible_slice(raw + row.typelinks) || !plausible_slice(raw + row.itablinks))
    return std::nullopt;
  SliceHeader typelinks = load_slice(raw + row.typelinks);
  SliceHeader itablinks = load_slice(raw + row.itablinks);
  m.typelinks = {typelinks.data, typelinks.len};
  m.itablinks = {itablinks.data, itablinks.len};
  return m;
}

std::optional<ModuleData> read_any(const Memory& memory, uint64_t address,
                                   std::span<const ModuleDataRow* const> rows) {
  for (const ModuleDataRow* row : rows)
    if (auto m = read_with(memory, address, *row)) return m;
  return std::nullopt;
}

}  // namespace

std::optional<ModuleData> find_module_data(ElfImage& image, const Pclntab* pclntab,
                                           GoVersion version) {
  Memory memory(image);
  std::vector<const ModuleDataRow*> rows = candidate_rows(version, pclntab);
  if (auto sym = image.symbol("runtime.firstmoduledata"))
    return read_any(memory, sym->address, rows);
  const ElfSection* pcln = image.section(".gopclntab");
  if (!pcln) pcln = image.section(".data.rel.ro.gopclntab");
  if (!pcln) return std::nullopt;
  // go1.26 gives moduledata its own section; earlier releases keep it in .noptrdata.
  for (const char* name : {".go.module", ".noptrdata", ".data", ".data.rel.ro"}) {
    const ElfSection* section = image.section(name);
    if (!section || section->type == SHT_NOBITS || section->size > (uint64_t{256} << 20)) continue;
    std::vector<uint64_t> words(section->size / 8);
    size_t got = memory.read_prefix(section->address, words.data(), words.size() * 8) / 8;
    for (size_t i = 0; i + 1 < got; ++i) {
      // pcHeader, then funcnametab's data pointer into the pclntab.
      if (words[i] != pcln->address || words[i + 1] < pcln->address ||
          words[i + 1] >= pcln->address + pcln->size)
        continue;
      if (auto m = read_any(memory, section->address + i * 8, rows)) {
        m->found_by_search = true;
        return m;
      }
    }
  }
  return std::nullopt;
}

}  // namespace gomapdbg
