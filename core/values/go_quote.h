// Go-syntax string quoting, matching strconv.Quote: printable UTF-8 kept,
// the usual backslash escapes, \xNN for invalid bytes, \u/\U for
// non-printable runes.
#pragma once

#include <string>
#include <string_view>

namespace gomapdbg {

void append_go_quoted(std::string& out, std::string_view bytes);

}  // namespace gomapdbg
