#include "runtime/labels.h"

#include <algorithm>

#include "abi/go_headers.h"
#include "errors.h"
#include "maps/map_header_types.h"
#include "maps/map_walker.h"
#include "values/go_quote.h"

namespace gomapdbg {

namespace {

constexpr size_t kMaxLabels = 64;
constexpr uint64_t kMaxLabelBytes = 256;

std::string go_string(const Memory& memory, const uint8_t* header) {
  auto [data, len] = load_string(header);
  len = std::min(len, kMaxLabelBytes);
  std::string out(len, '\0');
  if (len) memory.read(data, out.data(), len);
  return out;
}

// map[string]string from the version's classic tables, for binaries
// without DWARF. Labels are a map up to go1.23: a binary of unknown version
// that keeps them in one gets go1.23's layout.
MapLayout string_map_layout(GoVersion version) {
  static const GoType string_type{"string", GoKind::String, kStringSize};
  return classic_map_layout(version.known() ? version : GoVersion{1, 23, 0}, string_type,
                            string_type);
}

}  // namespace

Labels read_labels(Target& target, uint64_t labels) {
  const Memory& memory = target.memory();
  Labels out;
  GoVersion version = target.binary().build_info().parsed();
  if (version.at_least(1, 24)) {
    // A []label at offset 0: {key string; value string} each.
    constexpr uint64_t kLabelKey = 0, kLabelValue = kStringSize, kLabelSize = 2 * kStringSize;
    SliceHeader list = read_slice_header(memory, labels);
    std::vector<uint8_t> raw =
        memory.bytes(list.data, std::min<uint64_t>(list.len, kMaxLabels) * kLabelSize);
    for (size_t i = 0; i + kLabelSize <= raw.size(); i += kLabelSize)
      out.emplace_back(go_string(memory, &raw[i + kLabelKey]),
                       go_string(memory, &raw[i + kLabelValue]));
    return out;
  }
  // A map variable holding a map[string]string header.
  const GoType* type = target.binary().types().by_name("runtime/pprof.labelMap");
  if (!type || type->kind != GoKind::Map)
    type = target.binary().types().by_name("map[string]string");
  uint64_t header = memory.u64(labels);
  if (!header) return out;
  MapLayout layout = type && type->header ? map_layout(*type) : string_map_layout(version);
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
