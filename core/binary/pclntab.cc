#include "binary/pclntab.h"

#include <cstring>

#include "elf/elf_image.h"
#include "errors.h"

namespace gomapdbg {

namespace {
constexpr uint32_t kMagic118 = 0xfffffff0;  // go1.18, go1.19
constexpr uint32_t kMagic120 = 0xfffffff1;  // go1.20 – go1.26
// _func field offsets, identical in both formats for the fields up to 32;
// funcID/flag/nfuncdata move by 4 when go1.20 inserted startLine (§6.3).
constexpr uint64_t kFuncNameOff = 4, kFuncArgs = 8, kFuncPcsp = 16, kFuncPcfile = 20,
                   kFuncPcln = 24, kFuncNpcdata = 28, kFuncCuOffset = 32;
constexpr uint64_t kFuncIdOff118 = 36, kFuncIdOff120 = 40;
}  // namespace

bool Pclntab::is_go118() const { return magic_ == kMagic118; }

Pclntab::Pclntab(std::vector<uint8_t> data, uint64_t text_start) : data_(std::move(data)) {
  if (data_.size() < 72) throw LayoutError("pclntab is too short");
  magic_ = u32(0);
  if (magic_ != kMagic118 && magic_ != kMagic120)
    throw LayoutError("magic " + hex(magic_) + " is not go1.18+'s 0xfffffff0 or 0xfffffff1");
  quantum_ = data_[6];
  nfunc_ = u64(8);
  // go1.26 stores 0 here: prefer the runtime.text symbol when the caller has it.
  text_start_ = text_start ? text_start : u64(24);
  funcname_ = u64(32);
  cu_ = u64(40);
  filetab_ = u64(48);
  pctab_ = u64(56);
  functab_ = u64(64);
  // Written so that huge nfunc or offsets cannot wrap around.
  if (functab_ > data_.size() || nfunc_ >= (data_.size() - functab_) / 8)
    throw LayoutError("pclntab function table is truncated");
}

const Pclntab& Pclntab::empty() {
  static const Pclntab table = [] {
    std::vector<uint8_t> data(80, 0);
    std::memcpy(data.data(), &kMagic120, 4);
    uint64_t functab = 72;  // nfunc 0; the end sentinel (0) at 72 ends every lookup
    std::memcpy(data.data() + 64, &functab, 8);
    return Pclntab(std::move(data), 0);
  }();
  return table;
}

std::optional<Pclntab> Pclntab::from_image(const ElfImage& image) {
  const ElfSection* s = image.section(".gopclntab");
  if (!s) s = image.section(".data.rel.ro.gopclntab");
  if (!s) return std::nullopt;
  return Pclntab(image.section_data(*s), image.text_start());
}

uint32_t Pclntab::u32(uint64_t off) const {
  if (off > data_.size() || data_.size() - off < 4) throw LayoutError("pclntab read out of bounds");
  uint32_t v;
  std::memcpy(&v, &data_[off], 4);
  return v;
}

uint64_t Pclntab::u64(uint64_t off) const {
  if (off > data_.size() || data_.size() - off < 8) throw LayoutError("pclntab read out of bounds");
  uint64_t v;
  std::memcpy(&v, &data_[off], 8);
  return v;
}

std::string Pclntab::cstring(uint64_t off) const {
  if (off >= data_.size()) return "?";
  const char* p = reinterpret_cast<const char*>(&data_[off]);
  return std::string(p, strnlen(p, data_.size() - off));
}

std::optional<uint64_t> Pclntab::function_index(uint64_t pc) const {
  if (pc < text_start_) return std::nullopt;
  uint64_t rel = pc - text_start_;
  // Binary search functab {entryoff u32, funcoff u32} for the last entry <= rel.
  uint64_t lo = 0, hi = nfunc_;
  if (rel >= u32(functab_ + nfunc_ * 8)) return std::nullopt;   // past the end sentinel
  if (nfunc_ == 0 || rel < u32(functab_)) return std::nullopt;  // before the first function
  while (hi - lo > 1) {
    uint64_t mid = (lo + hi) / 2;
    if (u32(functab_ + mid * 8) <= rel)
      lo = mid;
    else
      hi = mid;
  }
  return lo;
}

uint64_t Pclntab::entry_of_pc(uint64_t pc) const {
  auto index = function_index(pc);
  return index ? text_start_ + u32(functab_ + *index * 8) : 0;
}

std::optional<GoFunc> Pclntab::function(uint64_t pc) const {
  auto index = function_index(pc);
  if (!index) return std::nullopt;
  return function_at(*index);
}

uint64_t Pclntab::entry_at(uint64_t index) const {
  if (index > nfunc_) throw LayoutError("pclntab function index out of range");
  return text_start_ + u32(functab_ + index * 8);
}

std::optional<GoFunc> Pclntab::function_at(uint64_t index) const {
  if (index >= nfunc_) return std::nullopt;
  GoFunc fn;
  fn.entry = entry_at(index);
  fn.func_offset = functab_ + u32(functab_ + index * 8 + 4);
  fn.name = cstring(funcname_ + u32(fn.func_offset + kFuncNameOff));
  fn.npcdata = u32(fn.func_offset + kFuncNpcdata);
  fn.args = u32(fn.func_offset + kFuncArgs);
  uint64_t id_off = fn.func_offset + (is_go118() ? kFuncIdOff118 : kFuncIdOff120);
  if (id_off + 4 > data_.size()) throw LayoutError("pclntab _func record is truncated");
  fn.func_id = data_[id_off];
  fn.flag = data_[id_off + 1];
  fn.nfuncdata = data_[id_off + 3];
  return fn;
}

std::optional<int64_t> Pclntab::pc_value(uint32_t table, uint64_t entry, uint64_t pc) const {
  if (table == 0) return std::nullopt;
  uint64_t p = pctab_ + table;
  int64_t value = -1;
  uint64_t at = entry;
  auto uvarint = [&](uint64_t& out) {
    out = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p >= data_.size()) return false;
      uint8_t b = data_[p++];
      out |= uint64_t{b & 0x7fu} << shift;
      if (!(b & 0x80)) return true;
    }
    return false;
  };
  for (int step = 0; step < 1'000'000; ++step) {  // bounded: a corrupt table ends here
    uint64_t uv = 0, delta = 0;
    if (!uvarint(uv) || (uv == 0 && step > 0)) return std::nullopt;
    // zig-zag delta, added modulo 2^64: corrupt tables must not overflow an int64
    uint64_t step_value = (uv & 1) ? ~(uv >> 1) : uv >> 1;
    value = static_cast<int64_t>(static_cast<uint64_t>(value) + step_value);
    if (!uvarint(delta)) return std::nullopt;
    at += delta * quantum_;
    if (pc < at) return value;
  }
  return std::nullopt;
}

std::optional<uint64_t> Pclntab::entry_of(const std::string& name) const {
  if (by_name_.empty()) {
    for (uint64_t i = 0; i < nfunc_; ++i) {
      uint64_t func = functab_ + u32(functab_ + i * 8 + 4);
      by_name_.emplace(cstring(funcname_ + u32(func + kFuncNameOff)),
                       text_start_ + u32(functab_ + i * 8));
    }
  }
  auto it = by_name_.find(name);
  if (it == by_name_.end()) return std::nullopt;
  return it->second;
}

std::optional<int64_t> Pclntab::pcdata(const GoFunc& fn, uint32_t index, uint64_t pc) const {
  if (index >= fn.npcdata) return std::nullopt;
  return pc_value(u32(fn.func_offset + func_size() + index * 4), fn.entry, pc);
}

std::optional<uint32_t> Pclntab::funcdata(const GoFunc& fn, uint32_t index) const {
  if (index >= fn.nfuncdata) return std::nullopt;
  uint32_t off = u32(fn.func_offset + func_size() + fn.npcdata * 4 + index * 4);
  if (off == 0xffffffff) return std::nullopt;
  return off;
}

std::optional<int64_t> Pclntab::sp_delta(const GoFunc& fn, uint64_t pc) const {
  return pc_value(u32(fn.func_offset + kFuncPcsp), fn.entry, pc);
}

std::optional<std::pair<std::string, int64_t>> Pclntab::file_line(const GoFunc& fn,
                                                                  uint64_t pc) const {
  auto file = pc_value(u32(fn.func_offset + kFuncPcfile), fn.entry, pc);
  auto line = pc_value(u32(fn.func_offset + kFuncPcln), fn.entry, pc);
  if (!file || !line) return std::nullopt;
  uint64_t cu_index = u32(fn.func_offset + kFuncCuOffset) + static_cast<uint64_t>(*file);
  uint32_t off = u32(cu_ + cu_index * 4);
  if (off == 0xffffffff) return std::nullopt;
  return std::make_pair(cstring(filetab_ + off), *line);
}

}  // namespace gomapdbg
