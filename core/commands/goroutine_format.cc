#include "commands/goroutine_format.h"

#include "commands/marked_text.h"
#include "errors.h"
#include "runtime/runtime_clock.h"
#include "runtime/wait_reasons.h"

namespace gomapdbg {

std::string goroutine_header(const Goroutine& g) {
  std::string s = "goroutine " + std::to_string(g.goid) + " [" + g.state();
  if (g.waited_ns) s += std::string(g.waited_exact ? ", " : ", ≥") + format_duration(*g.waited_ns);
  if (g.locked) s += ", locked to thread";
  if (g.tid) s += ", " + thread_name(*g.tid, g.thread_number);
  s += "]";
  return s;
}

std::string thread_name(int64_t tid, std::optional<int64_t> number) {
  std::string name = "thread " + std::to_string(tid);
  if (number) name += " (#" + std::to_string(*number) + ")";
  return name;
}

std::string goroutine_line(const Goroutine& g, const Backtrace* backtrace) {
  std::string s = goroutine_header(g) + ": ";
  const Frame* f = backtrace ? user_frame(*backtrace) : nullptr;
  if (f)
    s += function_text(f->function) + " " + file_line_text(f->file, f->line);
  else
    s += "(no frames)";
  if (g.system) s += " (system)";
  s += ", created by " + function_text(g.created_by.function);
  if (g.parent_goid && *g.parent_goid) s += " in goroutine " + std::to_string(*g.parent_goid);
  return s;
}

std::string frame_line(size_t index, const Frame& f) {
  std::string s = "#" + std::to_string(index);
  s.append(index < 10 ? "  " : " ");
  s += padded_address_text(f.pc) + " in " + function_text(f.function) + std::string(kBreakHere) +
       " at " + file_line_text(f.file, f.line);
  if (f.inlined) s += " (inlined)";
  if (f.stack == StackKind::G0 || f.stack == StackKind::Gsignal)
    s += std::string(" [") + stack_kind_name(f.stack) + "]";
  return s;
}

void write_frames(const Backtrace& bt, size_t depth, Output& out) {
  size_t note = 0;
  size_t shown = std::min(depth, bt.frames.size());
  for (size_t i = 0; i < shown; ++i) {
    for (; note < bt.notes.size() && bt.notes[note].before_frame <= i; ++note)
      out.line("    " + marked_prose(bt.notes[note].text));
    out.line("  " + frame_line(i, bt.frames[i]));
  }
  if (shown < bt.frames.size()) {
    out.line("    (" + counted(bt.frames.size() - shown, "more frame") + ")");
    return;
  }
  for (; note < bt.notes.size(); ++note) out.line("    " + marked_prose(bt.notes[note].text));
  if (!bt.complete) out.line("    (stack ends: " + marked_prose(bt.stop_reason) + ")");
}

void json_location(JsonWriter& json, const CodeLocation& l) {
  json_location(json, l.function, l.file, l.line, l.pc);
}

void json_location(JsonWriter& json, const std::string& function, const std::string& file,
                   int64_t line, uint64_t pc) {
  json.begin_object()
      .field("function", function)
      .field("file", file)
      .field("line", line)
      .address_field("pc", pc)
      .end_object();
}

void json_frames(JsonWriter& json, const Backtrace& bt, size_t depth) {
  json.key("frames").begin_array();
  for (size_t i = 0; i < bt.frames.size() && i < depth; ++i) {
    const Frame& f = bt.frames[i];
    json.begin_object()
        .field("function", f.function)
        .field("file", f.file)
        .field("line", f.line)
        .address_field("pc", f.pc)
        .address_field("sp", f.sp)
        .address_field("cfa", f.cfa)
        .field("inlined", f.inlined)
        .field("stack", stack_kind_name(f.stack))
        .end_object();
  }
  json.end_array();
  json.key("notes").begin_array();
  for (const StackNote& n : bt.notes)
    json.begin_object()
        .field("before_frame", uint64_t{n.before_frame})
        .field("text", n.text)
        .end_object();
  json.end_array();
  json.field("complete", bt.complete);
  json.field("stop_reason", bt.stop_reason);
}

void json_goroutine(JsonWriter& json, const Goroutine& g, const Backtrace* bt, size_t depth,
                    const std::function<void(JsonWriter&)>& more) {
  json.begin_object()
      .field("goid", g.goid)
      .address_field("g", g.g)
      .field("status", status_name(g.status))
      .field("state", g.state())
      .field("wait_reason", g.wait_reason)
      .field("waitsince", g.waitsince)
      .field("waited_ns", g.waited_ns)
      .field("system", g.system)
      .field("locked", g.locked)
      .field("thread", g.tid)
      .field("m", g.m_id)
      .field("parent_goid", g.parent_goid);
  json.key("start");
  json_location(json, g.start);
  json.key("created_by");
  json_location(json, g.created_by);
  if (bt) {
    json.key("location");
    if (const Frame* f = user_frame(*bt))
      json_location(json, f->function, f->file, f->line, f->pc);
    else
      json.null();
    if (depth) json_frames(json, *bt, depth);
  }
  if (more) more(json);
  json.end_object();
}

const Goroutine& goroutine_by_id(const RuntimeSnapshot& snapshot, uint64_t goid) {
  const Goroutine* g = snapshot.find(goid);
  if (!g) throw NotFoundError("no goroutine " + std::to_string(goid) + " (see go goroutines)");
  return *g;
}

const Goroutine* default_goroutine(const RuntimeSnapshot& snapshot) {
  if (const Goroutine* g = snapshot.selected()) return g;
  if (auto crash = snapshot.crash(); crash && crash->goid) return snapshot.find(crash->goid);
  return nullptr;
}

std::vector<std::string> runtime_warnings(const Target& target, const RuntimeSnapshot& snapshot) {
  std::vector<std::string> out = target.warnings();
  out.insert(out.end(), snapshot.warnings().begin(), snapshot.warnings().end());
  return out;
}

void write_warnings(const std::vector<std::string>& warnings, Output& out) {
  for (const std::string& w : warnings) out.line(warning_line(w));
}

void json_warnings(JsonWriter& json, const std::vector<std::string>& warnings) {
  json.key("warnings").begin_array();
  for (const std::string& w : warnings) json.value(w);
  json.end_array();
}

void explain_errors(Target& target, const std::function<void()>& body) {
  try {
    body();
  } catch (const Error& e) {
    std::string why;
    for (const std::string& w : target.warnings()) why += "; " + w;
    // Said once, also when a command runs another (go report, go goroutines).
    if (why.empty() || std::string(e.what()).find(why.substr(2)) != std::string::npos) throw;
    throw Error(std::string(e.what()) + " (" + why.substr(2) + ")");
  }
}

}  // namespace gomapdbg
