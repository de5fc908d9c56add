#include "commands/threads_command.h"

#include "commands/goroutine_format.h"
#include "commands/marked_text.h"
#include "errors.h"
#include "runtime/goroutines.h"

namespace gomapdbg {

static void list_threads(Target& target, bool json_out, Output& out) {
  RuntimeSnapshot snapshot(target);
  std::vector<std::string> warnings = runtime_warnings(target, snapshot);
  if (!json_out) write_warnings(warnings, out);
  if (snapshot.threads().empty())
    throw NotFoundError("the debugger reports no threads (no process or core?)");
  auto crash = snapshot.crash();
  const Memory& memory = target.memory();
  const Architecture& arch = target.architecture();
  JsonWriter json;
  if (json_out) json.begin_object().key("threads").begin_array();
  for (const ThreadState& t : snapshot.threads()) {
    uint64_t curg_goid = 0;
    if (t.m && t.m->curg) memory.read_prefix(t.m->curg + snapshot.layout().g.goid, &curg_goid, 8);
    Backtrace bt = snapshot.backtrace(t, 1);
    CodeLocation at = snapshot.locate(t.reg(arch.pc), false);
    bool crashed = crash && crash->tid == t.input.tid;
    if (json_out) {
      json.begin_object()
          .field("tid", t.input.tid)
          .field("number", t.input.number)
          .field("selected", t.input.selected)
          .field("crashed", crashed)
          .address_field("pc", t.reg(arch.pc))
          .address_field("sp", t.reg(arch.sp))
          .field("found_by", t.found_by)
          .field("on", stack_kind_name(t.on));
      json.key("m");
      t.m ? json.value(t.m->id) : json.null();
      json.key("curg");
      curg_goid ? json.value(curg_goid) : json.null();
      json.key("location");
      json_location(json, at);
      json.end_object();
      continue;
    }
    std::string line =
        std::string(t.input.selected ? "* " : "  ") + thread_name(t.input.tid, t.input.number);
    if (t.m) {
      line += " M" + std::to_string(t.m->id);
      // On the goroutine's own stack the goroutine says it all; else name the system stack.
      if (t.on != StackKind::Goroutine) line += std::string(" on ") + stack_kind_name(t.on);
      line += curg_goid ? ", goroutine " + std::to_string(curg_goid) : ", no goroutine";
    } else {
      line += " (no M found)";
    }
    if (crashed) line += ", crashed";
    line += ": " + function_text(at.function);
    if (!at.file.empty()) line += " " + file_line_text(at.file, at.line);
    line += " (pc " + address_text(t.reg(arch.pc)) + " sp " + address_text(t.reg(arch.sp)) + ")";
    out.line(line);
  }
  if (json_out) {
    json.end_array();
    json_warnings(json, warnings);
    json.end_object();
    out.line(json.str());
  }
}

void threads_command(Target& target, bool json_out, Output& out) {
  explain_errors(target, [&] { list_threads(target, json_out, out); });
}

}  // namespace gomapdbg
