#include "commands/bucket_view_json.h"

#include <cstdio>

#include "commands/map_key_lookup.h"

namespace gomapdbg {

namespace {

const char* state_name(const SlotView& slot) {
  switch (slot.state) {
    case SlotView::State::Live:
      return "live";
    case SlotView::State::Copy:
      return "copy";
    case SlotView::State::Marked:
      return slot.marker;
    case SlotView::State::Invalid:
      break;
  }
  return "invalid";
}

// A classic bucket's object, open at its chain: its buckets follow.
std::string chain_head_json(const BucketView& b) {
  std::string text = "{\"index\": " + std::to_string(b.index) +
                     ", \"old\": " + (b.old ? "true" : "false") +
                     ", \"evacuated\": " + (b.evacuated ? "true" : "false");
  if (b.being_evacuated) text += ", \"being_evacuated\": true";
  if (b.copies_only) text += ", \"copies_of_old_bucket\": " + std::to_string(b.copies_of);
  return text + ", \"address\": " + json_address(b.address) + ", \"chain\": [";
}

std::string histogram_json(const std::map<uint64_t, uint64_t>& counts) {
  std::string out = "{";
  for (const auto& [value, count] : counts)
    out +=
        (out.size() > 1 ? ", \"" : "\"") + std::to_string(value) + "\": " + std::to_string(count);
  return out + "}";
}

std::string load_json(uint64_t live, uint64_t per) {
  char load[32];
  std::snprintf(load, sizeof load, "%.4f", per ? double(live) / double(per) : 0.0);
  return load;
}

}  // namespace

void BucketJson::table(const TableView& t, uint64_t, bool) {
  tables_ +=
      std::string(tables_.empty() ? "\n  " : ",\n  ") + "{\"address\": " + json_address(t.address) +
      ", \"directory_first\": " + std::to_string(t.index) +
      ", \"directory_entries\": " + std::to_string(t.directory_entries) +
      ", \"local_depth\": " + std::to_string(t.local_depth) +
      ", \"used\": " + std::to_string(t.used) + ", \"capacity\": " + std::to_string(t.capacity) +
      ", \"growth_left\": " + std::to_string(t.growth_left) +
      ", \"groups\": " + json_address(t.groups) +
      ", \"group_count\": " + std::to_string(t.group_count);
  // A table being installed over another is skipped: the old one is read.
  if (t.replacing) tables_ += ", \"being_installed_over\": " + json_address(t.replacing);
  tables_ += "}";
}

std::string BucketJson::unit_json(const UnitView& u) const {
  const BucketView& b = u.bucket;
  std::string text = "{";
  if (u.swiss)
    text +=
        "\"index\": " + std::to_string(b.index) + ", \"table\": " + json_address(b.table) + ", ";
  text += "\"address\": " + json_address(b.address) + ", ";
  if (!u.swiss) text += "\"chain_position\": " + std::to_string(b.chain_position) + ", ";
  text += u.swiss ? "\"ctrl\": [" : "\"tophash\": [";
  for (int s = 0; s < runtime::kSlotsPerBucket; ++s)
    text += (s ? ", " : "") + std::to_string(b.control[s]);
  text += "], \"slots\": [";
  for (int s = 0; s < runtime::kSlotsPerBucket; ++s) slot_json(text, u, s);
  text += ']';
  if (!u.swiss) text += ", \"overflow\": " + json_address(b.next_overflow);
  return text + '}';
}

void BucketJson::slot_json(std::string& text, const UnitView& u, int s) const {
  const SlotView& slot = u.slots[s];
  text += std::string(s ? ", " : "") + "{\"index\": " + std::to_string(s) + ", \"state\": \"" +
          state_name(slot) + "\", \"control\": " + std::to_string(slot.control);
  const uint8_t *key = nullptr, *value = nullptr;
  if (slot.holds_entry() && u.entry(s, &key, &value)) {
    text += ", \"key\": ";
    renderer_.render(text, *layout_.key, key);
    text += ", \"value\": ";
    renderer_.render(text, *layout_.value, value);
  } else if (slot.holds_entry()) {
    text += ", \"unreadable\": true";
  }
  text += '}';
}

void BucketJson::unit(const UnitView& u, uint64_t shown) {
  const BucketView& b = u.bucket;
  std::string text;
  if (u.swiss) {
    text = (shown ? ",\n  " : "\n  ") + unit_json(u);
  } else if (b.chain_position == 0 || !open_chain_) {
    text = open_chain_ ? "]},\n  " : "\n  ";
    text += chain_head_json(b) + unit_json(u);
    open_chain_ = true;
  } else {
    text = ", " + unit_json(u);
  }
  out_ << text;
}

void BucketJson::key_found(const UnitView& u, int slot) {
  found_ = u.swiss ? unit_json(u) : chain_head_json(u.bucket) + unit_json(u) + "]}";
  const uint8_t *key = nullptr, *value = nullptr;
  if (u.entry(slot, &key, &value)) renderer_.render(found_key_, *layout_.key, key);
}

void BucketJson::finish(const BucketOutcome& outcome) {
  bool swiss = outcome.stats.swiss;
  if (key_) {
    // The key typed as the listing writes keys: the one found, else the text.
    std::string key = found_key_.empty() ? key_text_json(*key_, *layout_.key) : found_key_;
    out_ << ", \"key\": " + key + ", \"found\": " + (outcome.found ? "true" : "false");
    if (hash_) out_ << ", \"hash\": " + json_address(*hash_);
    if (outcome.found) out_ << std::string(swiss ? ", \"group\": " : ", \"bucket\": ") + found_;
    return;
  }
  if (open_chain_) out_ << "]}";
  out_ << std::string(outcome.shown ? "\n ]" : "]") +
              ", \"shown\": " + std::to_string(outcome.shown) +
              ", \"complete\": " + (outcome.not_shown ? "false" : "true");
  if (swiss) out_ << ",\n \"tables\": [" + tables_ + (outcome.stats.tables ? "\n ]" : "]");
  out_ << ",\n \"summary\": " + summary_json(outcome.stats);
}

std::string BucketJson::summary_json(const BucketStats& stats) const {
  uint64_t slots = stats.units * runtime::kSlotsPerBucket;
  std::string text = "{";
  if (stats.swiss) {
    text += "\"tables\": " + std::to_string(stats.tables) +
            ", \"groups\": " + std::to_string(stats.units) +
            ", \"slots\": " + std::to_string(slots) + ", \"live\": " + std::to_string(stats.live) +
            ", \"deleted\": " + std::to_string(stats.tombstones) +
            ", \"load\": " + load_json(stats.live, slots) +
            ", \"tables_being_installed\": " + std::to_string(stats.installing) +
            ", \"live_per_group\": " + histogram_json(stats.fill);
  } else {
    uint64_t heads = stats.units - stats.evacuated;
    std::string evacuating;
    for (uint64_t index : stats.being_evacuated)
      evacuating += (evacuating.empty() ? "" : ", ") + std::to_string(index);
    text += "\"buckets\": " + std::to_string(heads) +
            ", \"overflow_buckets\": " + std::to_string(stats.overflow) +
            ", \"live\": " + std::to_string(stats.live) +
            ", \"tombstones\": " + std::to_string(stats.tombstones) +
            ", \"load_factor\": " + load_json(stats.live, heads) +
            ", \"old_buckets\": " + std::to_string(stats.old_seen) +
            ", \"evacuated\": " + std::to_string(stats.evacuated) + ", \"being_evacuated\": [" +
            evacuating + "]" + ", \"chain_lengths\": " + histogram_json(stats.chains) +
            ", \"live_per_bucket\": " + histogram_json(stats.fill);
  }
  return text + ", \"occupancy\": " + json_string(stats.picture) + "}";
}

void BucketJson::home_unit(const UnitView& u) {
  home_ += (home_.empty() ? "" : ", ") + unit_json(u);
}

void BucketJson::end_home(const HashHome& home, bool) {
  bool swiss = layout_.family == MapFamily::Swiss;
  out_ << ",\n \"home\": {\"index\": " + std::to_string(home.index) +
              ", \"table\": " + json_address(home.table) + ", " +
              (swiss ? "\"groups\": [" : "\"chain\": [") + home_ + "]}";
}

void BucketJson::close(const BucketOutcome& outcome) {
  out_ << ",\n \"warnings\": [";
  const auto& warnings = outcome.walk.warnings;
  for (size_t i = 0; i < warnings.size(); ++i) out_ << (i ? ", " : "") + json_string(warnings[i]);
  out_.line("]}");
}

}  // namespace gomapdbg
