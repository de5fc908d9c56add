// How goroutines, frames and threads are printed, shared by go goroutines,
// go bt, go goroutine and go threads (text and --json).
#pragma once

#include <string>

#include "commands/json_writer.h"
#include "commands/output.h"
#include "runtime/goroutines.h"

namespace gomapdbg {

// "goroutine 18 [chan receive]: main.parkRecv /p/main.go:40, created by main.main in goroutine 1"
std::string goroutine_line(const Goroutine& g, const Backtrace* backtrace);
// "goroutine 18 [chan receive]:" (the header of a backtrace)
std::string goroutine_header(const Goroutine& g);
// Frames and notes, indented, at most `depth` frames.
void write_frames(const Backtrace& backtrace, size_t depth, Output& out);
std::string frame_line(size_t index, const Frame& frame);

void json_location(JsonWriter& json, const CodeLocation& location);
void json_frames(JsonWriter& json, const Backtrace& backtrace, size_t depth);
// A goroutine object; frames included when `backtrace` is given.
void json_goroutine(JsonWriter& json, const Goroutine& g, const Backtrace* backtrace, size_t depth);

}  // namespace gomapdbg
