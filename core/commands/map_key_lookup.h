// `go map --key K`: which slot holds the key given as text, and for an
// integer key absent from the map, where its hash leads.
#pragma once

#include <optional>
#include <string>

#include "commands/bucket_view.h"
#include "maps/map_layout.h"
#include "target/target.h"
#include "values/value_renderer.h"

namespace gomapdbg {

struct BucketViewRequest;

class KeyLookup {
 public:
  // `key` as the user typed it: a string key may omit its quotes.
  KeyLookup(const std::string& key, const GoType& key_type, const ValueRenderer& renderer);
  // The live slot of `u` whose key renders as the key, if any.
  std::optional<int> find(const UnitView& u) const;
  // The key as the text rendering shows it (strings quoted).
  const std::string& text() const { return want_; }

 private:
  const GoType& key_type_;
  const ValueRenderer& renderer_;
  std::string want_;
};

// Refuses, with UsageError, a key no entry could have: text that is not a
// number of an integer key type, or an empty key that is not a string.
void check_key_text(const std::string& key, const GoType& key_type);

// A key given as text and absent from the map, in JSON as the listing
// writes keys of its type: an integer a number, a bool a boolean, a string
// a string; other text (a quoted string with escapes, a struct) stays the
// text as given, a string. A key found is rendered from its bytes instead.
std::string key_text_json(const std::string& key, const GoType& key_type);

// An integer key given as text, hashed as the runtime would (for where an
// absent key would go) into `listing`; nothing for other key types or
// unparsable text.
void hash_integer_key(Target& target, const MapLayout& layout, uint64_t map,
                      const std::string& text, BucketViewRequest& listing);

}  // namespace gomapdbg
