// Builds the bytes of a .gopclntab by hand: a 72-byte pcHeader, then the
// function name, file, cu and pc-value tables, the functab and the _func
// records (44 bytes for go1.20+, 40 for go1.18/1.19) followed by their
// pcdata and funcdata offsets.
// Reference: /work/shared/reference/go-runtime-layouts.md §6.2–6.4.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace gomapdbg::test {

inline constexpr uint64_t kTextStart = 0x401000;

class PclntabBuilder {
 public:
  struct Func {
    uint32_t entry_off;
    std::string name;
    std::vector<uint8_t> pcsp, pcfile, pcln;  // encoded pc-value tables
    uint32_t cu_offset = 0;
    std::vector<std::vector<uint8_t>> pcdata;  // encoded tables; empty = offset 0
    std::vector<uint32_t> funcdata;            // offsets from gofunc (0xffffffff = none)
    uint8_t flag = 0;
    uint8_t func_id = 0;
  };

  // Encodes a pc-value table from (value, pc_length) runs starting at the
  // function entry: zig-zag value deltas from -1 and pc deltas / quantum.
  static std::vector<uint8_t> pcvalue(std::vector<std::pair<int64_t, uint64_t>> runs,
                                      uint8_t quantum = 1) {
    std::vector<uint8_t> out;
    int64_t value = -1;
    for (auto [v, length] : runs) {
      int64_t delta = v - value;
      uvarint(out, delta < 0 ? (static_cast<uint64_t>(-delta - 1) << 1) | 1
                             : static_cast<uint64_t>(delta) << 1);
      uvarint(out, length / quantum);
      value = v;
    }
    out.push_back(0);  // end of table
    return out;
  }

  std::vector<uint8_t> build(uint32_t magic = 0xfffffff1, uint8_t quantum = 1,
                             uint64_t text_start = kTextStart, uint32_t text_size = 0x100) {
    const bool go118 = magic == 0xfffffff0;
    const uint64_t func_size = go118 ? 40 : 44;
    std::vector<uint8_t> d(72, 0);
    put32(d, 0, magic);
    d[6] = quantum;
    d[7] = 8;
    put64(d, 8, funcs.size());
    put64(d, 16, files.size());
    put64(d, 24, text_start);

    uint64_t funcname = d.size();
    std::vector<uint32_t> name_offsets;
    auto add_name = [&](const std::string& name) {
      name_offsets.push_back(static_cast<uint32_t>(d.size() - funcname));
      d.insert(d.end(), name.begin(), name.end());
      d.push_back(0);
    };
    for (const auto& f : funcs) add_name(f.name);
    for (const auto& n : extra_names) {
      extra_name_offsets.push_back(static_cast<uint32_t>(d.size() - funcname));
      d.insert(d.end(), n.begin(), n.end());
      d.push_back(0);
    }
    uint64_t filetab = d.size();
    std::vector<uint32_t> file_offsets;
    for (const auto& f : files) {
      file_offsets.push_back(static_cast<uint32_t>(d.size() - filetab));
      d.insert(d.end(), f.begin(), f.end());
      d.push_back(0);
    }
    uint64_t cutab = d.size();
    for (uint32_t off : file_offsets) append32(d, off);
    uint64_t pctab = d.size();
    d.push_back(0);  // offset 0 means "no table"
    struct Tables {
      uint32_t pcsp = 0, pcfile = 0, pcln = 0;
      std::vector<uint32_t> pcdata;
    };
    std::vector<Tables> tables;
    auto add = [&](const std::vector<uint8_t>& table) -> uint32_t {
      if (table.empty()) return 0;
      uint32_t at = static_cast<uint32_t>(d.size() - pctab);
      d.insert(d.end(), table.begin(), table.end());
      return at;
    };
    for (const auto& f : funcs) {
      Tables t;
      t.pcsp = add(f.pcsp);
      t.pcfile = add(f.pcfile);
      t.pcln = add(f.pcln);
      for (const auto& p : f.pcdata) t.pcdata.push_back(add(p));
      tables.push_back(t);
    }
    while (d.size() % 8) d.push_back(0);
    uint64_t functab = d.size();
    uint64_t at = (funcs.size() + 1) * 8;  // _func records follow functab
    std::vector<uint64_t> func_offsets;
    for (const auto& f : funcs) {
      func_offsets.push_back(at);
      at += func_size + 4 * (f.pcdata.size() + f.funcdata.size());
      at = (at + 3) / 4 * 4;
    }
    for (size_t i = 0; i < funcs.size(); ++i) {
      append32(d, funcs[i].entry_off);
      append32(d, static_cast<uint32_t>(func_offsets[i]));
    }
    append32(d, text_size);  // end sentinel
    append32(d, 0);
    for (size_t i = 0; i < funcs.size(); ++i) {
      const Func& f = funcs[i];
      size_t base = functab + func_offsets[i];
      d.resize(base + func_size + 4 * (f.pcdata.size() + f.funcdata.size()), 0);
      put32(d, base + 0, f.entry_off);
      put32(d, base + 4, name_offsets[i]);
      put32(d, base + 16, tables[i].pcsp);
      put32(d, base + 20, tables[i].pcfile);
      put32(d, base + 24, tables[i].pcln);
      put32(d, base + 28, static_cast<uint32_t>(f.pcdata.size()));
      put32(d, base + 32, f.cu_offset);
      size_t id = base + (go118 ? 36 : 40);
      d[id] = f.func_id;
      d[id + 1] = f.flag;
      d[id + 3] = static_cast<uint8_t>(f.funcdata.size());
      for (size_t k = 0; k < f.pcdata.size(); ++k)
        put32(d, base + func_size + 4 * k, tables[i].pcdata[k]);
      for (size_t k = 0; k < f.funcdata.size(); ++k)
        put32(d, base + func_size + 4 * (f.pcdata.size() + k), f.funcdata[k]);
    }
    put64(d, 32, funcname);
    put64(d, 40, cutab);
    put64(d, 48, filetab);
    put64(d, 56, pctab);
    put64(d, 64, functab);
    return d;
  }

  std::vector<Func> funcs;
  std::vector<std::string> files;
  // Names only referred to by inline tree entries; their offsets in the
  // function name table are in extra_name_offsets after build().
  std::vector<std::string> extra_names;
  std::vector<uint32_t> extra_name_offsets;

 private:
  static void uvarint(std::vector<uint8_t>& out, uint64_t v) {
    while (v >= 0x80) {
      out.push_back(static_cast<uint8_t>(v | 0x80));
      v >>= 7;
    }
    out.push_back(static_cast<uint8_t>(v));
  }
  static void put32(std::vector<uint8_t>& d, size_t at, uint32_t v) { std::memcpy(&d[at], &v, 4); }
  static void put64(std::vector<uint8_t>& d, size_t at, uint64_t v) { std::memcpy(&d[at], &v, 8); }
  static void append32(std::vector<uint8_t>& d, uint32_t v) {
    d.resize(d.size() + 4);
    put32(d, d.size() - 4, v);
  }
};

}  // namespace gomapdbg::test
