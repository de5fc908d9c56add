// `--goroutine GOID --frame N` on go map, go print and go locals: locals and
// arguments of a frame found by the tool's own unwinder, numbered as `go bt`
// numbers them. It reaches frames the debugger cannot select: parked
// goroutines, and goroutine frames behind a system-stack switch on a core.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "target/target.h"

namespace gomapdbg {

// Makes that frame the target's selected frame; returns a one-line
// description ("goroutine 1, frame 3: main.inspect at main.go:190"), its
// function and position marked (write it with the text style).
// `frame` is a number, or a function name for its innermost frame. Without
// a GOID: the goroutine `go bt` shows by default (the selected thread's,
// else the crashing one).
std::string select_goroutine_frame(Target& target, std::optional<uint64_t> goid,
                                   const std::string& frame);

// The functions of that goroutine's frames, innermost first (frame N is
// element N), for completing --frame.
std::vector<std::string> goroutine_frame_functions(Target& target, std::optional<uint64_t> goid);

}  // namespace gomapdbg
