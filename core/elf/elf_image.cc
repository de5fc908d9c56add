#include "elf/elf_image.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "errors.h"

namespace gomapdbg {

ElfFile::ElfFile(const std::string& path, uint64_t resident_budget)
    : path_(path), budget_(resident_budget) {
  elf_version(EV_CURRENT);
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw NotFoundError("cannot open " + path + ": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd_, &st) == 0) file_size_ = static_cast<uint64_t>(st.st_size);
  elf_ = elf_begin(fd_, ELF_C_READ_MMAP, nullptr);
  if (!elf_ || elf_kind(elf_) != ELF_K_ELF || !gelf_getehdr(elf_, &header_)) {
    if (elf_) elf_end(elf_);
    ::close(fd_);
    throw LayoutError(path + " is not an ELF file");
  }
  if (gelf_getclass(elf_) != ELFCLASS64) {
    // The destructor does not run for a throwing constructor: release here.
    elf_end(elf_);
    ::close(fd_);
    throw LayoutError(path + " is not a 64-bit ELF file (only 64-bit targets are supported)");
  }
  // A damaged header may claim billions of program headers (with PN_XNUM
  // the count comes from section 0): no more than the file can hold, and
  // none after the first that cannot be read.
  size_t count = 0;
  if (elf_getphdrnum(elf_, &count) != 0) count = 0;
  count = std::min<uint64_t>(count, file_size_ / sizeof(Elf64_Phdr));
  for (size_t i = 0; i < count; ++i) {
    GElf_Phdr ph;
    if (!gelf_getphdr(elf_, static_cast<int>(i), &ph)) break;
    program_headers_.push_back(ph);
    if (ph.p_type == PT_LOAD)
      segments_.push_back({ph.p_vaddr, ph.p_memsz, ph.p_offset, ph.p_filesz, ph.p_flags});
  }
  if (file_size_) {
    void* map = ::mmap(nullptr, file_size_, PROT_READ, MAP_PRIVATE, fd_, 0);
    if (map != MAP_FAILED) map_ = static_cast<const uint8_t*>(map);
  }
}

void ElfFile::note_read(uint64_t offset, size_t size) const {
  if (resident_bits_.empty()) {
    size_t words = ((file_size_ >> kBlockShift) >> 6) + 1;
    resident_bits_.assign(words, 0);
    referenced_bits_.assign(words, 0);
  }
  for (uint64_t b = offset >> kBlockShift, last = (offset + size - 1) >> kBlockShift; b <= last;
       ++b) {
    uint64_t bit = uint64_t{1} << (b & 63);
    referenced_bits_[b >> 6] |= bit;
    if (resident_bits_[b >> 6] & bit) continue;
    resident_bits_[b >> 6] |= bit;
    resident_ += uint64_t{1} << kBlockShift;
  }
  if (resident_ > budget_) evict();
}

void ElfFile::evict() const {
  const uint64_t blocks = (file_size_ >> kBlockShift) + 1;
  const uint64_t target = budget_ - budget_ / 4;
  // Two turns at most: the first clears every reference bit it passes.
  for (uint64_t steps = 0; resident_ > target && steps < 2 * blocks; ++steps) {
    uint64_t b = clock_hand_;
    clock_hand_ = (clock_hand_ + 1) % blocks;
    if ((b & 63) == 0 && resident_bits_[b >> 6] == 0 && b + 64 <= blocks) {
      clock_hand_ = (b + 64) % blocks;  // 64 blocks none of which is mapped in
      steps += 63;
      continue;
    }
    uint64_t bit = uint64_t{1} << (b & 63);
    if (!(resident_bits_[b >> 6] & bit)) continue;
    if (referenced_bits_[b >> 6] & bit) {
      referenced_bits_[b >> 6] &= ~bit;
      continue;
    }
    uint64_t start = b << kBlockShift;
    ::madvise(const_cast<uint8_t*>(map_) + start,
              std::min<uint64_t>(uint64_t{1} << kBlockShift, file_size_ - start), MADV_DONTNEED);
    resident_bits_[b >> 6] &= ~bit;
    resident_ -= uint64_t{1} << kBlockShift;
  }
}

bool ElfFile::block_resident(uint64_t offset) const {
  uint64_t b = offset >> kBlockShift;
  return (b >> 6) < resident_bits_.size() && (resident_bits_[b >> 6] >> (b & 63)) & 1;
}

ElfFile::~ElfFile() {
  if (map_) ::munmap(const_cast<uint8_t*>(map_), file_size_);
  if (elf_) elf_end(elf_);
  if (fd_ >= 0) ::close(fd_);
}

size_t ElfFile::read_file(uint64_t offset, void* out, size_t size) const {
  if (offset >= file_size_ || size == 0) return 0;
  size = std::min<uint64_t>(size, file_size_ - offset);
  if (map_) {
    std::memcpy(out, map_ + offset, size);
    note_read(offset, size);
    return size;
  }
  ssize_t got = ::pread(fd_, out, size, static_cast<off_t>(offset));
  return got > 0 ? static_cast<size_t>(got) : 0;
}

ElfImage::ElfImage(const std::string& path) : file_(path) {
  Elf* elf = file_.elf();
  size_t shstrndx = 0;
  elf_getshdrstrndx(elf, &shstrndx);
  for (Elf_Scn* scn = elf_nextscn(elf, nullptr); scn; scn = elf_nextscn(elf, scn)) {
    GElf_Shdr sh;
    if (!gelf_getshdr(scn, &sh)) continue;
    const char* name = elf_strptr(elf, shstrndx, sh.sh_name);
    sections_.push_back(
        {name ? name : "", sh.sh_addr, sh.sh_size, sh.sh_flags, sh.sh_type, elf_ndxscn(scn)});
    if (sh.sh_type != SHT_SYMTAB) continue;
    Elf_Data* data = elf_getdata(scn, nullptr);
    // As many symbols as the section's data holds, whatever sh_size claims.
    size_t n = data ? data->d_size / sizeof(Elf64_Sym) : 0;
    for (size_t i = 0; i < n; ++i) {
      GElf_Sym sym;
      if (!gelf_getsym(data, static_cast<int>(i), &sym)) break;
      const char* sname = elf_strptr(elf, sh.sh_link, sym.st_name);
      if (sname && *sname) symbols_.emplace(sname, ElfSymbol{sym.st_value, sym.st_size});
    }
  }
}

std::optional<std::string> ElfImage::symbol_at(uint64_t address) const {
  if (!address) return std::nullopt;
  for (const auto& [name, sym] : symbols_)
    if (sym.address == address) return name;
  return std::nullopt;
}

std::optional<ElfSymbol> ElfImage::symbol(const std::string& name) const {
  auto it = symbols_.find(name);
  if (it == symbols_.end()) return std::nullopt;
  return it->second;
}

size_t ElfImage::add_symbols(const ElfImage& other) {
  size_t added = 0;
  for (const auto& [name, sym] : other.symbols_) added += symbols_.emplace(name, sym).second;
  return added;
}

const ElfSection* ElfImage::section(const std::string& name) const {
  for (const auto& s : sections_)
    if (s.name == name) return &s;
  return nullptr;
}

std::vector<uint8_t> ElfImage::section_data(const ElfSection& section) const {
  Elf_Scn* scn = elf_getscn(file_.elf(), section.index);
  if (!scn || section.type == SHT_NOBITS) return {};
  if (section.flags & SHF_COMPRESSED) elf_compress(scn, 0, 0);
  std::vector<uint8_t> out;
  for (Elf_Data* d = elf_getdata(scn, nullptr); d; d = elf_getdata(scn, d)) {
    auto* p = static_cast<const uint8_t*>(d->d_buf);
    if (p) out.insert(out.end(), p, p + d->d_size);
  }
  return out;
}

uint64_t ElfImage::text_start() const {
  if (auto s = symbol("runtime.text")) return s->address;
  if (const auto* s = section(".text")) return s->address;
  return 0;
}

size_t ElfImage::read(uint64_t address, void* out, size_t size) {
  auto* dst = static_cast<uint8_t*>(out);
  size_t done = 0;
  while (done < size) {
    uint64_t at = address + done;
    const LoadSegment* seg = nullptr;
    for (const auto& s : file_.segments())
      if (at >= s.vaddr && at - s.vaddr < s.memsz) seg = &s;
    if (!seg) break;
    uint64_t rel = at - seg->vaddr;
    size_t n = std::min<uint64_t>(size - done, seg->memsz - rel);
    if (rel < seg->filesz) {
      n = std::min<uint64_t>(n, seg->filesz - rel);
      size_t got = file_.read_file(seg->offset + rel, dst + done, n);
      done += got;
      if (got < n) break;
    } else {
      std::memset(dst + done, 0, n);
      done += n;
    }
  }
  return done;
}

}  // namespace gomapdbg
