#include "commands/map_key_lookup.h"

#include <charconv>

#include "commands/map_buckets.h"
#include "maps/hash_home.h"
#include "maps/key_hash.h"

namespace gomapdbg {

KeyLookup::KeyLookup(const std::string& key, const GoType& key_type, const ValueRenderer& renderer)
    : key_type_(key_type), renderer_(renderer), want_(key) {
  if (key_type.kind == GoKind::String && (want_.empty() || want_[0] != '"'))
    want_ = "\"" + want_ + "\"";
}

std::optional<int> KeyLookup::find(const UnitView& u) const {
  std::string rendered;
  for (int s = 0; s < runtime::kSlotsPerBucket; ++s) {
    if (u.slots[s].state != SlotView::State::Live) continue;
    const uint8_t *key = nullptr, *value = nullptr;
    if (!u.entry(s, &key, &value)) continue;
    rendered.clear();
    renderer_.render(rendered, key_type_, key);
    if (rendered == want_) return s;
  }
  return std::nullopt;
}

void hash_integer_key(Target& target, const MapLayout& layout, uint64_t map,
                      const std::string& text, BucketViewRequest& listing) {
  const GoType& key = *layout.key;
  if (key.size != 8 && key.size != 4) return;
  uint64_t bits = 0;
  const char* end = text.data() + text.size();
  std::from_chars_result parsed{};
  if (key.is_signed_int()) {
    int64_t v = 0;
    parsed = std::from_chars(text.data(), end, v);
    bits = static_cast<uint64_t>(v);
  } else if (key.is_unsigned_int()) {
    parsed = std::from_chars(text.data(), end, bits);
  } else {
    return;
  }
  if (parsed.ec != std::errc() || parsed.ptr != end) return;
  std::string why;
  uint64_t seed = map_hash_seed(target.memory(), layout, map);
  if (auto hash =
          runtime_key_hash(target.memory(), target.binary().image(), target.binary().pclntab(), key,
                           reinterpret_cast<const uint8_t*>(&bits), seed, why)) {
    listing.hash = *hash;
    listing.home = hash_home(target.memory(), layout, map, *hash);
  }
}

}  // namespace gomapdbg
