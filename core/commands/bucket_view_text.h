// The physical view as text: each bucket or group with its control bytes
// and slots, the tables, then a summary with load factor, histograms and a
// one-character-per-unit occupancy picture.
#pragma once

#include <optional>
#include <string>

#include "commands/bucket_view.h"
#include "commands/output.h"
#include "maps/map_layout.h"
#include "values/value_renderer.h"

namespace gomapdbg {

class BucketText : public BucketSink {
 public:
  // `key`: the key looked up, as rendered; `hash`: its hash, when known.
  BucketText(const MapLayout& layout, const ValueRenderer& renderer, std::optional<std::string> key,
             std::optional<uint64_t> hash, Output& out)
      : layout_(layout), renderer_(renderer), key_(std::move(key)), hash_(hash), out_(out) {}

  void table(const TableView& t, uint64_t ordinal, bool listed) override;
  void unit(const UnitView& u, uint64_t) override { print(u); }
  void key_found(const UnitView& u, int slot) override;
  void finish(const BucketOutcome& outcome) override;
  void begin_home(const HashHome& home, uint64_t hash) override;
  void home_unit(const UnitView& u) override { print(u); }
  void end_home(const HashHome& home, bool found) override;
  void close(const BucketOutcome&) override {}

 private:
  void print(const UnitView& u);
  void print_slot(const UnitView& u, int slot);
  void summary(const BucketOutcome& outcome);
  void swiss_summary(const BucketStats& stats);
  void classic_summary(const BucketStats& stats);
  void occupancy(const BucketStats& stats);

  const MapLayout& layout_;
  const ValueRenderer& renderer_;
  std::optional<std::string> key_;
  std::optional<uint64_t> hash_;
  Output& out_;
};

}  // namespace gomapdbg
