#include "values/go_quote.h"

#include <cstdio>

namespace gomapdbg {

namespace {

// Decodes one UTF-8 sequence; returns its length, or 0 if invalid.
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

// An approximation of unicode.IsPrint for the ranges that matter in practice:
// C0/C1 controls, DEL, the line/paragraph separators and noncharacters are
// escaped; other runes are printed as they are.
bool is_printable(char32_t r) {
  if (r < 0x20 || (r >= 0x7f && r < 0xa0)) return false;
  if (r == 0xad || r == 0x2028 || r == 0x2029 || r == 0xfeff) return false;
  if ((r & 0xfffe) == 0xfffe) return false;
  if (r >= 0xe000 && r <= 0xf8ff) return false;  // private use
  return true;
}

}  // namespace

void append_go_quoted(std::string& out, std::string_view s) {
  out += '"';
  char buf[16];
  for (size_t i = 0; i < s.size();) {
    char32_t r = 0;
    size_t len = decode_utf8(s, i, r);
    if (len == 0) {
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(s[i]));
      out += buf;
      ++i;
      continue;
    }
    switch (r) {
      case '\a': out += "\\a"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\v': out += "\\v"; break;
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      default:
        if (is_printable(r)) {
          out.append(s.substr(i, len));
        } else if (r < 0x80) {
          std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(r));
          out += buf;
        } else if (r < 0x10000) {
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(r));
          out += buf;
        } else {
          std::snprintf(buf, sizeof buf, "\\U%08x", static_cast<unsigned>(r));
          out += buf;
        }
    }
    i += len;
  }
  out += '"';
}

}  // namespace gomapdbg
