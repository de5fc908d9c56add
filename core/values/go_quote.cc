#include "values/go_quote.h"

#include <algorithm>
#include <iterator>

namespace gomapdbg {

size_t decode_utf8(std::string_view s, size_t i, char32_t& rune) {
  auto b = static_cast<unsigned char>(s[i]);
  size_t len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xe ? 3 : (b >> 3) == 0x1e ? 4 : 0;
  if (len == 0 || i + len > s.size()) return 0;
  if (len == 1) {
    rune = b;
    return 1;
  }
  rune = b & (0x7f >> len);
  for (size_t k = 1; k < len; ++k) {
    auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xc0) != 0x80) return 0;
    rune = (rune << 6) | (c & 0x3f);
  }
  static const char32_t min_rune[] = {0, 0, 0x80, 0x800, 0x10000};
  if (rune < min_rune[len] || rune > 0x10ffff || (rune >= 0xd800 && rune <= 0xdfff)) return 0;
  return len;
}

namespace {

struct RuneRange {
  char32_t lo, hi;
};

// strconv.IsPrint: letters, marks, numbers, punctuation and symbols are
// printed as they are; everything else (controls, format characters,
// separators and spaces other than U+0020, unassigned) is escaped.
constexpr RuneRange kPrintable[] = {
#include "values/unicode_printable.inc"
};

bool is_printable(char32_t r) {
  if (r < 0x80) return r >= 0x20 && r < 0x7f;
  auto it = std::upper_bound(std::begin(kPrintable), std::end(kPrintable), r,
                             [](char32_t v, const RuneRange& range) { return v < range.lo; });
  return it != std::begin(kPrintable) && r <= std::prev(it)->hi;
}

}  // namespace

void append_hex_escape(std::string& out, char kind, uint32_t value, int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '\\';
  out += kind;
  for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) out += kHex[(value >> shift) & 0xf];
}

void append_go_quoted(std::string& out, std::string_view s) {
  out += '"';
  for (size_t i = 0; i < s.size();) {
    // Runs of printable ASCII other than '"' and '\\' (most keys) are
    // appended as they are, in one piece.
    size_t plain = i;
    while (plain < s.size() && s[plain] >= 0x20 && s[plain] < 0x7f && s[plain] != '"' &&
           s[plain] != '\\')
      ++plain;
    if (plain > i) {
      out.append(s.data() + i, plain - i);
      i = plain;
      continue;
    }
    char32_t r = 0;
    size_t len = decode_utf8(s, i, r);
    if (len == 0) {
      append_hex_escape(out, 'x', static_cast<unsigned char>(s[i]), 2);
      ++i;
      continue;
    }
    switch (r) {
      case '\a':
        out += "\\a";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\v':
        out += "\\v";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      default:
        if (is_printable(r)) {
          out.append(s.substr(i, len));
        } else if (r < 0x80) {
          append_hex_escape(out, 'x', r, 2);
        } else if (r < 0x10000) {
          append_hex_escape(out, 'u', r, 4);
        } else {
          append_hex_escape(out, 'U', r, 8);
        }
    }
    i += len;
  }
  out += '"';
}

}  // namespace gomapdbg
