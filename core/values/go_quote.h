// Go-syntax string quoting, matching strconv.Quote: printable UTF-8 kept,
// the usual backslash escapes, \xNN for invalid bytes, \u/\U for
// non-printable runes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace gomapdbg {

// Decodes the UTF-8 sequence at s[i] into `rune`; returns its length, or 0
// when it is invalid (as Go's utf8.DecodeRune: overlong forms, surrogates
// and runes past U+10FFFF are invalid, and so is a truncated sequence).
size_t decode_utf8(std::string_view s, size_t i, char32_t& rune);

void append_go_quoted(std::string& out, std::string_view bytes);

// Appends "\\" KIND and `value` as `digits` lowercase hex digits (\x7f,
// \u00e9), without snprintf (an eighth of the map fuzzers' time went there).
void append_hex_escape(std::string& out, char kind, uint32_t value, int digits);

}  // namespace gomapdbg
