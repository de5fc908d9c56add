#include "crash/evidence_text.h"

namespace gomapdbg {

std::string short_position(const std::string& file, int64_t line) {
  size_t slash = file.rfind('/');
  return (slash == std::string::npos ? file : file.substr(slash + 1)) + ":" + std::to_string(line);
}

std::string function_at(const std::string& function, const std::string& file, int64_t line) {
  return file.empty() ? function : function + " (" + short_position(file, line) + ")";
}

std::string duration_text(int64_t ns) {
  if (ns < 1000) return std::to_string(ns) + " ns";
  if (ns < 1'000'000) return std::to_string(ns / 1000) + " µs";
  if (ns < 1'000'000'000) return std::to_string(ns / 1'000'000) + " ms";
  return std::to_string(ns / 1'000'000'000) + " s";
}

}  // namespace gomapdbg
