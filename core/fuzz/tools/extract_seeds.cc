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
//   extract_seeds types BINARY CORE EXPR OUTPREFIX
//       for each non-nil interface value of the map EXPR (map[K]any), the
//       memory its dynamic type's descriptor and value occupy, behind the
//       interface's three words (runtime_types_fuzz): OUTPREFIX-N
//   extract_seeds goroutines BINARY CORE BINARY_INDEX OUTPREFIX
//       the core's threads and the memory every command of
//       goroutine_commands.h reads, one seed per command: OUTPREFIX-N
#include <dwarf.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>

#include "../goroutine_commands.h"
#include "elf/core_file.h"
#include "errors.h"
#include "maps/map_header_types.h"
#include "maps/map_walker.h"
#include "program/go_binary.h"
#include "target/expression.h"
#include "target/target.h"
#include "types/runtime_types.h"
#include "values/value_access.h"
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
  void start() {
    recording_ = true;
    bytes_.clear();
  }
  const std::map<uint64_t, uint8_t>& bytes() const { return bytes_; }

 private:
  MemoryReader& source_;
  bool recording_ = false;
  std::map<uint64_t, uint8_t> bytes_;
};

void put(std::string& out, const void* p, size_t n) { out.append(static_cast<const char*>(p), n); }

using Regions = std::vector<std::pair<uint64_t, std::string>>;

// The recorded bytes as regions of consecutive addresses.
Regions regions_of(const RecordingReader& recorder) {
  Regions regions;
  for (const auto& [address, byte] : recorder.bytes()) {
    if (regions.empty() || regions.back().first + regions.back().second.size() != address)
      regions.push_back({address, {}});
    regions.back().second += static_cast<char>(byte);
  }
  return regions;
}

// A memory image (../fuzz_input.h): the selector, then the regions.
std::string memory_image(int selector, const Regions& regions) {
  std::string out(1, static_cast<char>(selector));
  for (const auto& [address, bytes] : regions) {
    uint32_t length = static_cast<uint32_t>(bytes.size());
    put(out, &address, 8);
    put(out, &length, 4);
    out += bytes;
  }
  return out;
}

// Where a value seed puts the value: below any Go heap or binary address.
constexpr uint64_t kValueAddress = 0x10000;

// The map EXPR of a real core, read through a recorder (not yet recording).
struct RecordedMap {
  std::shared_ptr<GoBinary> binary;
  std::unique_ptr<CoreFile> core;  // outlives the recorder that reads it
  std::shared_ptr<RecordingReader> recorder;
  std::unique_ptr<Target> target;
  MapLayout layout;
  uint64_t header = 0;
};

RecordedMap open_map(const std::string& binary_path, const std::string& core_path,
                     const std::string& expression) {
  RecordedMap m;
  m.binary = GoBinary::open(binary_path);
  m.core = std::make_unique<CoreFile>(core_path, m.binary->shared_image());
  m.recorder = std::make_shared<RecordingReader>(*m.core);
  m.target = std::make_unique<Target>(m.binary, m.recorder, std::nullopt);
  GoValue value = evaluate_expression(*m.target, expression, std::nullopt);
  m.layout = map_layout(*value.type);
  m.header = load<uint64_t>(value.bytes.data());
  return m;
}

int extract_map(const std::string& binary_path, const std::string& core_path,
                const std::string& expression, int selector, const std::string& out_path,
                const std::string& value_out) {
  RecordedMap m = open_map(binary_path, core_path, expression);
  auto& [binary, core, recorder, target_ptr, layout, header] = m;
  Target& target = *target_ptr;
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
  // The header's region goes first.
  Regions regions = regions_of(*recorder);
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
  std::ofstream(out_path, std::ios::binary) << memory_image(selector, regions);
  // value_renderer_fuzz seed: the first entry's value (selector bit 0x8)
  // at a free address, then the same memory.
  if (!value_out.empty() && !first_value.empty()) {
    regions.insert(regions.begin(), {kValueAddress, first_value});
    std::ofstream(value_out, std::ios::binary) << memory_image(selector | 0x8, regions);
  }
  return 0;
}

int extract_types(const std::string& binary_path, const std::string& core_path,
                  const std::string& expression, const std::string& out_prefix) {
  RecordedMap m = open_map(binary_path, core_path, expression);
  auto& [binary, core, recorder, target_ptr, layout, header] = m;
  Target& target = *target_ptr;
  GoVersion version = binary->build_info().parsed();
  uint64_t types_base = binary->runtime_types().base();
  if (!header || !types_base || !version.at_least(1, 19)) return 2;
  // runtime_types_fuzz's selector: the version (go1.19 + bits 0-2, + 8 for
  // bit 5), and bit 4 for swiss maps.
  bool swiss = binary->map_family() == MapFamily::Swiss;
  std::vector<std::pair<uint64_t, uint64_t>> interfaces;
  make_map_walker(target.memory(), layout, header)->walk([&](const uint8_t*, const uint8_t* v) {
    if (load<uint64_t>(v)) interfaces.push_back({load<uint64_t>(v), load<uint64_t>(v + 8)});
    return true;
  });
  int n = 0;
  for (auto [descriptor, data] : interfaces) {
    // What runtime_types_fuzz does, read through the recorder: a fresh
    // decoder, so every descriptor it reaches is read again.
    recorder->start();
    RuntimeTypes types(types_base, version,
                       std::make_unique<MapHeaderTypes>(version, binary->map_family()));
    const GoType* type = types.decode(descriptor, target.memory());
    try {
      DynamicValue dynamic = read_dynamic_value(
          target.memory(), type, types.direct_iface(descriptor, target.memory()), data);
      std::string text;
      ValueRenderer(target.memory(), nullptr).render(text, *type, dynamic.bytes.data());
    } catch (const Error&) {
    }
    Regions regions = regions_of(*recorder);
    std::string words;
    for (uint64_t w : {types_base, descriptor, data}) put(words, &w, 8);
    regions.insert(regions.begin(), {kValueAddress, words});
    std::ofstream(out_prefix + "-" + std::to_string(n++), std::ios::binary) << memory_image(
        ((version.minor - 19) & 7) | ((version.minor - 19) & 8 ? 0x20 : 0) | (swiss ? 0x10 : 0),
        regions);
  }
  return n ? 0 : 2;
}

int extract_goroutines(const std::string& binary_path, const std::string& core_path,
                       int binary_index, const std::string& out_prefix) {
  auto binary = GoBinary::open(binary_path);
  auto core = std::make_shared<CoreFile>(core_path, binary->shared_image());
  std::vector<ThreadInput> threads;
  for (const CoreThread& t : core->threads()) {
    ThreadInput input{t.tid, {}, threads.empty()};
    input.registers = t.by_name(core->architecture());
    threads.push_back(std::move(input));
  }
  auto recorder = std::make_shared<RecordingReader>(*core);
  for (uint8_t command = 0; command < fuzz::kCommands; ++command) {
    Target target(binary, recorder, std::nullopt, threads);
    recorder->start();
    fuzz::run_goroutine_command(target, command);
    Regions regions = regions_of(*recorder);
    regions.insert(regions.begin(), {fuzz::kThreadTableAddress,
                                     fuzz::thread_table(binary->architecture(), threads)});
    std::ofstream(out_prefix + "-" + std::to_string(command), std::ios::binary)
        << memory_image((binary_index & 3) | command << 2, regions);
  }
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
    if (mode == "types" && argc == 6) return extract_types(argv[2], argv[3], argv[4], argv[5]);
    if (mode == "goroutines" && argc == 6)
      return extract_goroutines(argv[2], argv[3], std::atoi(argv[4]), argv[5]);
  } catch (const Error& e) {
    std::cerr << "extract_seeds: " << e.what() << "\n";
    return 1;
  }
  std::cerr << "usage: extract_seeds map BINARY CORE EXPR SELECTOR OUT [VALUE_OUT]\n"
               "       extract_seeds locations BINARY OUTDIR MAX\n"
               "       extract_seeds types BINARY CORE EXPR OUTPREFIX\n"
               "       extract_seeds goroutines BINARY CORE BINARY_INDEX OUTPREFIX\n";
  return 2;
}
