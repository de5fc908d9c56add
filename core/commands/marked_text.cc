#include "commands/marked_text.h"

#include <cstdio>
#include <regex>

#include "crash/evidence_text.h"
#include "memory/memory.h"

namespace gomapdbg {

std::string address_text(uint64_t address) { return styled(Role::Address, hex(address)); }

std::string padded_address_text(uint64_t address) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%016llx", static_cast<unsigned long long>(address));
  return styled(Role::Address, buf);
}

std::string function_text(std::string_view name) { return styled(Role::Function, name); }

std::string file_line_text(const std::string& file, int64_t line) {
  if (file.empty()) return "?";
  return styled(Role::File, file + ":" + std::to_string(line));
}

std::string short_position_text(const std::string& file, int64_t line) {
  return styled(Role::File, short_position(file, line));
}

std::string function_position_text(const std::string& function, const std::string& file,
                                   int64_t line) {
  return function_text(function) + " " + short_position_text(file, line);
}

std::string location_text(const CodeLocation& l) {
  return function_position_text(l.function, l.file, l.line);
}

namespace {

// A Go function name: "runtime.mapassign_fast64", "main.(*T).m.func1",
// "example.com/a/b.F"; never the start of a FILE.go:LINE.
constexpr std::string_view kGoFunction =
    R"((?:[\w.-]+/)*[\w-]+(?:\.(?:\(\*?[\w.]+\)|[\w-]+))+(?!\w|:\d))";

// One group per thing, in the order of `kRoles`: a function after "of",
// "in", "inside" or "frame", or before "'s ", or before function_at's
// " (FILE:LINE)"; a FILE.go:LINE (or .s); an address.
const std::regex& prose_pattern() {
  static const std::string function(kGoFunction);
  static const std::regex re(R"(\b(?:of|in|inside|frame) ()" + function + ")" +  //
                             "|(" + function + ")(?='s )" +
                             R"(|([^\s()]+)(?= \([^\s()]+\.(?:go|s):\d+\)))"
                             R"(|([^\s()\[\],;]+\.(?:go|s):\d+))"
                             R"(|(0x[0-9a-f]{6,}))");
  return re;
}

constexpr Role kRoles[] = {Role::Function, Role::Function, Role::Function, Role::File,
                           Role::Address};

}  // namespace

std::string marked_prose(std::string_view text) {
  std::string out;
  std::string s(text);
  size_t done = 0;
  for (auto it = std::sregex_iterator(s.begin(), s.end(), prose_pattern());
       it != std::sregex_iterator(); ++it) {
    const std::smatch& m = *it;
    size_t group = 1;
    while (!m[group].matched) ++group;
    size_t at = m.position(group);
    out.append(s, done, at - done);
    out += styled(kRoles[group - 1], m.str(group));
    done = at + m.length(group);
  }
  out.append(s, done);
  return out;
}

std::string warning_line(std::string_view text) {
  return styled(Role::Warning, "warning:") + " " + marked_prose(text);
}

}  // namespace gomapdbg
