// bench_raw BINARY CORE EXPR OUT: the raw limit the benchmark compares the
// standalone path with. Finding the map (DWARF, expression, layout) uses the
// core library and counts as load time; the timed part is a minimal loop
// that reads the map's buckets/groups straight from the mmapped core,
// sequentially, and formats the same entry lines as `go map --all` (for the
// kinds the benchmark maps use: ints, floats, strings, structs of them).
// Prints {"load_s": ..., "dump_s": ..., "entries": N} on stdout.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "elf/core_file.h"
#include "maps/map_layout.h"
#include "program/go_binary.h"
#include "target/expression.h"
#include "target/target.h"
#include "values/go_quote.h"
#include "values/value_renderer.h"

using namespace gomapdbg;

namespace {

// The core's PT_LOAD segments over one mmap of the file; what the core did
// not dump (rodata) comes from the executable into a scratch buffer.
class MappedCore {
 public:
  MappedCore(const std::string& path, ElfImage& exe) : exe_(exe), file_(path) {
    int fd = ::open(path.c_str(), O_RDONLY);
    struct stat st {};
    if (fd < 0 || ::fstat(fd, &st) != 0) throw std::runtime_error("cannot open " + path);
    size_ = static_cast<size_t>(st.st_size);
    base_ = static_cast<const uint8_t*>(::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0));
    ::close(fd);
    if (base_ == MAP_FAILED) throw std::runtime_error("cannot mmap " + path);
    for (const auto& s : file_.segments())
      if (s.filesz && s.offset + s.filesz <= size_) segs_.push_back(s);
    std::sort(segs_.begin(), segs_.end(),
              [](const LoadSegment& a, const LoadSegment& b) { return a.vaddr < b.vaddr; });
  }

  // `n` bytes at `addr`, or nullptr.
  const uint8_t* at(uint64_t addr, size_t n) {
    if (last_ && addr >= last_->vaddr && addr + n <= last_->vaddr + last_->filesz)
      return base_ + last_->offset + (addr - last_->vaddr);
    auto it = std::upper_bound(segs_.begin(), segs_.end(), addr,
                               [](uint64_t a, const LoadSegment& s) { return a < s.vaddr; });
    if (it != segs_.begin()) {
      const LoadSegment& s = *std::prev(it);
      if (addr + n <= s.vaddr + s.filesz) {
        last_ = &s;
        return base_ + s.offset + (addr - s.vaddr);
      }
    }
    scratch_.resize(n);
    return exe_.read(addr, scratch_.data(), n) == n ? scratch_.data() : nullptr;
  }

 private:
  ElfImage& exe_;
  ElfFile file_;
  const uint8_t* base_ = nullptr;
  size_t size_ = 0;
  std::vector<LoadSegment> segs_;
  const LoadSegment* last_ = nullptr;
  std::vector<uint8_t> scratch_;
};

class Dumper {
 public:
  Dumper(MappedCore& mem, std::FILE* file) : mem_(mem), file_(file) {}
  ~Dumper() { flush(); }

  void entry(const MapLayout& l, const uint8_t* key, const uint8_t* value) {
    buf_ += "  ";
    format(*l.key, key);
    buf_ += ": ";
    format(*l.value, value);
    buf_ += '\n';
    ++entries_;
    if (buf_.size() >= (256 << 10)) flush();
  }
  void flush() {
    std::fwrite(buf_.data(), 1, buf_.size(), file_);
    buf_.clear();
  }
  uint64_t entries() const { return entries_; }

 private:
  void format(const GoType& t, const uint8_t* p) {
    char num[32];
    switch (t.kind) {
      case GoKind::Int:
      case GoKind::Int64: {
        auto r = std::to_chars(num, num + sizeof num, load<int64_t>(p));
        buf_.append(num, r.ptr);
        return;
      }
      case GoKind::Uint32: {
        auto r = std::to_chars(num, num + sizeof num, load<uint32_t>(p));
        buf_.append(num, r.ptr);
        return;
      }
      case GoKind::Float64:
        buf_ += format_go_float(load<double>(p), 64);
        return;
      case GoKind::String: {
        uint64_t data = load<uint64_t>(p), len = load<uint64_t>(p + 8);
        const uint8_t* s = len ? mem_.at(data, len) : nullptr;
        if (len && !s) throw std::runtime_error("unreadable string");
        std::string_view sv(reinterpret_cast<const char*>(s), len);
        bool plain = std::all_of(sv.begin(), sv.end(), [](char c) {
          return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
        });
        if (plain) {
          buf_ += '"';
          buf_.append(sv);
          buf_ += '"';
        } else {
          append_go_quoted(buf_, sv);
        }
        return;
      }
      case GoKind::Struct: {
        buf_ += '{';
        for (size_t i = 0; i < t.fields.size(); ++i) {
          if (i) buf_ += ", ";
          buf_ += t.fields[i].name;
          buf_ += ": ";
          format(*t.fields[i].type, p + t.fields[i].offset);
        }
        buf_ += '}';
        return;
      }
      default:
        throw std::runtime_error("bench_raw: no raw formatter for " + t.name);
    }
  }

  MappedCore& mem_;
  std::FILE* file_;
  std::string buf_;
  uint64_t entries_ = 0;
};

const uint8_t* need(MappedCore& mem, uint64_t addr, size_t n) {
  const uint8_t* p = mem.at(addr, n);
  if (!p) throw std::runtime_error("bench_raw: unreadable map memory at " + hex(addr));
  return p;
}

void walk_classic(MappedCore& mem, const MapLayout& l, uint64_t address, Dumper& out) {
  const ClassicLayout& c = l.classic;
  const uint8_t* h = need(mem, address, c.header_size);
  uint64_t buckets = load<uint64_t>(h + c.buckets);
  uint64_t nb = uint64_t{1} << h[c.log2_buckets];
  if (load<uint64_t>(h + c.oldbuckets)) throw std::runtime_error("bench_raw: map is growing");
  const uint8_t* array = need(mem, buckets, nb * c.bucket_size);
  for (uint64_t i = 0; i < nb; ++i) {
    for (const uint8_t* b = array + i * c.bucket_size; b;) {
      for (int s = 0; s < 8; ++s)
        if (b[c.tophash + s] >= 5)
          out.entry(l, b + c.keys + s * c.key_slot, b + c.values + s * c.value_slot);
      uint64_t next = load<uint64_t>(b + c.overflow);
      b = next ? need(mem, next, c.bucket_size) : nullptr;
    }
  }
}

void walk_groups(const MapLayout& l, const uint8_t* groups, uint64_t count, Dumper& out) {
  const SwissLayout& s = l.swiss;
  for (uint64_t g = 0; g < count; ++g) {
    const uint8_t* group = groups + g * s.group_size;
    for (int slot = 0; slot < 8; ++slot) {
      if (group[s.ctrl + slot] & 0x80) continue;
      out.entry(l, group + s.keys + slot * s.key_stride, group + s.elems + slot * s.elem_stride);
    }
  }
}

void walk_swiss(MappedCore& mem, const MapLayout& l, uint64_t address, Dumper& out) {
  const SwissLayout& s = l.swiss;
  const uint8_t* h = need(mem, address, s.header_size);
  uint64_t dir = load<uint64_t>(h + s.dir_ptr);
  int64_t dir_len = load<int64_t>(h + s.dir_len);
  if (!dir) return;
  if (dir_len == 0) return walk_groups(l, need(mem, dir, s.group_size), 1, out);
  const uint8_t* d = need(mem, dir, dir_len * 8);
  uint64_t previous = 0;
  for (int64_t i = 0; i < dir_len; ++i) {
    uint64_t table = load<uint64_t>(d + i * 8);
    if (table == previous) continue;  // a table spans consecutive entries
    previous = table;
    const uint8_t* t = need(mem, table, s.table_size);
    uint64_t groups = load<uint64_t>(t + s.table_groups_data);
    uint64_t n = load<uint64_t>(t + s.table_groups_mask) + 1;
    walk_groups(l, need(mem, groups, n * s.group_size), n, out);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s BINARY CORE EXPR OUT\n", argv[0]);
    return 2;
  }
  using clock = std::chrono::steady_clock;
  try {
    auto t0 = clock::now();
    auto binary = GoBinary::open(argv[1]);
    auto core = std::make_shared<CoreFile>(argv[2], binary->shared_image());
    Target target(binary, core, std::nullopt);
    GoValue value = evaluate_expression(target, argv[3], std::nullopt);
    if (value.type->kind != GoKind::Map) throw std::runtime_error("not a map");
    MapLayout layout = map_layout(*value.type);
    if (layout.indirect_key || layout.indirect_value)
      throw std::runtime_error("bench_raw: indirect slots are not supported");
    uint64_t address = load<uint64_t>(value.bytes.data());
    MappedCore mem(argv[2], *binary->shared_image());
    auto t1 = clock::now();
    std::FILE* file = std::fopen(argv[4], "w");
    if (!file) {
      std::perror(argv[4]);
      return 1;
    }
    uint64_t entries = 0;
    {
      Dumper out(mem, file);
      if (layout.family == MapFamily::Classic)
        walk_classic(mem, layout, address, out);
      else
        walk_swiss(mem, layout, address, out);
      entries = out.entries();
    }
    std::fclose(file);
    auto t2 = clock::now();
    std::printf("{\"load_s\": %.6f, \"dump_s\": %.6f, \"entries\": %llu}\n",
                std::chrono::duration<double>(t1 - t0).count(),
                std::chrono::duration<double>(t2 - t1).count(),
                static_cast<unsigned long long>(entries));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_raw: %s\n", e.what());
    return 1;
  }
  return 0;
}
