#include "commands/map_json.h"

#include <cctype>

#include "commands/map_listing.h"
#include "commands/sync_map_structure.h"
#include "errors.h"
#include "target/expression.h"
#include "values/json_renderer.h"

namespace gomapdbg {

namespace {

// Header fields are text in the walkers: decimal numbers and booleans become
// JSON numbers and booleans, the rest (hex words, flag names) strings.
std::string header_value_json(const std::string& value) {
  if (value == "true" || value == "false") return value;
  bool decimal = !value.empty() && value.size() < 16;
  for (char c : value) decimal = decimal && std::isdigit(static_cast<unsigned char>(c));
  return decimal ? value : json_string(value);
}

// The listing as one JSON object, its entries streamed one per line.
class MapJson : public MapListingSink {
 public:
  MapJson(Target& target, const RenderLimits& limits, const std::string& expression, Output& out)
      : renderer_(target.memory(), &target.binary(), limits), expression_(expression), out_(out) {}

  void nil_map(const MapListing& map) override {
    out_.line(head(map) +
              ", \"len\": 0, \"writing\": false, \"header\": {},\n \"entries\": [], \"shown\": 0, "
              "\"complete\": true, \"warnings\": []}");
  }

  // Written with what follows it: an unreadable header is one error line.
  void header(const MapListing& map) override {
    const MapHeader& header = *map.header;
    head_ = head(map) + ", \"len\": " + std::to_string(header.count) +
            ", \"writing\": " + (header.writing ? "true" : "false") + ",\n \"header\": {";
    for (size_t i = 0; i < header.fields.size(); ++i) {
      if (i) head_ += ", ";
      head_ +=
          json_string(header.fields[i].name) + ": " + header_value_json(header.fields[i].value);
    }
  }

  void begin_physical(const MapListing& map, BucketViewRequest& physical) override {
    out_ << head_ << "},\n ";
    physical.json = &renderer_;
    bool swiss = map.layout.family == MapFamily::Swiss;
    out_ << (physical.key ? "\"physical\": \"key\""
             : swiss      ? "\"physical\": \"groups\", \"groups\": ["
                          : "\"physical\": \"buckets\", \"buckets\": [");
  }

  void sync_structure(const MapListing&, const SyncMapStructure& structure,
                      const WalkStats& stats) override {
    out_ << head_ << "},\n " << sync_structure_json(structure) << ", \"complete\": true";
    warnings_tail(stats);
  }

  void sync_key(const MapListing& map, const std::string& key, const SyncKeyPlace& place,
                const WalkStats& stats) override {
    bool found = place.state != SyncEntryState::Absent;
    std::string text = head_ +
                       "},\n \"physical\": \"sync-key\", \"key_text\": " + json_string(key) +
                       ", \"found\": " + (found ? "true" : "false") + ", \"state\": \"" +
                       sync_entry_state_name(place.state) + "\", \"key\": ";
    if (found)
      renderer_.render(text, *map.layout.key, place.key);
    else
      text += "null";
    text += ", \"value\": ";
    if (place.state == SyncEntryState::Live)
      renderer_.render(text, *map.layout.value, place.value);
    else
      text += "null";
    out_ << text << ", " << sync_key_json(*map.sync, place);
    warnings_tail(stats);
  }

  void begin_entries(const MapListing&) override { out_ << head_ << "},\n \"entries\": ["; }

  void entry(const MapListing& map, const uint8_t* key, const uint8_t* value,
             uint64_t index) override {
    text_.assign(index ? ",\n  {\"key\": " : "\n  {\"key\": ");
    renderer_.render(text_, *map.layout.key, key);
    text_ += ", \"value\": ";
    renderer_.render(text_, *map.layout.value, value);
    text_ += '}';
    out_ << text_;
  }

  void end_entries(const MapListing&, uint64_t shown, const WalkStats& stats) override {
    out_ << (shown ? "\n ],\n \"shown\": " : "],\n \"shown\": ") << std::to_string(shown)
         << ", \"complete\": " << (stats.stopped ? "false" : "true");
    warnings_tail(stats);
  }

 private:
  void warnings_tail(const WalkStats& stats) {
    out_ << ", \"warnings\": [";
    for (size_t i = 0; i < stats.warnings.size(); ++i)
      out_ << (i ? ", " : "") << json_string(stats.warnings[i]);
    out_.line("]}");
  }

  std::string head(const MapListing& map) const {
    const GoValue& value = map.value;
    return "{\"expression\": " + json_string(expression_) +
           ", \"name\": " + json_string(value.origin) +
           ", \"where\": " + (value.where.empty() ? "null" : json_string(value.where)) +
           ", \"address\": " + json_address(map.address) +
           ", \"type\": " + json_string(value.type->name) + ",\n \"layout\": \"" +
           map.layout_name() + "\", \"go_version\": " + json_string(map.go_version);
  }

  JsonRenderer renderer_;
  const std::string& expression_;
  Output& out_;
  std::string head_, text_;
};

}  // namespace

void map_command_json(Target& target, const std::string& expression, const MapOptions& options,
                      Output& out) {
  GoValue value = unwrap_interface(target, evaluate_expression(target, expression, options.type));
  map_value_json(target, value, expression, options, out);
}

void map_value_json(Target& target, const GoValue& value, const std::string& expression,
                    const MapOptions& options, Output& out) {
  MapJson json(target, options.caps.applied_to({}), expression, out);
  list_map(target, value, options, json, out);
}

}  // namespace gomapdbg
