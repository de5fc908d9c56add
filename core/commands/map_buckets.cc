#include "commands/map_buckets.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <vector>

#include "maps/runtime_constants.h"
#include "values/json_renderer.h"

namespace gomapdbg {

namespace {

constexpr uint64_t kMaxPictureCells = 4096;
constexpr size_t kPictureWidth = 64;

bool classic_live(uint8_t top) { return top >= runtime::kMinTopHash; }
bool swiss_live(uint8_t ctrl) { return !(ctrl & runtime::kCtrlEmpty); }

const char* classic_marker(uint8_t top) {
  switch (top) {
    case runtime::kEmptyRest:
      return "emptyRest";
    case runtime::kEmptyOne:
      return "emptyOne";
    case runtime::kEvacuatedX:
      return "evacuatedX";
    case runtime::kEvacuatedY:
      return "evacuatedY";
    case runtime::kEvacuatedEmpty:
      return "evacuatedEmpty";
    default:
      return nullptr;
  }
}

const char* swiss_marker(uint8_t ctrl) {
  if (ctrl == runtime::kCtrlEmpty) return "empty";
  if (ctrl == runtime::kCtrlDeleted) return "deleted";
  return nullptr;
}

std::string hex_byte(uint8_t b) {
  char buf[4];
  std::snprintf(buf, sizeof buf, "%02x", b);
  return buf;
}

std::string histogram(const std::map<uint64_t, uint64_t>& counts) {
  std::string out;
  for (const auto& [value, count] : counts)
    out += " " + std::to_string(value) + "×" + std::to_string(count);
  return out.empty() ? " none" : out;
}

// Walks the structure once: prints the first `limit` buckets (or only the
// one holding the key) and gathers the summary.
class HomePrinter;

class BucketPrinter : public PhysicalVisitor {
 public:
  BucketPrinter(MapWalker& walker, const MapLayout& layout, const ValueRenderer& renderer,
                const BucketListing& options, Output& out)
      : walker_(walker),
        layout_(layout),
        renderer_(renderer),
        options_(options),
        out_(out),
        swiss_(layout.family == MapFamily::Swiss),
        json_(options.json != nullptr) {
    if (options.key) {
      want_ = *options.key;
      if (layout.key->kind == GoKind::String && (want_.empty() || want_[0] != '"'))
        want_ = "\"" + want_ + "\"";
    }
  }

  void table(const TableView& t) override {
    if (t.replacing)
      ++installing_;
    else
      ++tables_;
    if (json_) {
      // Every table, printed after the groups: a few next to their groups.
      tables_json_ += std::string(tables_json_.empty() ? "\n  " : ",\n  ") + "{\"address\": \"" +
                      hex(t.address) + "\", \"directory_first\": " + std::to_string(t.index) +
                      ", \"directory_entries\": " + std::to_string(t.directory_entries) +
                      ", \"local_depth\": " + std::to_string(t.local_depth) +
                      ", \"used\": " + std::to_string(t.used) +
                      ", \"capacity\": " + std::to_string(t.capacity) +
                      ", \"growth_left\": " + std::to_string(t.growth_left) + ", \"groups\": \"" +
                      hex(t.groups) + "\", \"group_count\": " + std::to_string(t.group_count);
      // A table being installed over another is skipped: the old one is read.
      if (t.replacing) tables_json_ += ", \"being_installed_over\": \"" + hex(t.replacing) + "\"";
      tables_json_ += "}";
      return;
    }
    if (options_.key || printed_ >= options_.limit) return;
    std::string line = (t.replacing ? std::string("table being installed")
                                    : "table " + std::to_string(tables_ - 1)) +
                       " @ " + hex(t.address) + ": directory " +
                       range(t.index, t.directory_entries) + ", localDepth " +
                       std::to_string(t.local_depth) + ", used " + std::to_string(t.used) +
                       ", capacity " + std::to_string(t.capacity) + ", growthLeft " +
                       std::to_string(t.growth_left) + ", " + std::to_string(t.group_count) +
                       " groups @ " + hex(t.groups);
    out_.line(line);
    if (t.replacing)
      out_.line("  skipped: it is replacing table " + hex(t.replacing) + " (localDepth " +
                std::to_string(t.replacing_depth) +
                "), whose directory block it lies in; a grow or split is installing it entry "
                "by entry, and the old table, complete until then, is read instead");
  }

  bool bucket(const BucketView& b) override {
    int live = 0, tombstones = 0;
    for (uint8_t c : b.control) {
      live += entry_here(b, c);
      tombstones += swiss_ ? c == runtime::kCtrlDeleted : c == runtime::kEmptyOne;
    }
    tally(b, live, tombstones);
    for (int i = 0; i < live; ++i) {
      ++live_seen_;
      out_.tick(live_seen_, std::max(options_.total, live_seen_));
    }
    if (options_.key) {
      if (holds_key(b)) {
        if (json_)
          key_json_ = swiss_ ? unit_json(b) : chain_head_json(b) + unit_json(b) + "]}";
        else
          print(b);
        found_ = true;
        return false;
      }
      return true;
    }
    if (printed_ < options_.limit) {
      if (json_)
        list_json(b);
      else
        print(b);
      ++printed_;
    } else {
      ++not_printed_;
    }
    return true;
  }

  bool found() const { return found_; }
  friend class HomePrinter;

  void finish(const WalkStats& stats) {
    out_.progress_done();
    if (json_) return finish_json(stats);
    if (options_.key) {
      if (!found_) out_.line("key " + want_ + " is not in the map");
      return;
    }
    if (not_printed_)
      out_.line("(" + std::to_string(not_printed_) + " more " + (swiss_ ? "groups" : "buckets") +
                " not shown; --all shows every one)");
    summary(stats);
  }

 private:
  static std::string range(int64_t first, uint64_t count) {
    if (count <= 1) return "entry " + std::to_string(first);
    return "entries " + std::to_string(first) + "-" + std::to_string(first + int64_t(count) - 1);
  }

  // Whether the slot holds an entry the map walk reads from here.
  bool entry_here(const BucketView& b, uint8_t c) const {
    return swiss_ ? swiss_live(c) : classic_slot_read(b, c);
  }

  // One bucket of a chain (classic) or a group (swiss) as a JSON object.
  std::string unit_json(const BucketView& b) const {
    std::string text = "{";
    if (swiss_)
      text += "\"index\": " + std::to_string(b.index) + ", \"table\": \"" + hex(b.table) + "\", ";
    text += "\"address\": \"" + hex(b.address) + "\", ";
    if (!swiss_) text += "\"chain_position\": " + std::to_string(b.chain_position) + ", ";
    text += swiss_ ? "\"ctrl\": [" : "\"tophash\": [";
    for (int s = 0; s < runtime::kSlotsPerBucket; ++s)
      text += (s ? ", " : "") + std::to_string(b.control[s]);
    text += "], \"slots\": [";
    for (int s = 0; s < runtime::kSlotsPerBucket; ++s) {
      uint8_t c = b.control[s];
      bool live = entry_here(b, c);
      bool copy = b.copies_only && classic_live(c);  // shown, counted where the walk reads it
      const char* marker = swiss_ ? swiss_marker(c) : classic_marker(c);
      text += std::string(s ? ", " : "") + "{\"index\": " + std::to_string(s) + ", \"state\": \"" +
              (live     ? "live"
               : copy   ? "copy"
               : marker ? marker
                        : "invalid") +
              "\", \"control\": " + std::to_string(c);
      live = live || copy;
      const uint8_t *key = nullptr, *value = nullptr;
      if (live && walker_.slot(b, s, &key, &value)) {
        text += ", \"key\": ";
        options_.json->render(text, *layout_.key, key);
        text += ", \"value\": ";
        options_.json->render(text, *layout_.value, value);
      } else if (live) {
        text += ", \"unreadable\": true";
      }
      text += '}';
    }
    text += ']';
    if (!swiss_) text += ", \"overflow\": \"" + hex(b.next_overflow) + "\"";
    return text + '}';
  }

  // A classic bucket's object, open at its chain: its buckets follow.
  static std::string chain_head_json(const BucketView& b) {
    std::string text = "{\"index\": " + std::to_string(b.index) +
                       ", \"old\": " + (b.old ? "true" : "false") +
                       ", \"evacuated\": " + (b.evacuated ? "true" : "false");
    if (b.being_evacuated) text += ", \"being_evacuated\": true";
    if (b.copies_only) text += ", \"copies_of_old_bucket\": " + std::to_string(b.copies_of);
    return text + ", \"address\": \"" + hex(b.address) + "\", \"chain\": [";
  }

  void list_json(const BucketView& b) {
    std::string text;
    if (swiss_) {
      text = (printed_ ? ",\n  " : "\n  ") + unit_json(b);
    } else if (b.chain_position == 0 || !open_chain_) {
      text = open_chain_ ? "]},\n  " : "\n  ";
      text += chain_head_json(b) + unit_json(b);
      open_chain_ = true;
    } else {
      text = ", " + unit_json(b);
    }
    out_ << text;
  }

  void finish_json(const WalkStats& stats) {
    if (options_.key) {
      // The key as given; `want_` is its text rendering (strings quoted).
      out_ << ", \"key\": " + json_string(*options_.key) +
                  ", \"found\": " + (found_ ? "true" : "false");
      if (options_.hash) out_ << ", \"hash\": \"" + hex(*options_.hash) + "\"";
      if (found_) out_ << std::string(swiss_ ? ", \"group\": " : ", \"bucket\": ") + key_json_;
    } else {
      if (open_chain_) out_ << "]}";
      out_ << std::string(printed_ ? "\n ]" : "]") + ", \"shown\": " + std::to_string(printed_) +
                  ", \"complete\": " + (not_printed_ ? "false" : "true");
      if (swiss_) out_ << ",\n \"tables\": [" + tables_json_ + (tables_ ? "\n ]" : "]");
      out_ << ",\n \"summary\": " + summary_json();
    }
    warnings_json_ = stats.warnings;
  }

  // The old buckets being evacuated, their indices joined by `separator`.
  std::string being_evacuated_list(const char* separator) const {
    std::string out;
    for (uint64_t index : being_evacuated_)
      out += (out.empty() ? "" : separator) + std::to_string(index);
    return out;
  }

  std::string summary_json() {
    if (chain_) close_chain();
    uint64_t slots = units_ * runtime::kSlotsPerBucket;
    auto hist = [](const std::map<uint64_t, uint64_t>& counts) {
      std::string out = "{";
      for (const auto& [value, count] : counts)
        out += (out.size() > 1 ? ", \"" : "\"") + std::to_string(value) +
               "\": " + std::to_string(count);
      return out + "}";
    };
    std::string text = "{";
    if (swiss_) {
      char load[32];
      std::snprintf(load, sizeof load, "%.4f", slots ? double(live_) / double(slots) : 0.0);
      text += "\"tables\": " + std::to_string(tables_) + ", \"groups\": " + std::to_string(units_) +
              ", \"slots\": " + std::to_string(slots) + ", \"live\": " + std::to_string(live_) +
              ", \"deleted\": " + std::to_string(tombstones_) + ", \"load\": " + load +
              ", \"tables_being_installed\": " + std::to_string(installing_) +
              ", \"live_per_group\": " + hist(fill_);
    } else {
      uint64_t heads = units_ - evacuated_;
      char load[32];
      std::snprintf(load, sizeof load, "%.4f", heads ? double(live_) / double(heads) : 0.0);
      text += "\"buckets\": " + std::to_string(heads) +
              ", \"overflow_buckets\": " + std::to_string(overflow_) +
              ", \"live\": " + std::to_string(live_) +
              ", \"tombstones\": " + std::to_string(tombstones_) + ", \"load_factor\": " + load +
              ", \"old_buckets\": " + std::to_string(old_seen_) +
              ", \"evacuated\": " + std::to_string(evacuated_) + ", \"being_evacuated\": [" +
              being_evacuated_list(", ") + "]" + ", \"chain_lengths\": " + hist(chains_) +
              ", \"live_per_bucket\": " + hist(fill_);
    }
    return text + ", \"occupancy\": " + json_string(picture_) + "}";
  }

 public:
  std::vector<std::string> warnings_json_;

 private:
  bool holds_key(const BucketView& b) {
    for (int s = 0; s < runtime::kSlotsPerBucket; ++s) {
      if (!entry_here(b, b.control[s])) continue;
      const uint8_t *key = nullptr, *value = nullptr;
      if (!walker_.slot(b, s, &key, &value)) continue;
      std::string rendered;
      renderer_.render(rendered, *layout_.key, key);
      if (rendered == want_) {
        if (json_) return true;
        out_.line("key " + want_ + " is in " + name(b) + ", slot " + std::to_string(s) +
                  (options_.hash ? " (hash " + hex(*options_.hash) + ")" : ""));
        return true;
      }
    }
    return false;
  }

  std::string name(const BucketView& b) const {
    if (swiss_)
      return "group " + std::to_string(b.index) + (b.table ? " of table " + hex(b.table) : "");
    std::string n = std::string(b.old ? "old bucket " : "bucket ") + std::to_string(b.index);
    if (b.chain_position) n += " overflow " + std::to_string(b.chain_position);
    return n;
  }

  void print(const BucketView& b) {
    std::string head = name(b) + " @ " + hex(b.address);
    if (b.evacuated) head += " (evacuated)";
    if (b.being_evacuated && b.chain_position == 0)
      head +=
          " (being evacuated: its moved slots, evacuatedX/Y, still hold their entries, read "
          "here)";
    if (b.copies_only && b.chain_position == 0)
      head += " (holds only copies from old bucket " + std::to_string(b.copies_of) +
              ", being evacuated; not counted)";
    out_.line(head);
    std::string ctrl = swiss_ ? "  ctrl   " : "  tophash";
    for (uint8_t c : b.control) ctrl += " " + hex_byte(c);
    out_.line(ctrl);
    for (int s = 0; s < runtime::kSlotsPerBucket;) {
      uint8_t c = b.control[s];
      bool copy = b.copies_only && classic_live(c);
      if (!entry_here(b, c) && !copy) {
        // Runs of the same marker print as one line: [2-7] emptyRest.
        int end = s;
        while (end + 1 < runtime::kSlotsPerBucket && b.control[end + 1] == c) ++end;
        const char* marker = swiss_ ? swiss_marker(c) : classic_marker(c);
        std::string slots =
            end > s ? std::to_string(s) + "-" + std::to_string(end) : std::to_string(s);
        out_.line("  [" + slots + "] " + (marker ? marker : hex_byte(c)));
        s = end + 1;
        continue;
      }
      // A copy is marked so that each entry shows once as "[s] tophash  entry".
      std::string text = "  [" + std::to_string(s) + "] " + hex_byte(c) + (copy ? " copy  " : "  ");
      const uint8_t *key = nullptr, *value = nullptr;
      if (walker_.slot(b, s, &key, &value)) {
        renderer_.render(text, *layout_.key, key);
        text += ": ";
        renderer_.render(text, *layout_.value, value);
      } else {
        text += "<unreadable indirect slot>";
      }
      out_.line(text);
      ++s;
    }
    if (!swiss_ && b.next_overflow) out_.line("  overflow -> " + hex(b.next_overflow));
  }

  void tally(const BucketView& b, int live, int tombstones) {
    live_ += live;
    tombstones_ += tombstones;
    if (swiss_) {
      ++units_;
      ++fill_[live];
      add_cell(live ? char('0' + live) : '.');
      return;
    }
    if (b.old && b.chain_position == 0) {
      ++old_seen_;
      if (b.being_evacuated) being_evacuated_.push_back(b.index);
    }
    if (b.evacuated) {
      ++evacuated_;
      ++units_;
      add_cell('x');
      return;
    }
    if (b.chain_position == 0) {
      if (chain_) close_chain();
      ++units_;
      chain_ = 1;
      chain_live_ = live;
    } else {
      ++overflow_;
      ++chain_;
      chain_live_ += live;
    }
    ++fill_[live];
  }

  void close_chain() {
    ++chains_[chain_];
    char cell = chain_live_ == 0 ? '.' : chain_ > 1 ? '+' : char('0' + chain_live_);
    add_cell(cell);
    chain_ = 0;
  }

  void add_cell(char c) {
    if (picture_.size() < kMaxPictureCells) picture_ += c;
  }

  void summary(const WalkStats& stats) {
    if (chain_) close_chain();
    uint64_t slots = units_ * runtime::kSlotsPerBucket;
    if (swiss_) {
      char load[32];
      std::snprintf(load, sizeof load, "%.1f%%",
                    slots ? 100.0 * double(live_) / double(slots) : 0.0);
      out_.line("summary: " + std::to_string(tables_) + " tables" +
                (installing_ ? " (+" + std::to_string(installing_) + " being installed, skipped)"
                             : std::string()) +
                ", " + std::to_string(units_) + " groups, " + std::to_string(slots) + " slots, " +
                std::to_string(live_) + " live, " + std::to_string(tombstones_) +
                " deleted; load " + load + " (tables grow at 87.5%)");
      out_.line("live slots per group:" + histogram(fill_));
    } else {
      uint64_t heads = units_ - evacuated_;
      char load[32];
      std::snprintf(load, sizeof load, "%.2f", heads ? double(live_) / double(heads) : 0.0);
      out_.line("summary: " + std::to_string(heads) + " buckets + " + std::to_string(overflow_) +
                " overflow, " + std::to_string(live_) + " live, " + std::to_string(tombstones_) +
                " tombstones (emptyOne); load factor " + load +
                " entries/bucket (the runtime grows at 6.5)");
      if (old_seen_)
        out_.line("growth in progress: " + std::to_string(evacuated_) + " of " +
                  std::to_string(old_seen_) + " old buckets evacuated" +
                  (being_evacuated_.empty()
                       ? std::string()
                       : "; being evacuated: old bucket " + being_evacuated_list(" ") +
                             " (its entries are counted there, not their copies in the new "
                             "array)"));
      out_.line("chain lengths:" + histogram(chains_));
      out_.line("live slots per bucket:" + histogram(fill_));
    }
    out_.line(
        std::string("occupancy (one character per ") + (swiss_ ? "group" : "bucket chain") +
        ": . empty, 1-8 live slots" + (swiss_ ? "" : ", + overflow chain, x evacuated") +
        (picture_.size() < units_ ? "; first " + std::to_string(picture_.size()) + " shown" : "") +
        "):");
    for (size_t i = 0; i < picture_.size(); i += kPictureWidth)
      out_.line("  " + picture_.substr(i, kPictureWidth));
    for (const auto& w : stats.warnings) out_.line("warning: " + w);
  }

  MapWalker& walker_;
  const MapLayout& layout_;
  const ValueRenderer& renderer_;
  const BucketListing& options_;
  Output& out_;
  bool swiss_, json_;
  bool open_chain_ = false;  // JSON: a classic bucket's chain is open
  std::string tables_json_, key_json_;
  uint64_t live_seen_ = 0;
  std::string want_;
  bool found_ = false;
  uint64_t printed_ = 0, not_printed_ = 0;
  uint64_t old_seen_ = 0;
  std::vector<uint64_t> being_evacuated_;  // old bucket indices
  uint64_t installing_ = 0;
  uint64_t tables_ = 0, units_ = 0, live_ = 0, tombstones_ = 0, overflow_ = 0, evacuated_ = 0;
  uint64_t chain_ = 0, chain_live_ = 0;
  std::map<uint64_t, uint64_t> chains_, fill_;
  std::string picture_;
};

// The bucket (with its overflow chain, not the old array) or group a hash selects.
class HomePrinter : public PhysicalVisitor {
 public:
  HomePrinter(const HashHome& home, BucketPrinter& printer) : home_(home), printer_(printer) {}
  bool bucket(const BucketView& b) override {
    if (b.old || b.index != home_.index || b.table != home_.table) return true;
    found_ = true;
    if (printer_.json_)
      json_ += (json_.empty() ? "" : ", ") + printer_.unit_json(b);
    else
      printer_.print(b);
    return true;
  }
  bool found() const { return found_; }
  std::string json_;  // the bucket's chain, or the group, as JSON objects

 private:
  HashHome home_;
  BucketPrinter& printer_;
  bool found_ = false;
};

}  // namespace

void print_buckets(MapWalker& walker, const MapLayout& layout, const ValueRenderer& renderer,
                   const BucketListing& options, Output& out) {
  BucketPrinter printer(walker, layout, renderer, options, out);
  WalkStats stats = walker.walk_physical(printer, nullptr);
  printer.finish(stats);
  bool swiss = layout.family == MapFamily::Swiss;
  if (options.json) {
    if (options.key && !printer.found() && options.home && options.hash) {
      HomePrinter home(*options.home, printer);
      walker.walk_physical(home, nullptr);
      out << ",\n \"home\": {\"index\": " + std::to_string(options.home->index) +
                 ", \"table\": \"" + hex(options.home->table) + "\", " +
                 (swiss ? "\"groups\": [" : "\"chain\": [") + home.json_ + "]}";
    }
    out << ",\n \"warnings\": [";
    for (size_t i = 0; i < printer.warnings_json_.size(); ++i)
      out << (i ? ", " : "") + json_string(printer.warnings_json_[i]);
    out.line("]}");
    return;
  }
  if (!options.key || printer.found() || !options.home || !options.hash) return;
  std::string where = swiss ? "group " + std::to_string(options.home->index) +
                                  (options.home->table ? " of table " + hex(options.home->table)
                                                       : std::string(" (small map)")) +
                                  ", where its probe sequence starts"
                            : "bucket " + std::to_string(options.home->index);
  out.line("a key with its hash " + hex(*options.hash) + " goes to " + where + ":");
  HomePrinter home(*options.home, printer);
  walker.walk_physical(home, nullptr);
  if (!home.found())
    out.line("(that " + std::string(swiss ? "group" : "bucket") + " is unreadable)");
}

}  // namespace gomapdbg
