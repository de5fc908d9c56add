#include "commands/map_command.h"

#include "commands/map_listing.h"
#include "commands/marked_text.h"
#include "commands/sync_map_structure.h"
#include "errors.h"
#include "target/expression.h"
#include "values/value_renderer.h"

namespace gomapdbg {

namespace {

// The listing as text: title and header lines, then "  KEY: VALUE" lines.
class MapText : public MapListingSink {
 public:
  MapText(Target& target, const RenderLimits& limits, const std::vector<std::string>& problems,
          Output& out)
      : renderer_(target.memory(), &target.binary(), limits), problems_(problems), out_(out) {}

  void nil_map(const MapListing& map) override {
    out_.line(title(map));
    out_.line(layout_line(map) + ", nil map, len 0");
    warn_problems();
  }

  void header(const MapListing& map) override {
    out_.line(title(map));
    out_.line(layout_line(map) + ", len " + std::to_string(map.header->count));
    std::string fields = "header:";
    for (const auto& f : map.header->fields)
      fields += " " + f.name + "=" + (f.address ? styled(Role::Address, f.value) : f.value);
    out_.line(fields);
    if (map.header->writing)
      out_.line("note: the map is being written (a write was in progress when it stopped)");
  }

  void begin_physical(const MapListing&, BucketViewRequest&) override {}

  void sync_structure(const MapListing&, const SyncMapStructure& structure,
                      const WalkStats& stats) override {
    for (const std::string& line : sync_structure_lines(structure)) out_.line(line);
    for (const auto& w : stats.warnings) out_.line(warning_line(w));
    warn_problems();
  }
  void sync_key(const MapListing& map, const std::string& key, const SyncKeyPlace& place,
                const WalkStats& stats) override {
    if (place.state == SyncEntryState::Absent) {
      out_.line("key " + key + ": not in the map");
    } else {
      text_ = "key ";
      renderer_.render(text_, *map.layout.key, place.key);
      text_ += ": ";
      if (place.state == SyncEntryState::Live)
        renderer_.render(text_, *map.layout.value, place.value);
      else
        text_ += sync_entry_state_name(place.state);
      out_.line(text_);
    }
    for (const std::string& line : sync_key_lines(*map.sync, place)) out_.line(line);
    for (const auto& w : stats.warnings) out_.line(warning_line(w));
    warn_problems();
  }

  void begin_entries(const MapListing&) override { out_.line("entries:"); }

  void entry(const MapListing& map, const uint8_t* key, const uint8_t* value, uint64_t) override {
    text_.assign("  ");
    renderer_.render(text_, *map.layout.key, key);
    text_ += ": ";
    renderer_.render(text_, *map.layout.value, value);
    out_.line(text_);
  }

  void end_entries(const MapListing& map, uint64_t shown, const WalkStats& stats) override {
    if (stats.stopped)
      out_.line("(" + std::to_string(shown) + " of " + std::to_string(map.header->count) +
                " entries shown; --all shows every entry)");
    else
      out_.line("(" + std::to_string(shown) + " entries)");
    for (const auto& w : stats.warnings) out_.line(warning_line(w));
    warn_problems();
  }

 private:
  static std::string title(const MapListing& map) {
    return map.value.describe() + ": " + map.value.type->name + " @ " + address_text(map.address);
  }
  static std::string layout_line(const MapListing& map) {
    std::string line = std::string("layout: ") + map.layout_name();
    if (!map.go_version.empty()) line += " (" + map.go_version + ")";
    return line;
  }
  void warn_problems() {
    for (const auto& p : problems_) out_.line(warning_line(p));
  }

  ValueRenderer renderer_;
  const std::vector<std::string>& problems_;
  Output& out_;
  std::string text_;
};

}  // namespace

void map_command(Target& target, const std::string& expression, const MapOptions& options,
                 Output& out) {
  map_value_command(
      target,
      [&] {
        return unwrap_interface(target, evaluate_expression(target, expression, options.type));
      },
      options, out);
}

void map_value_command(Target& target, const std::function<GoValue()>& find,
                       const MapOptions& options, Output& out) {
  // A truncated core or a core of another executable: said after the
  // output, or in the error.
  std::vector<std::string> problems;
  if (options.target_warnings) problems = target.warnings();
  try {
    MapText text(target, options.caps.applied_to({}), problems, out);
    list_map(target, find(), options, text, out);
  } catch (const Error& e) {
    if (problems.empty()) throw;
    std::string why;
    for (const std::string& p : problems) why += "; " + p;
    throw Error(std::string(e.what()) + " (" + why.substr(2) + ")");
  }
}

}  // namespace gomapdbg
