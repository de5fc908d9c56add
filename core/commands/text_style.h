// Colour and width of text output, decided by the front end per command.
// Text renderers mark spans by role and the places where a long line breaks
// first; the Output sink paints the spans with ANSI SGR sequences (GDB's
// default styles) when colour is on, breaks lines longer than the width, and
// drops the marks otherwise. JSON output never carries marks.
#pragma once

#include <string>
#include <string_view>

namespace gomapdbg {

struct TextStyle {
  bool colour = false;
  size_t width = 0;  // terminal columns; 0: lines are never broken
};

// What a span of text is. The colours follow GDB's default `show style`:
// function yellow, filename green, address blue, title bold, highlight red.
enum class Role : char {
  Function = 'f',  // yellow
  File = 'F',      // green: a file or file:line
  Address = 'a',   // blue
  Verdict = 'v',   // bold red: what the report concludes
  Certain = 'C',   // bold red: an accessor named with certainty
  Likely = 'L',    // magenta: an accessor named as likely
  Warning = 'w',   // bold yellow: the "warning" prefix
  Heading = 'h',   // bold: a section heading
};

// `text` marked as `role` (marks are control bytes Go-quoted values never hold).
std::string styled(Role role, std::string_view text);
// Where a line too long for the width breaks first: there and at every other
// such mark, each part continuing on the next line, indented by 4 more.
inline constexpr std::string_view kBreakHere{"\x1d", 1};

// Whether a line needs render_line: it has marks, or may be too wide.
bool needs_rendering(std::string_view line, const TextStyle& style);
// Appends `line` as printed (painted or plain, broken at the width), each
// output line ending in '\n'.
void render_line(std::string_view line, const TextStyle& style, std::string& out);

}  // namespace gomapdbg
