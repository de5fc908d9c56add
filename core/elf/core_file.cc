#include "elf/core_file.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstring>

#include "errors.h"

namespace gomapdbg {

namespace {
// Offsets inside struct elf_prstatus (the same on x86-64 and AArch64).
constexpr size_t kPrstatusSignal = 12;
constexpr size_t kPrstatusPid = 32;
constexpr size_t kPrstatusRegs = 112;
}  // namespace

uint64_t CoreThread::reg(const Architecture& arch, const char* name) const {
  for (size_t i = 0; i < arch.prstatus_registers.size() && i < registers.size(); ++i)
    if (std::strcmp(arch.prstatus_registers[i], name) == 0) return registers[i];
  return 0;
}

std::map<std::string, uint64_t> CoreThread::by_name(const Architecture& arch) const {
  std::map<std::string, uint64_t> out;
  for (size_t i = 0; i < arch.prstatus_registers.size() && i < registers.size(); ++i)
    out[arch.prstatus_registers[i]] = registers[i];
  return out;
}

CoreFile::CoreFile(const std::string& path, std::shared_ptr<ElfImage> executable)
    : file_(path),
      arch_(architecture_of_machine(file_.machine())),
      executable_(std::move(executable)) {
  if (file_.type() != ET_CORE) throw UsageError(path + " is not a core file");
  if (!arch_)
    throw LayoutError(path + ": a core file of ELF machine " + std::to_string(file_.machine()) +
                      "; gomapdbg reads " + supported_machines() + " cores");
  if (executable_ && executable_->file().machine() != file_.machine())
    throw UsageError(path + " is a core of a " + std::string(arch_->goarch) + " process, but " +
                     executable_->path() + " is not built for " + arch_->goarch);
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) file_size_ = static_cast<uint64_t>(st.st_size);
  first_missing_ = UINT64_MAX;
  for (const auto& s : file_.segments()) {
    if (!s.filesz) continue;
    needed_size_ = std::max(needed_size_, s.offset + s.filesz);
    if (s.offset + s.filesz > file_size_) {
      truncated_ = true;
      uint64_t kept = file_size_ > s.offset ? file_size_ - s.offset : 0;
      first_missing_ = std::min(first_missing_, s.vaddr + kept);
    }
  }
  read_notes();
}

std::optional<std::string> CoreFile::problem() const {
  if (!truncated_) return std::nullopt;
  return "the core file " + file_.path() + " is truncated: it has " + std::to_string(file_size_) +
         " of the " + std::to_string(needed_size_) +
         " bytes its program headers describe; memory from " + hex(first_missing_) +
         " on is missing";
}

void CoreFile::read_notes() {
  Elf* elf = file_.elf();
  for (const GElf_Phdr& ph : file_.program_headers()) {
    if (ph.p_type != PT_NOTE) continue;
    Elf_Data* data = elf_getdata_rawchunk(elf, ph.p_offset, ph.p_filesz, ELF_T_NHDR);
    if (!data) continue;
    GElf_Nhdr nh;
    size_t name_off = 0, desc_off = 0;
    for (size_t off = 0; (off = gelf_getnote(data, off, &nh, &name_off, &desc_off)) > 0;) {
      const auto* desc = static_cast<const uint8_t*>(data->d_buf) + desc_off;
      if (nh.n_type == NT_FILE) read_file_note(desc, nh.n_descsz);
      if (nh.n_type != NT_PRSTATUS) continue;
      size_t count = arch_->prstatus_registers.size();
      if (nh.n_descsz < kPrstatusRegs + count * 8) continue;
      CoreThread t;
      t.signal = static_cast<int>(load<int16_t>(desc + kPrstatusSignal));
      t.tid = load<int32_t>(desc + kPrstatusPid);
      t.registers.resize(count);
      std::memcpy(t.registers.data(), desc + kPrstatusRegs, count * 8);
      threads_.push_back(t);
    }
  }
}

void CoreFile::read_file_note(const uint8_t* desc, size_t size) {
  // count, page size, count {start, end, file offset in pages}, then the
  // count file names, each NUL-terminated.
  constexpr size_t kHeader = 16, kEntry = 24;
  if (size < kHeader) return;
  uint64_t count = load<uint64_t>(desc);
  if (count > (size - kHeader) / kEntry) return;
  const char* name = reinterpret_cast<const char*>(desc + kHeader + count * kEntry);
  const char* end = reinterpret_cast<const char*>(desc + size);
  for (uint64_t i = 0; i < count && name < end; ++i) {
    const uint8_t* entry = desc + kHeader + i * kEntry;
    const char* nul = std::find(name, end, '\0');
    mapped_files_.push_back({load<uint64_t>(entry), load<uint64_t>(entry + 8), {name, nul}});
    name = nul + 1;
  }
}

std::string CoreFile::mapped_file(uint64_t address) const {
  for (const auto& f : mapped_files_)
    if (address >= f.start && address < f.end) return f.path;
  return {};
}

size_t CoreFile::read(uint64_t address, void* out, size_t size) {
  auto* dst = static_cast<uint8_t*>(out);
  size_t done = 0;
  while (done < size) {
    uint64_t at = address + done;
    const auto& segments = file_.segments();
    const LoadSegment* seg = nullptr;
    if (last_segment_ < segments.size() && at >= segments[last_segment_].vaddr &&
        at - segments[last_segment_].vaddr < segments[last_segment_].memsz) {
      seg = &segments[last_segment_];
    } else {
      for (size_t i = 0; i < segments.size(); ++i)
        if (at >= segments[i].vaddr && at - segments[i].vaddr < segments[i].memsz) {
          seg = &segments[i];
          last_segment_ = i;
        }
    }
    uint64_t rel = seg ? at - seg->vaddr : 0;
    if (seg && rel < seg->filesz) {
      size_t n = std::min<uint64_t>(size - done, seg->filesz - rel);
      size_t got = file_.read_file(seg->offset + rel, dst + done, n);
      done += got;
      if (got == n) continue;
      at = address + done;  // truncated core: try the executable for the rest
    }
    if (!executable_) break;
    // Not dumped: file-backed memory, served by the executable's image.
    size_t limit = size - done;
    if (seg) limit = std::min<uint64_t>(limit, seg->vaddr + seg->memsz - at);
    size_t got = executable_->read(at, dst + done, limit);
    done += got;
    if (got == 0) break;
  }
  return done;
}

}  // namespace gomapdbg
