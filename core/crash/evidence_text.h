// How the crash report names places and times in one line of evidence
// (the analysis writes them into the model; the commands print them too).
#pragma once

#include <cstdint>
#include <string>

namespace gomapdbg {

// "main.go:42": the file's base name and the line.
std::string short_position(const std::string& file, int64_t line);
// "main.serveVisit (httpserver.go:25)"
std::string function_at(const std::string& function, const std::string& file, int64_t line);
// "850 ns", "15 µs", "12 ms", "3 s"
std::string duration_text(int64_t ns);

}  // namespace gomapdbg
