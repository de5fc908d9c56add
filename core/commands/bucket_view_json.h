// The physical view as the rest of a JSON object whose header part the
// caller wrote: "buckets" (classic) or "groups" and "tables" (swiss),
// "shown", "complete", "summary"; or with a key "key", "found", "hash",
// "bucket"/"group" and, for an absent key, "home"; then "warnings" and the
// closing brace.
#pragma once

#include <optional>
#include <string>

#include "commands/bucket_view.h"
#include "commands/output.h"
#include "maps/map_layout.h"
#include "values/json_renderer.h"

namespace gomapdbg {

class BucketJson : public BucketSink {
 public:
  // `key`: the key looked up, as given; `hash`: its hash, when known.
  BucketJson(const MapLayout& layout, const JsonRenderer& renderer, std::optional<std::string> key,
             std::optional<uint64_t> hash, Output& out)
      : layout_(layout), renderer_(renderer), key_(std::move(key)), hash_(hash), out_(out) {}

  void table(const TableView& t, uint64_t ordinal, bool listed) override;
  void unit(const UnitView& u, uint64_t shown) override;
  void key_found(const UnitView& u, int slot) override;
  void finish(const BucketOutcome& outcome) override;
  void begin_home(const HashHome&, uint64_t) override {}
  void home_unit(const UnitView& u) override;
  void end_home(const HashHome& home, bool found) override;
  void close(const BucketOutcome& outcome) override;

 private:
  // One bucket of a chain (classic) or a group (swiss) as a JSON object.
  std::string unit_json(const UnitView& u) const;
  void slot_json(std::string& text, const UnitView& u, int slot) const;
  std::string summary_json(const BucketStats& stats) const;

  const MapLayout& layout_;
  const JsonRenderer& renderer_;
  std::optional<std::string> key_;
  std::optional<uint64_t> hash_;
  Output& out_;
  bool open_chain_ = false;   // a classic bucket's chain is open
  std::string tables_;        // every table, printed after the groups
  std::string found_, home_;  // the key's unit; an absent key's home units
  std::string found_key_;     // the key found, as JSON
};

}  // namespace gomapdbg
