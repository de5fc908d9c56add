#include "commands/map_command.h"

#include <charconv>

#include "commands/map_buckets.h"
#include "errors.h"
#include "maps/hash_home.h"
#include "maps/key_hash.h"
#include "maps/map_walker.h"
#include "target/expression.h"
#include "values/value_renderer.h"

namespace gomapdbg {

void hash_integer_key(Target& target, const MapLayout& layout, uint64_t map,
                      const std::string& text, BucketListing& listing) {
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

namespace {

void map_body(Target& target, const GoValue& value, const MapOptions& options, Output& out,
              const std::vector<std::string>& problems);

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
    map_body(target, find(), options, out, problems);
  } catch (const Error& e) {
    if (problems.empty()) throw;
    std::string why;
    for (const std::string& p : problems) why += "; " + p;
    throw Error(std::string(e.what()) + " (" + why.substr(2) + ")");
  }
}

namespace {

void map_body(Target& target, const GoValue& value, const MapOptions& options, Output& out,
              const std::vector<std::string>& problems) {
  if (value.type->kind != GoKind::Map)
    throw UsageError(value.describe() + " is a " + value.type->name + ", not a map");
  MapLayout layout = map_layout(*value.type);
  uint64_t address = load<uint64_t>(value.bytes.data());
  const GoBuildInfo& build = target.binary().build_info();

  std::string title = value.describe() + ": " + value.type->name + " @ " + hex(address);
  std::string layout_line = std::string("layout: ") + layout.name();
  if (!build.version.empty()) layout_line += " (" + build.version + ")";
  if (!address) {
    out.line(title);
    out.line(layout_line + ", nil map, len 0");
    for (const auto& p : problems) out.line("warning: " + p);
    return;
  }
  // Read the header before printing anything: an unreadable one is one error line.
  auto walker = make_map_walker(target.memory(), layout, address);
  const MapHeader& header = walker->header();
  out.line(title);
  out.line(layout_line + ", len " + std::to_string(header.count));
  std::string fields = "header:";
  for (const auto& f : header.fields) fields += " " + f.name + "=" + f.value;
  out.line(fields);
  if (header.writing)
    out.line("note: the map is being written (a write was in progress when it stopped)");

  uint64_t limit = options.all ? UINT64_MAX : options.limit;
  ValueRenderer renderer(target.memory(), &target.binary());
  if (options.buckets || options.key) {
    BucketListing listing{limit, options.key, std::nullopt, std::nullopt};
    listing.total = header.count;
    if (options.key) hash_integer_key(target, layout, address, *options.key, listing);
    print_buckets(*walker, layout, renderer, listing, out);
    return;
  }
  std::string text;
  uint64_t shown = 0;
  out.line("entries:");
  WalkStats stats = walker->walk([&](const uint8_t* key, const uint8_t* val) {
    if (shown == limit) return false;
    text.assign("  ");
    renderer.render(text, *layout.key, key);
    text += ": ";
    renderer.render(text, *layout.value, val);
    out.line(text);
    ++shown;
    out.tick(shown, header.count);
    return true;
  });
  out.progress_done();
  if (stats.stopped)
    out.line("(" + std::to_string(shown) + " of " + std::to_string(header.count) +
             " entries shown; --all shows every entry)");
  else
    out.line("(" + std::to_string(shown) + " entries)");
  for (const auto& w : stats.warnings) out.line("warning: " + w);
  for (const auto& p : problems) out.line("warning: " + p);
}

}  // namespace

}  // namespace gomapdbg
