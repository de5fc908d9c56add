#include "watch/proc_files.h"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <fstream>

namespace gomapdbg {

namespace {

// A decimal number that is the whole of `text`.
std::optional<int> whole_number(std::string_view text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<std::vector<int>> process_threads(int pid) {
  std::string path = "/proc/" + std::to_string(pid) + "/task";
  DIR* dir = ::opendir(path.c_str());
  if (dir == nullptr) return std::nullopt;
  std::vector<int> tids;
  while (const dirent* entry = ::readdir(dir)) {
    if (auto tid = whole_number(entry->d_name)) tids.push_back(*tid);
  }
  ::closedir(dir);
  std::sort(tids.begin(), tids.end());
  return tids;
}

std::vector<int> parse_cpu_list(const std::string& text) {
  // Bounded so that a corrupt range cannot make a huge list.
  constexpr int kMaxCpu = 1 << 16;
  std::vector<int> cpus;
  std::string_view rest = text;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    size_t dash = item.find('-');
    auto first = whole_number(item.substr(0, dash));
    auto last = dash == std::string_view::npos ? first : whole_number(item.substr(dash + 1));
    if (!first || !last || *first < 0 || *last < *first || *last >= kMaxCpu) return {};
    for (int cpu = *first; cpu <= *last; ++cpu) cpus.push_back(cpu);
  }
  return cpus;
}

std::vector<int> online_cpus() {
  if (auto line = read_first_line("/sys/devices/system/cpu/online")) {
    std::vector<int> cpus = parse_cpu_list(*line);
    if (!cpus.empty()) return cpus;
  }
  std::vector<int> cpus;
  for (long cpu = 0, n = ::sysconf(_SC_NPROCESSORS_CONF); cpu < n; ++cpu)
    cpus.push_back(static_cast<int>(cpu));
  return cpus;
}

std::optional<std::string> read_first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) return std::nullopt;
  return line;
}

}  // namespace gomapdbg
