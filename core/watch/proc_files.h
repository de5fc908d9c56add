// What the write recorder reads of /proc and /sys: a process's threads, the
// CPUs that are online, the kernel's perf settings. Reads only.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace gomapdbg {

// The thread ids in /proc/PID/task, sorted; nullopt when the process is gone.
std::optional<std::vector<int>> process_threads(int pid);

// The online CPUs (/sys/devices/system/cpu/online, e.g. "0-3,6"); every CPU
// that sysconf counts when that file cannot be read.
std::vector<int> online_cpus();

// The CPU list syntax of /sys/devices/system/cpu/online; empty when malformed.
std::vector<int> parse_cpu_list(const std::string& text);

// The first line of a small /proc or /sys file, without its newline; nullopt
// when it cannot be read.
std::optional<std::string> read_first_line(const std::string& path);

}  // namespace gomapdbg
