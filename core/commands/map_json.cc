#include "commands/map_json.h"

#include <cctype>

#include "commands/map_buckets.h"
#include "errors.h"
#include "maps/map_walker.h"
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

}  // namespace

void map_command_json(Target& target, const std::string& expression, const MapOptions& options,
                      Output& out) {
  GoValue value = unwrap_interface(target, evaluate_expression(target, expression, options.type));
  map_value_json(target, value, expression, options, out);
}

void map_value_json(Target& target, const GoValue& value, const std::string& expression,
                    const MapOptions& options, Output& out) {
  if (value.type->kind != GoKind::Map)
    throw UsageError(value.describe() + " is a " + value.type->name + ", not a map");
  MapLayout layout = map_layout(*value.type);
  uint64_t address = load<uint64_t>(value.bytes.data());
  std::string head =
      "{\"expression\": " + json_string(expression) + ", \"name\": " + json_string(value.origin) +
      ", \"where\": " + (value.where.empty() ? "null" : json_string(value.where)) +
      ", \"address\": \"" + hex(address) + "\", \"type\": " + json_string(value.type->name) +
      ",\n \"layout\": \"" + layout.name() +
      "\", \"go_version\": " + json_string(target.binary().build_info().version);
  if (!address) {
    out.line(head +
             ", \"len\": 0, \"writing\": false, \"header\": {},\n \"entries\": [], \"shown\": 0, "
             "\"complete\": true, \"warnings\": []}");
    return;
  }
  // Read the header before printing anything: an unreadable one is one error line.
  auto walker = make_map_walker(target.memory(), layout, address);
  const MapHeader& header = walker->header();
  head += ", \"len\": " + std::to_string(header.count) +
          ", \"writing\": " + (header.writing ? "true" : "false") + ",\n \"header\": {";
  for (size_t i = 0; i < header.fields.size(); ++i) {
    if (i) head += ", ";
    head += json_string(header.fields[i].name) + ": " + header_value_json(header.fields[i].value);
  }
  uint64_t limit = options.all ? UINT64_MAX : options.limit;
  JsonRenderer renderer(target.memory(), &target.binary());
  if (options.buckets || options.key) {
    out << head << "},\n ";
    ValueRenderer text_renderer(target.memory(), &target.binary());  // matches --key's text
    BucketListing listing{limit, options.key, std::nullopt, std::nullopt};
    listing.total = header.count;
    listing.json = &renderer;
    bool swiss = layout.family == MapFamily::Swiss;
    out << (options.key ? "\"physical\": \"key\""
            : swiss     ? "\"physical\": \"groups\", \"groups\": ["
                        : "\"physical\": \"buckets\", \"buckets\": [");
    if (options.key) hash_integer_key(target, layout, address, *options.key, listing);
    print_buckets(*walker, layout, text_renderer, listing, out);
    return;
  }
  out << head << "},\n \"entries\": [";
  std::string text;
  uint64_t shown = 0;
  WalkStats stats = walker->walk([&](const uint8_t* key, const uint8_t* val) {
    if (shown == limit) return false;
    text.assign(shown ? ",\n  {\"key\": " : "\n  {\"key\": ");
    renderer.render(text, *layout.key, key);
    text += ", \"value\": ";
    renderer.render(text, *layout.value, val);
    text += '}';
    out << text;
    ++shown;
    out.tick(shown, header.count);
    return true;
  });
  out.progress_done();
  out << (shown ? "\n ],\n \"shown\": " : "],\n \"shown\": ") << std::to_string(shown)
      << ", \"complete\": " << (stats.stopped ? "false" : "true") << ", \"warnings\": [";
  for (size_t i = 0; i < stats.warnings.size(); ++i)
    out << (i ? ", " : "") << json_string(stats.warnings[i]);
  out.line("]}");
}

}  // namespace gomapdbg
