// go report --json: the same model as the text, as one JSON object (see
// README "JSON output").
#include "commands/goroutine_format.h"
#include "commands/goroutines_command.h"
#include "commands/map_json.h"
#include "commands/report_render.h"
#include "values/json_renderer.h"

namespace gomapdbg {

namespace {

constexpr size_t kShownFrames = 12;
constexpr size_t kDepth = 64;

std::string capture(const std::function<void(Output&)>& body) {
  std::string text;
  Output sub([&](const std::string& chunk) { text += chunk; });
  body(sub);
  sub.flush();
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

void json_thread(JsonWriter& json, const ThreadState* thread) {
  json.key("thread");
  if (thread)
    json.value(thread->input.tid);
  else
    json.null();
}

void json_cause(JsonWriter& json, const CrashReport& r) {
  const FatalCause& c = r.cause;
  json.key("fatal").begin_object();
  json.field("kind", fatal_kind_name(c.kind)).field("message", c.message);
  json.field("message_source", c.message_source);
  json.key("goroutine");
  if (r.thrower)
    json.value(r.thrower->goid);
  else
    json.null();
  json_thread(json, r.thread);
  json.key("panics").begin_array();
  for (const std::string& p : c.panics) json.value(p);
  json.end_array();
  json.key("signal");
  if (c.signal) {
    json.begin_object().field("number", c.signal->signo).field("name", c.message);
    json.field("code", c.signal->code).field("origin", c.signal_origin);
    json.key("sender_pid");
    if (c.signal->sender_pid)
      json.value(int64_t{*c.signal->sender_pid});
    else
      json.null();
    json.key("sender_uid");
    if (c.signal->sender_uid)
      json.value(uint64_t{*c.signal->sender_uid});
    else
      json.null();
    json.address_field("fault_address", c.signal->fault_address).end_object();
  } else {
    json.null();
  }
  json_frames(json, r.thrower_backtrace, kDepth);
  json.end_object();
}

void json_touch(JsonWriter& json, const CodeTouch& t) {
  json.begin_object().field("function", t.function).field("via", t.via);
  json.field("callee", t.callee).field("access", access_name(t.access));
  json.field("file", t.file).field("line", t.line).field("by_global", t.by_global);
  json.end_object();
}

void json_accessors(JsonWriter& json, const CrashReport& r) {
  json.key("writers").begin_array();
  for (const Accessor& a : r.competitors.accessors) {
    json.begin_object().field("goroutine", a.goroutine->goid);
    json_thread(json, a.thread);
    json.field("function", a.function);
    json.field("access", a.access ? access_name(*a.access) : "");
    json.field("certainty", certainty_name(a.certainty));
    json.key("evidence").begin_array();
    for (const Evidence& e : a.evidence)
      json.begin_object()
          .field("kind", evidence_kind_name(e.kind))
          .field("text", e.text)
          .field("frame", uint64_t{e.frame})
          .end_object();
    json.end_array();
    json.key("created_by");
    json_location(json, a.goroutine->created_by);
    json_frames(json, a.backtrace, kShownFrames);
    json.end_object();
  }
  json.end_array();
  json.key("candidates").begin_array();
  for (const Candidate& c : r.competitors.candidates)
    json.begin_object().field("goroutine", c.goroutine->goid).field("why", c.why).end_object();
  json.end_array();
}

void json_static_accessors(JsonWriter& json, const CrashReport& r) {
  json.key("static_accessors").begin_array();
  for (const StaticAccessor& s : r.static_accessors) {
    json.begin_object().field("function", s.function).field("file", s.file).field("line", s.line);
    json.key("map_calls").begin_array();
    for (const CodeTouch& t : s.map_calls) json_touch(json, t);
    json.end_array().end_object();
  }
  json.end_array();
}

void json_write_log(JsonWriter& json, const CrashReport& r) {
  json.key("write_log");
  if (!r.write_log) {
    json.null();
    return;
  }
  const WriteLog& log = *r.write_log;
  json.begin_object().field("watched", log.watched).field("recorded", log.recorded);
  json.field("lost", log.lost).field("throw_time_exact", log.throw_time_exact);
  json.key("entries").begin_array();
  for (const WriteLogEntry& e : log.entries) {
    json.begin_object().field("goroutine", e.goid).field("thread", e.tid);
    json.field("function", e.location.function).field("file", e.location.file);
    json.field("line", e.location.line).address_field("pc", e.location.pc);
    json.field("access", e.access ? access_name(*e.access) : "");
    json.field("before_throw_ns", e.before_throw_ns).field("thrower", e.thrower);
    json.key("callers").begin_array();
    for (const CodeLocation& c : e.callers) json_location(json, c);
    json.end_array().end_object();
  }
  json.end_array().end_object();
}

void json_map(JsonWriter& json, Target& target, const CrashReport& r,
              const ReportOptions& options) {
  json.key("map");
  if (r.map && r.about_a_map()) {
    MapOptions map_options{r.map->type->name, options.entries, options.all, options.buckets,
                           std::nullopt};
    map_options.caps = options.caps;
    json.json_text(capture([&](Output& sub) {
      map_value_json(target, r.map->value(), hex(r.map->address), map_options, sub);
    }));
  } else {
    json.null();
  }
  json.field("map_found_by", r.map ? r.map->found_by : std::string());
  json.field("map_name", r.map ? r.map->name : std::string());
  json.key("conflict_key");
  if (r.key) {
    std::string bucket = capture([&](Output& sub) { write_key_bucket(target, r, sub); });
    // Typed as the map's entries are (an int key a number), from its bytes.
    std::string key;
    JsonRenderer(target.memory(), &target.binary())
        .render(key, *r.layout->key, r.key->bytes.data());
    json.begin_object().key("key").json_text(key);
    json.field("where", r.key->where + " in " + r.key_owner);
    json.field("bucket", bucket).end_object();
  } else {
    json.null();
  }
}

}  // namespace

void render_report_json(Target& target, const RuntimeSnapshot& snapshot, const CrashReport& r,
                        const ReportOptions& options, Output& out) {
  const GoBuildInfo& build = target.binary().build_info();
  JsonWriter json;
  json.begin_object().field("verdict", r.verdict()).field("go_version", build.version);
  json.field("map_layout", target.binary().map_layout_name());
  json.field("thrown", r.thrown);
  json_cause(json, r);
  json_map(json, target, r, options);
  json_accessors(json, r);
  json_static_accessors(json, r);
  json_write_log(json, r);
  json.key("goroutines").json_text(capture([&](Output& sub) {
    GoroutinesOptions g;
    g.group = true;
    g.json = true;
    goroutines_listing(target, snapshot, g, sub);
  }));
  json_warnings(json, r.warnings);
  json.end_object();
  out.line(json.str());
}

}  // namespace gomapdbg
