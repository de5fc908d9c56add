#include "runtime/labels.h"

#include <algorithm>

#include "errors.h"
#include "maps/map_walker.h"
#include "values/go_quote.h"

namespace gomapdbg {

namespace {

constexpr size_t kMaxLabels = 64;
constexpr uint64_t kMaxLabelBytes = 256;

std::string go_string(const Memory& memory, const uint8_t* header) {
  uint64_t data = load<uint64_t>(header), len = load<uint64_t>(header + 8);
  len = std::min(len, kMaxLabelBytes);
  std::string out(len, '\0');
  if (len) memory.read(data, out.data(), len);
  return out;
}

// map[string]string as go1.19–go1.23 lay it out (reference §1.1, §1.2), for
// binaries without DWARF: hmap {count@0 flags@8 B@9 noverflow@10 hash0@12
// buckets@16 oldbuckets@24 nevacuate@32 extra@40}, 48 bytes; bucket<string,
// string> {tophash@0 keys@8 values@136 overflow@264}, 272 bytes.
MapLayout classic_string_map_layout() {
  static const GoType string_type{"string", GoKind::String, 16};
  MapLayout layout;
  layout.family = MapFamily::Classic;
  layout.key = layout.value = &string_type;
  ClassicLayout& c = layout.classic;
  c.header_size = 48;
  c.count = 0, c.flags = 8, c.log2_buckets = 9, c.noverflow = 10, c.hash0 = 12, c.buckets = 16;
  c.oldbuckets = 24, c.nevacuate = 32, c.extra = 40;
  c.bucket_size = 272, c.tophash = 0, c.keys = 8, c.values = 136, c.overflow = 264;
  c.key_slot = c.value_slot = 16;
  return layout;
}

}  // namespace

Labels read_labels(Target& target, uint64_t labels) {
  const Memory& memory = target.memory();
  Labels out;
  if (target.binary().build_info().parsed().at_least(1, 24)) {
    // A []label at offset 0: {key string; value string} = 32 bytes each.
    uint64_t data = memory.u64(labels), len = memory.u64(labels + 8);
    std::vector<uint8_t> raw = memory.bytes(data, std::min<uint64_t>(len, kMaxLabels) * 32);
    for (size_t i = 0; i + 32 <= raw.size(); i += 32)
      out.emplace_back(go_string(memory, &raw[i]), go_string(memory, &raw[i + 16]));
    return out;
  }
  // A map variable holding a map[string]string header.
  const GoType* type = target.binary().types().by_name("runtime/pprof.labelMap");
  if (!type || type->kind != GoKind::Map)
    type = target.binary().types().by_name("map[string]string");
  uint64_t header = memory.u64(labels);
  if (!header) return out;
  MapLayout layout = type && type->header ? map_layout(*type) : classic_string_map_layout();
  make_map_walker(memory, layout, header)->walk([&](const uint8_t* k, const uint8_t* v) {
    out.emplace_back(go_string(memory, k), go_string(memory, v));
    return out.size() < kMaxLabels;
  });
  std::sort(out.begin(), out.end());
  return out;
}

std::string format_labels(Target& target, uint64_t labels) {
  try {
    std::string text;
    for (const auto& [key, value] : read_labels(target, labels)) {
      if (!text.empty()) text += ' ';
      text += key + "=";
      append_go_quoted(text, value);
    }
    return text.empty() ? "(none)" : text;
  } catch (const Error& e) {
    return std::string("unreadable (") + e.what() + ")";
  }
}

}  // namespace gomapdbg
