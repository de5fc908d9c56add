#include "commands/text_style.h"

#include <algorithm>
#include <vector>

namespace gomapdbg {

namespace {

constexpr char kSpanBegin = '\x1e';  // followed by the role's char
constexpr char kSpanEnd = '\x1f';
constexpr char kBreak = '\x1d';
constexpr size_t kContinuationIndent = 4;  // as GDB's bt indents "at file:line"
constexpr std::string_view kReset = "\x1b[m";

std::string_view sgr(char role) {
  switch (static_cast<Role>(role)) {
    case Role::Function:
      return "\x1b[33m";
    case Role::File:
      return "\x1b[32m";
    case Role::Address:
      return "\x1b[34m";
    case Role::Verdict:
    case Role::Certain:
      return "\x1b[1;31m";
    case Role::Likely:
      return "\x1b[35m";
    case Role::Warning:
      return "\x1b[1;33m";
    case Role::Heading:
      return "\x1b[1m";
  }
  return {};
}

// A line without its marks: the text, each byte's role (0: none) and where
// the break marks were.
struct Plain {
  std::string text;
  std::string roles;
  std::vector<size_t> breaks;
};

Plain parse(std::string_view line) {
  Plain p;
  char role = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == kSpanBegin && i + 1 < line.size()) {
      role = line[++i];
    } else if (c == kSpanEnd) {
      role = 0;
    } else if (c == kBreak) {
      p.breaks.push_back(p.text.size());
    } else {
      p.text += c;
      p.roles += role;
    }
  }
  return p;
}

bool starts_character(char c) { return (static_cast<unsigned char>(c) & 0xc0) != 0x80; }

// Terminal columns of text[from, to): one per UTF-8 character.
size_t columns(const std::string& text, size_t from, size_t to) {
  size_t n = 0;
  for (size_t i = from; i < to; ++i) n += starts_character(text[i]);
  return n;
}

using Row = std::pair<size_t, size_t>;  // [begin, end) of Plain::text

// Where the row starting at `from` ends: at the last space that keeps it
// within `avail` columns, or after its first word if that alone is wider;
// npos when no space is left to break at.
size_t row_end(const std::string& text, size_t from, size_t to, size_t avail) {
  size_t cols = 0, cut = std::string::npos;
  for (size_t i = from; i < to; ++i) {
    if (text[i] == ' ' && i > from && text[i - 1] != ' ') {
      if (cols > avail && cut != std::string::npos) break;
      cut = i;
      if (cols > avail) break;
    }
    cols += starts_character(text[i]);
  }
  return cut;
}

// Rows of text[from, to), the first `first` columns wide, the others `rest`,
// broken at spaces, never inside a word.
void wrap_words(const std::string& text, size_t from, size_t to, size_t first, size_t rest,
                std::vector<Row>& rows) {
  for (size_t avail = first; columns(text, from, to) > avail; avail = rest) {
    size_t cut = row_end(text, from, to, avail);
    if (cut == std::string::npos) break;
    rows.push_back({from, cut});
    for (from = cut; from < to && text[from] == ' ';) ++from;
  }
  if (from < to) rows.push_back({from, to});
}

// The rows of a line wider than `width`: broken at every break mark, then
// at spaces; the rows after the first indented by `indent`.
std::vector<Row> rows_of(const Plain& p, size_t width, size_t indent) {
  std::vector<Row> rows;
  std::vector<size_t> ends = p.breaks;
  ends.push_back(p.text.size());
  size_t from = 0;
  for (size_t end : ends) {
    size_t begin = from;
    from = end;
    if (!rows.empty())
      while (begin < end && p.text[begin] == ' ') ++begin;
    while (end > begin && p.text[end - 1] == ' ') --end;
    if (begin < end)
      wrap_words(p.text, begin, end, rows.empty() ? width : width - indent, width - indent, rows);
  }
  return rows;
}

void emit(const Plain& p, Row row, bool colour, std::string& out) {
  char open = 0;
  for (size_t i = row.first; i < row.second; ++i) {
    char role = colour ? p.roles[i] : 0;
    if (role != open) {
      if (open) out += kReset;
      if (role) out += sgr(role);
      open = role;
    }
    out += p.text[i];
  }
  if (open) out += kReset;
}

void render_one(std::string_view line, const TextStyle& style, std::string& out) {
  Plain p = parse(line);
  std::vector<Row> rows;
  size_t indent = 0;
  if (style.width && columns(p.text, 0, p.text.size()) > style.width) {
    size_t own = p.text.find_first_not_of(' ');
    indent = std::min((own == std::string::npos ? 0 : own) + kContinuationIndent, style.width / 2);
    rows = rows_of(p, style.width, indent);
  } else {
    rows.push_back({0, p.text.size()});
  }
  for (size_t r = 0; r < rows.size(); ++r) {
    if (r) out.append(indent, ' ');
    emit(p, rows[r], style.colour, out);
    out += '\n';
  }
}

}  // namespace

std::string styled(Role role, std::string_view text) {
  std::string s;
  s.reserve(text.size() + 3);
  s += kSpanBegin;
  s += static_cast<char>(role);
  s.append(text);
  s += kSpanEnd;
  return s;
}

bool needs_rendering(std::string_view line, const TextStyle& style) {
  if (style.width && line.size() > style.width) return true;
  for (char c : line)
    if (c == kSpanBegin || c == kSpanEnd || c == kBreak) return true;
  return false;
}

void render_line(std::string_view line, const TextStyle& style, std::string& out) {
  for (size_t start = 0;;) {
    size_t newline = line.find('\n', start);
    render_one(line.substr(start, newline - start), style, out);
    if (newline == std::string_view::npos) return;
    start = newline + 1;
  }
}

}  // namespace gomapdbg
