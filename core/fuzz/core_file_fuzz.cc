// ELF core files (elf/core_file.cc, elf/elf_image.cc): the input is a
// whole file, opened from a memfd as a core and as an executable image. The
// core's threads are listed and each PT_LOAD segment's first bytes read; the
// image's sections, pclntab and build info are decoded.
#include <sys/mman.h>
#include <unistd.h>

#include <memory>
#include <optional>
#include <string>

#include "binary/go_build_info.h"
#include "binary/pclntab.h"
#include "elf/core_file.h"
#include "errors.h"

using namespace gomapdbg;

namespace {
int memfd() {
  static int fd = memfd_create("core_file_fuzz", 0);
  return fd;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  int fd = memfd();
  if (fd < 0 || ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != static_cast<ssize_t>(size))
    return 0;
  std::string path = "/proc/self/fd/" + std::to_string(fd);
  // The file as an executable image first: its program headers also say
  // where to read the core (one parse fewer per input than a separate
  // ElfFile; when the image is rejected, a plain ElfFile still lists them).
  std::shared_ptr<ElfImage> image;
  try {
    image = std::make_shared<ElfImage>(path);
  } catch (const Error&) {
  }
  try {
    CoreFile core(path, nullptr);
    for (const CoreThread& t : core.threads())
      (void)t.reg(core.architecture(), core.architecture().pc);
    std::vector<uint8_t> buf(256);
    std::optional<ElfFile> file;
    if (!image) file.emplace(path);
    for (const LoadSegment& s : image ? image->file().segments() : file->segments()) {
      core.read(s.vaddr, buf.data(), buf.size());
      core.read(s.vaddr + s.memsz - 1, buf.data(), buf.size());
    }
  } catch (const Error&) {
  }
  if (!image) return 0;
  try {
    (void)image->symbol("runtime.buildVersion");
    (void)read_build_info(*image);
    try {
      (void)Pclntab::from_image(*image);
    } catch (const Error&) {
    }
    uint8_t byte;
    for (const LoadSegment& s : image->file().segments()) image->read(s.vaddr, &byte, 1);
  } catch (const Error&) {
  }
  return 0;
}
