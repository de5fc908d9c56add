#include "commands/map_key_lookup.h"

#include <charconv>

#include "commands/map_buckets.h"
#include "errors.h"
#include "maps/hash_home.h"
#include "maps/key_hash.h"
#include "values/json_sink.h"

namespace gomapdbg {

namespace {

// Whether `text` is a whole number that fits an integer of `type`.
bool fits_integer(const std::string& text, const GoType& type) {
  const char* end = text.data() + text.size();
  unsigned bits = static_cast<unsigned>(type.size * 8);
  if (type.is_signed_int()) {
    int64_t v = 0;
    auto [stop, error] = std::from_chars(text.data(), end, v);
    int64_t half = bits >= 64 ? INT64_MAX : (int64_t{1} << (bits - 1)) - 1;
    return error == std::errc() && stop == end && v <= half && v >= -half - 1;
  }
  uint64_t v = 0;
  auto [stop, error] = std::from_chars(text.data(), end, v);
  return error == std::errc() && stop == end && (bits >= 64 || v < (uint64_t{1} << bits));
}

}  // namespace

void check_key_text(const std::string& key, const GoType& type) {
  if (key.empty() && type.kind != GoKind::String)
    throw UsageError("the key is empty, and the map's key type is " + type.name);
  bool integer = type.is_signed_int() || type.is_unsigned_int();
  if (integer && !fits_integer(key, type))
    throw UsageError("'" + key + "' is not " + with_article(type.name) + ", the map's key type");
}

std::string key_text_json(const std::string& key, const GoType& type) {
  std::string out;
  if ((type.is_signed_int() || type.is_unsigned_int()) && fits_integer(key, type)) {
    if (type.is_signed_int())
      append_json_int(out, std::stoll(key));
    else
      append_json_uint(out, std::stoull(key));
    return out;
  }
  if (type.kind == GoKind::Bool && (key == "true" || key == "false")) return key;
  bool quoted = key.size() >= 2 && key.front() == '"' && key.back() == '"';
  if (type.kind == GoKind::String && quoted && key.find('\\') == std::string::npos)
    return json_string(key.substr(1, key.size() - 2));
  return json_string(key);
}

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
