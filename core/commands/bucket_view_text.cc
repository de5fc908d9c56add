#include "commands/bucket_view_text.h"

#include <cstdio>

#include "commands/marked_text.h"

namespace gomapdbg {

namespace {

constexpr size_t kPictureWidth = 64;

std::string hex_byte(uint8_t b) {
  char buf[4];
  std::snprintf(buf, sizeof buf, "%02x", b);
  return buf;
}

// "87.5%" of 0.875.
std::string percent(double fraction) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * fraction);
  return buf;
}

// "6.5".
std::string one_decimal(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", value);
  return buf;
}

std::string histogram(const std::map<uint64_t, uint64_t>& counts) {
  std::string out;
  for (const auto& [value, count] : counts)
    out += " " + std::to_string(value) + "×" + std::to_string(count);
  return out.empty() ? " none" : out;
}

std::string range(int64_t first, uint64_t count) {
  if (count <= 1) return "entry " + std::to_string(first);
  return "entries " + std::to_string(first) + "-" + std::to_string(first + int64_t(count) - 1);
}

// "bucket 3 overflow 1", "old bucket 2", "group 5 of table 0x...".
std::string unit_name(const UnitView& u) {
  const BucketView& b = u.bucket;
  if (u.swiss)
    return "group " + std::to_string(b.index) +
           (b.table ? " of table " + address_text(b.table) : "");
  std::string n = std::string(b.old ? "old bucket " : "bucket ") + std::to_string(b.index);
  if (b.chain_position) n += " overflow " + std::to_string(b.chain_position);
  return n;
}

// The old buckets being evacuated, their indices joined by spaces.
std::string being_evacuated_list(const BucketStats& stats) {
  std::string out;
  for (uint64_t index : stats.being_evacuated)
    out += (out.empty() ? "" : " ") + std::to_string(index);
  return out;
}

}  // namespace

void BucketText::table(const TableView& t, uint64_t ordinal, bool listed) {
  if (!listed) return;
  std::string line =
      (t.replacing ? std::string("table being installed") : "table " + std::to_string(ordinal)) +
      " @ " + address_text(t.address) + ": directory " + range(t.index, t.directory_entries) +
      ", localDepth " + std::to_string(t.local_depth) + ", used " + std::to_string(t.used) +
      ", capacity " + std::to_string(t.capacity) + ", growthLeft " + std::to_string(t.growth_left) +
      ", " + std::to_string(t.group_count) + " groups @ " + address_text(t.groups);
  out_.line(line);
  if (t.replacing)
    out_.line("  skipped: it is replacing table " + address_text(t.replacing) + " (localDepth " +
              std::to_string(t.replacing_depth) +
              "), whose directory block it lies in; a grow or split is installing it entry "
              "by entry, and the old table, complete until then, is read instead");
}

void BucketText::key_found(const UnitView& u, int slot) {
  out_.line("key " + *key_ + " is in " + unit_name(u) + ", slot " + std::to_string(slot) +
            (hash_ ? " (hash " + hex(*hash_) + ")" : ""));
  print(u);
}

void BucketText::print(const UnitView& u) {
  const BucketView& b = u.bucket;
  std::string head = unit_name(u) + " @ " + address_text(b.address);
  if (b.evacuated) head += " (evacuated)";
  if (b.being_evacuated && b.chain_position == 0)
    head +=
        " (being evacuated: its moved slots, evacuatedX/Y, still hold their entries, read "
        "here)";
  if (b.copies_only && b.chain_position == 0)
    head += " (holds only copies from old bucket " + std::to_string(b.copies_of) +
            ", being evacuated; not counted)";
  out_.line(head);
  std::string ctrl = u.swiss ? "  ctrl   " : "  tophash";
  for (uint8_t c : b.control) ctrl += " " + hex_byte(c);
  out_.line(ctrl);
  for (int s = 0; s < runtime::kSlotsPerBucket;) {
    const SlotView& slot = u.slots[s];
    if (slot.holds_entry()) {
      print_slot(u, s++);
      continue;
    }
    // Runs of the same marker print as one line: [2-7] emptyRest.
    int end = s;
    while (end + 1 < runtime::kSlotsPerBucket && u.slots[end + 1].control == slot.control) ++end;
    std::string slots = end > s ? std::to_string(s) + "-" + std::to_string(end) : std::to_string(s);
    out_.line("  [" + slots + "] " + (slot.marker ? slot.marker : hex_byte(slot.control)));
    s = end + 1;
  }
  if (!u.swiss && b.next_overflow) out_.line("  overflow -> " + address_text(b.next_overflow));
}

// A copy is marked so that each entry shows once as "[s] tophash  entry".
void BucketText::print_slot(const UnitView& u, int s) {
  const SlotView& slot = u.slots[s];
  bool copy = slot.state == SlotView::State::Copy;
  std::string text =
      "  [" + std::to_string(s) + "] " + hex_byte(slot.control) + (copy ? " copy  " : "  ");
  const uint8_t *key = nullptr, *value = nullptr;
  if (u.entry(s, &key, &value)) {
    renderer_.render(text, *layout_.key, key);
    text += ": ";
    renderer_.render(text, *layout_.value, value);
  } else {
    text += "<unreadable indirect slot>";
  }
  out_.line(text);
}

void BucketText::finish(const BucketOutcome& outcome) {
  bool swiss = outcome.stats.swiss;
  if (key_) {
    if (!outcome.found) out_.line("key " + *key_ + " is not in the map");
    return;
  }
  if (outcome.not_shown)
    out_.line("(" + std::to_string(outcome.not_shown) + " more " + (swiss ? "groups" : "buckets") +
              " not shown; --all shows every one)");
  summary(outcome);
}

void BucketText::summary(const BucketOutcome& outcome) {
  if (outcome.stats.swiss)
    swiss_summary(outcome.stats);
  else
    classic_summary(outcome.stats);
  occupancy(outcome.stats);
  for (const auto& w : outcome.walk.warnings) out_.line(warning_line(w));
}

void BucketText::swiss_summary(const BucketStats& stats) {
  uint64_t slots = stats.units * runtime::kSlotsPerBucket;
  char load[32];
  std::snprintf(load, sizeof load, "%.1f%%",
                slots ? 100.0 * double(stats.live) / double(slots) : 0.0);
  out_.line(
      "summary: " + counted(stats.tables, "table") +
      (stats.installing ? " (+" + std::to_string(stats.installing) + " being installed, skipped)"
                        : std::string()) +
      ", " + counted(stats.units, "group") + ", " + counted(slots, "slot") + ", " +
      std::to_string(stats.live) + " live, " + std::to_string(stats.tombstones) +
      " deleted; load " + load + " (tables grow at " + percent(runtime::kSwissGrowthLoad) + ")");
  out_.line("live slots per group:" + histogram(stats.fill));
}

void BucketText::classic_summary(const BucketStats& stats) {
  uint64_t heads = stats.units - stats.evacuated;
  char load[32];
  std::snprintf(load, sizeof load, "%.2f", heads ? double(stats.live) / double(heads) : 0.0);
  out_.line("summary: " + std::to_string(heads) + " buckets + " + std::to_string(stats.overflow) +
            " overflow, " + std::to_string(stats.live) + " live, " +
            std::to_string(stats.tombstones) + " tombstones (emptyOne); load factor " + load +
            " entries/bucket (the runtime grows at " +
            one_decimal(runtime::kClassicGrowthLoadFactor) + ")");
  if (stats.old_seen)
    out_.line("growth in progress: " + std::to_string(stats.evacuated) + " of " +
              std::to_string(stats.old_seen) + " old buckets evacuated" +
              (stats.being_evacuated.empty()
                   ? std::string()
                   : "; being evacuated: old bucket " + being_evacuated_list(stats) +
                         " (its entries are counted there, not their copies in the new "
                         "array)"));
  out_.line("chain lengths:" + histogram(stats.chains));
  out_.line("live slots per bucket:" + histogram(stats.fill));
}

void BucketText::occupancy(const BucketStats& stats) {
  const std::string& picture = stats.picture;
  out_.line(
      std::string("occupancy (one character per ") + (stats.swiss ? "group" : "bucket chain") +
      ": . empty, 1-8 live slots" + (stats.swiss ? "" : ", + overflow chain, x evacuated") +
      (picture.size() < stats.units ? "; first " + std::to_string(picture.size()) + " shown" : "") +
      "):");
  size_t width = kPictureWidth;  // narrower on a narrower terminal
  if (size_t columns = out_.style().width; columns > 2) width = std::min(width, columns - 2);
  for (size_t i = 0; i < picture.size(); i += width) out_.line("  " + picture.substr(i, width));
}

void BucketText::begin_home(const HashHome& home, uint64_t hash) {
  bool swiss = layout_.family == MapFamily::Swiss;
  std::string where = swiss ? "group " + std::to_string(home.index) +
                                  (home.table ? " of table " + address_text(home.table)
                                              : std::string(" (small map)")) +
                                  ", where its probe sequence starts"
                            : "bucket " + std::to_string(home.index);
  out_.line("a key with its hash " + hex(hash) + " goes to " + where + ":");
}

void BucketText::end_home(const HashHome&, bool found) {
  bool swiss = layout_.family == MapFamily::Swiss;
  if (!found) out_.line("(that " + std::string(swiss ? "group" : "bucket") + " is unreadable)");
}

}  // namespace gomapdbg
