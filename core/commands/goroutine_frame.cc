#include "commands/goroutine_frame.h"

#include <algorithm>

#include "commands/goroutine_format.h"
#include "commands/marked_text.h"
#include "errors.h"
#include "runtime/goroutines.h"

namespace gomapdbg {

namespace {

constexpr size_t kFunctionSearchDepth = 1000;  // how deep a function name is searched for

std::optional<size_t> frame_number(const std::string& text) {
  if (text.empty() || text.size() > 6 || !std::all_of(text.begin(), text.end(), ::isdigit))
    return std::nullopt;
  return std::stoul(text);
}

// GOID's goroutine, or without one the goroutine `go bt` shows by default.
const Goroutine& frames_goroutine(const RuntimeSnapshot& snapshot, std::optional<uint64_t> goid) {
  const Goroutine* g = goid ? &goroutine_by_id(snapshot, *goid) : default_goroutine(snapshot);
  if (!g)
    throw NotFoundError(
        "the selected thread runs no goroutine (idle or not a Go thread): give --goroutine");
  return *g;
}

// Whether a frame of `function` is one of `wanted`: the same name, or an
// instance of the generic function `wanted` names without its type
// arguments ("main.f" or "main.f[...]" for "main.f[go.shape.int]", the
// name pclntab gives it from go1.21 on; earlier ones say "main.f[...]").
bool names_function(const std::string& function, const std::string& wanted) {
  if (function == wanted) return true;
  static const std::string kAnyArguments = "[...]";
  std::string base = wanted;
  if (base.size() > kAnyArguments.size() &&
      base.compare(base.size() - kAnyArguments.size(), kAnyArguments.size(), kAnyArguments) == 0)
    base.resize(base.size() - kAnyArguments.size());
  return function.size() > base.size() && function.compare(0, base.size(), base) == 0 &&
         function[base.size()] == '[';
}

}  // namespace

std::vector<std::string> goroutine_frame_functions(Target& target, std::optional<uint64_t> goid) {
  RuntimeSnapshot snapshot(target);
  std::vector<std::string> functions;
  for (const Frame& f :
       snapshot.backtrace(frames_goroutine(snapshot, goid), kFunctionSearchDepth).frames)
    functions.push_back(f.function);
  return functions;
}

std::string select_goroutine_frame(Target& target, std::optional<uint64_t> goid,
                                   const std::string& frame) {
  RuntimeSnapshot snapshot(target);
  const Goroutine* g = &frames_goroutine(snapshot, goid);
  std::string who = "goroutine " + std::to_string(g->goid);
  std::string see = " (see go bt " + std::to_string(g->goid) + ")";
  auto number = frame_number(frame);
  Backtrace bt = snapshot.backtrace(*g, number ? *number + 1 : kFunctionSearchDepth);
  if (!number) {
    for (size_t i = 0; i < bt.frames.size() && !number; ++i)
      if (names_function(bt.frames[i].function, frame)) number = i;
    if (!number) throw NotFoundError(who + " has no frame of " + frame + see);
  }
  if (*number >= bt.frames.size())
    throw NotFoundError(who + " has " + std::to_string(bt.frames.size()) + " frames, no frame " +
                        std::to_string(*number) + see);
  const Frame& f = bt.frames[*number];
  target.select_frame(FrameInput{f.pc, f.sp, f.trap, f.registers, f.inline_depth}, f.dwarf_state());
  return who + ", frame " + std::to_string(*number) + ": " + function_text(f.function) + " at " +
         file_line_text(f.file, f.line);
}

}  // namespace gomapdbg
