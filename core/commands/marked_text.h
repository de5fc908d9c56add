// The things every text view shows, each marked by its role in one place:
// addresses, function names, file:line positions. Renderers use these
// instead of marking by hand, so an address is blue in every command.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "commands/text_style.h"
#include "runtime/goroutines.h"

namespace gomapdbg {

// "0xc000012345", an address in the target.
std::string address_text(uint64_t address);
// "0x0000000000401000": an address as wide as every other (a frame's pc).
std::string padded_address_text(uint64_t address);
std::string function_text(std::string_view name);
// "/src/app/main.go:42"; "?" when the file is unknown.
std::string file_line_text(const std::string& file, int64_t line);
// "main.go:42": the file's base name and the line.
std::string short_position_text(const std::string& file, int64_t line);
// "main.writer main.go:42".
std::string function_position_text(const std::string& function, const std::string& file,
                                   int64_t line);
std::string location_text(const CodeLocation& l);
// Prose the lower layers wrote (evidence, warnings, why a candidate is
// one): they know nothing of marks, as their text goes to JSON and errors
// too. Marks its addresses (0x and 6 hex digits or more), its FILE.go:LINE
// positions and the functions it names the way the analysis writes them:
// "argument of F", "inside F", "in F", "frame F", "F's call", "F (FILE:LINE)".
std::string marked_prose(std::string_view text);
// "warning: TEXT", its prefix marked, TEXT as prose.
std::string warning_line(std::string_view text);

}  // namespace gomapdbg
