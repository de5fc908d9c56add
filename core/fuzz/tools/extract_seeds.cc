// Writes fuzz seeds from real Go binaries and cores (scripts/fuzz-corpus runs
// it over the toolchain matrix):
//
//   extract_seeds map BINARY CORE EXPR SELECTOR OUT [VALUE_OUT]
//       the memory a `go map EXPR --all` reads from CORE (the header, bucket
//       arrays or directory/tables/groups, overflow buckets, strings), as a
//       memory image (../fuzz_input.h) whose first region holds the header;
//       VALUE_OUT gets the first entry's value in front of the same memory
//   extract_seeds locations BINARY OUTDIR MAX
//       up to MAX distinct DW_AT_location expressions (DW_FORM_block1), as
//       dwarf_location_fuzz inputs
//
// New decoders (goroutines, unwinder) get seeds the same way: run the decoder
// over a real core through a RecordingReader and write what it read.
#include <dwarf.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>

#include "binary/go_binary.h"
#include "errors.h"
#include "maps/map_walker.h"
#include "memory/core_file.h"
#include "target/expression.h"
#include "target/target.h"
#include "values/value_renderer.h"

using namespace gomapdbg;

namespace {

// Passes reads through and remembers every byte that was readable.
class RecordingReader : public MemoryReader {
 public:
  explicit RecordingReader(MemoryReader& source) : source_(source) {}
  size_t read(uint64_t address, void* out, size_t size) override {
    size_t got = source_.read(address, out, size);
    if (recording_ && got) {
      auto* p = static_cast<const uint8_t*>(out);
      for (size_t i = 0; i < got; ++i) bytes_[address + i] = p[i];
    }
    return got;
  }
  void start() { recording_ = true; }
  const std::map<uint64_t, uint8_t>& bytes() const { return bytes_; }

 private:
  MemoryReader& source_;
  bool recording_ = false;
  std::map<uint64_t, uint8_t> bytes_;
};

void put(std::string& out, const void* p, size_t n) { out.append(static_cast<const char*>(p), n); }

// Where a value seed puts the value: below any Go heap or binary address.
constexpr uint64_t kValueAddress = 0x10000;

int extract_map(const std::string& binary_path, const std::string& core_path,
                const std::string& expression, int selector, const std::string& out_path,
                const std::string& value_out) {
  auto binary = GoBinary::open(binary_path);
  CoreFile core(core_path, binary->shared_image());
  auto recorder = std::make_shared<RecordingReader>(core);
  Target target(binary, recorder, std::nullopt);
  GoValue value = evaluate_expression(target, expression, std::nullopt);
  MapLayout layout = map_layout(*value.type);
  uint64_t header = load<uint64_t>(value.bytes.data());
  if (!header) return 2;
  recorder->start();
  auto walker = make_map_walker(target.memory(), layout, header);
  ValueRenderer renderer(target.memory(), &target.binary());
  std::string text, first_value;
  walker->walk([&](const uint8_t* key, const uint8_t* val) {
    if (first_value.empty())
      first_value.assign(reinterpret_cast<const char*>(val), layout.value->size);
    renderer.render(text, *layout.key, key);
    renderer.render(text, *layout.value, val);
    return true;
  });
  // Merge the bytes read into regions; the header's region goes first.
  std::vector<std::pair<uint64_t, std::string>> regions;
  for (const auto& [address, byte] : recorder->bytes()) {
    if (regions.empty() || regions.back().first + regions.back().second.size() != address)
      regions.push_back({address, {}});
    regions.back().second += static_cast<char>(byte);
  }
  std::stable_partition(regions.begin(), regions.end(), [&](const auto& r) {
    return header >= r.first && header - r.first < r.second.size();
  });
  // The first region must start at the header.
  auto& first = regions.front();
  if (first.first != header) {
    uint64_t skip = header - first.first;
    regions.push_back({first.first, first.second.substr(0, skip)});
    first = {header, first.second.substr(skip)};
  }
  auto image = [&](int sel, const std::string* first_bytes) {
    std::string out(1, static_cast<char>(sel));
    auto region = [&](uint64_t address, const std::string& bytes) {
      uint32_t length = static_cast<uint32_t>(bytes.size());
      put(out, &address, 8);
      put(out, &length, 4);
      out += bytes;
    };
    if (first_bytes) region(kValueAddress, *first_bytes);
    for (const auto& [address, bytes] : regions) region(address, bytes);
    return out;
  };
  std::ofstream(out_path, std::ios::binary) << image(selector, nullptr);
  // value_renderer_fuzz seed: the first entry's value (selector bit 0x8)
  // at a free address, then the same memory.
  if (!value_out.empty() && !first_value.empty())
    std::ofstream(value_out, std::ios::binary) << image(selector | 0x8, &first_value);
  return 0;
}

void collect_locations(Dwarf_Die die, std::set<std::string>& seen, size_t max) {
  Dwarf_Die child;
  if (dwarf_child(&die, &child) != 0) return;
  do {
    if (seen.size() >= max) return;
    int tag = dwarf_tag(&child);
    if (tag == DW_TAG_variable || tag == DW_TAG_formal_parameter) {
      Dwarf_Attribute attr;
      Dwarf_Block block;
      if (dwarf_attr(&child, DW_AT_location, &attr) && dwarf_whatform(&attr) == DW_FORM_block1 &&
          dwarf_formblock(&attr, &block) == 0) {
        uint64_t size = 8;
        if (auto type = die_ref(&child, DW_AT_type))
          if (auto s = die_udata(&*type, DW_AT_byte_size)) size = *s;
        uint64_t cfa = 0xc000100800;
        std::string seed;
        put(seed, &cfa, 8);
        seed += static_cast<char>(std::min<uint64_t>(size, 255));
        put(seed, block.data, block.length);
        seen.insert(seed);
      }
    }
    collect_locations(child, seen, max);
  } while (dwarf_siblingof(&child, &child) == 0);
}

int extract_locations(const std::string& binary_path, const std::string& out_dir, size_t max) {
  auto binary = GoBinary::open(binary_path);
  Dwarf* dwarf = binary->dwarf().dwarf();
  if (!dwarf) return 2;
  std::set<std::string> seen;
  Dwarf_CU* cu = nullptr;
  Dwarf_Half version = 0;
  uint8_t unit_type = 0;
  Dwarf_Die cudie, subdie;
  while (seen.size() < max &&
         dwarf_get_units(dwarf, cu, &cu, &version, &unit_type, &cudie, &subdie) == 0)
    collect_locations(cudie, seen, max);
  size_t i = 0;
  for (const auto& seed : seen) {
    char name[32];
    std::snprintf(name, sizeof name, "/loc-%03zu", i++);
    std::ofstream(out_dir + name, std::ios::binary) << seed;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = argc > 1 ? argv[1] : "";
  try {
    if (mode == "map" && (argc == 7 || argc == 8))
      return extract_map(argv[2], argv[3], argv[4], std::atoi(argv[5]), argv[6],
                         argc == 8 ? argv[7] : "");
    if (mode == "locations" && argc == 5)
      return extract_locations(argv[2], argv[3], std::strtoul(argv[4], nullptr, 10));
  } catch (const Error& e) {
    std::cerr << "extract_seeds: " << e.what() << "\n";
    return 1;
  }
  std::cerr << "usage: extract_seeds map BINARY CORE EXPR SELECTOR OUT [VALUE_OUT]\n"
               "       extract_seeds locations BINARY OUTDIR MAX\n";
  return 2;
}
