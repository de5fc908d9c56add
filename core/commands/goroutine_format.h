// How goroutines, frames and threads are printed, shared by go goroutines,
// go bt, go goroutine and go threads (text and --json).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "commands/json_writer.h"
#include "commands/output.h"
#include "runtime/goroutines.h"

namespace gomapdbg {

// "goroutine 18 [chan receive]: main.parkRecv /p/main.go:40, created by main.main in goroutine 1"
std::string goroutine_line(const Goroutine& g, const Backtrace* backtrace);
// "goroutine 18 [chan receive]:" (the header of a backtrace)
std::string goroutine_header(const Goroutine& g);
// "thread 4242 (#3)": the OS thread id, and the debugger's own number for
// it (what `thread 3` in GDB, `thread select 3` in LLDB take), when known.
std::string thread_name(int64_t tid, std::optional<int64_t> number);
// Frames and notes, indented, at most `depth` frames.
void write_frames(const Backtrace& backtrace, size_t depth, Output& out);
std::string frame_line(size_t index, const Frame& frame);

void json_location(JsonWriter& json, const CodeLocation& location);
void json_location(JsonWriter& json, const std::string& function, const std::string& file,
                   int64_t line, uint64_t pc);
void json_frames(JsonWriter& json, const Backtrace& backtrace, size_t depth);
// A goroutine object; frames included when `backtrace` is given, and the
// fields `more` writes (go goroutines --blocked-on's semaphore).
void json_goroutine(JsonWriter& json, const Goroutine& g, const Backtrace* backtrace, size_t depth,
                    const std::function<void(JsonWriter&)>& more = {});

// Goroutine GOID, or NotFoundError pointing to `go goroutines`.
const Goroutine& goroutine_by_id(const RuntimeSnapshot& snapshot, uint64_t goid);
// The goroutine a command means when given none (go bt, --frame): the
// selected thread's, else the crashing one; nullptr when neither exists.
const Goroutine* default_goroutine(const RuntimeSnapshot& snapshot);

// What is damaged or missing (the target's warnings, then the snapshot's):
// "warning: ..." lines before a command's output, or a "warnings" array.
std::vector<std::string> runtime_warnings(const Target& target, const RuntimeSnapshot& snapshot);
void write_warnings(const std::vector<std::string>& warnings, Output& out);
void json_warnings(JsonWriter& json, const std::vector<std::string>& warnings);

// Runs a command's body; an error it throws also says what is wrong with
// the target (a truncated core, a core of another executable), if anything.
void explain_errors(Target& target, const std::function<void()>& body);

}  // namespace gomapdbg
