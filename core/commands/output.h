// Streams command output to the front end in large chunks, so a dump of a
// million entries crosses into Python a few hundred times, not per line.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "commands/text_style.h"

namespace gomapdbg {

// "1 table", "3 tables": a count and its noun, in the plural unless one.
inline std::string counted(uint64_t n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

class Output {
 public:
  using Writer = std::function<void(const std::string&)>;
  // Told (done, total) about long walks, at most once a second; also the
  // place where a front end lets Ctrl-C interrupt.
  using Progress = std::function<void(uint64_t done, uint64_t total)>;
  static constexpr size_t kFlushBytes = 256 * 1024;

  explicit Output(Writer writer, Progress progress = nullptr, TextStyle style = {})
      : writer_(std::move(writer)),
        progress_(std::move(progress)),
        style_(style),
        last_progress_(std::chrono::steady_clock::now()) {}

  // Cheap to call per item: checks the clock every 4096 calls.
  void tick(uint64_t done, uint64_t total) {
    if (!progress_ || (done & 4095) != 0) return;
    auto now = std::chrono::steady_clock::now();
    if (now - last_progress_ < std::chrono::seconds(1)) return;
    last_progress_ = now;
    shown_progress_ = true;
    progress_(done, total);
  }
  void progress_done() {
    if (progress_ && shown_progress_) progress_(0, 0);
  }
  ~Output() = default;

  Output& operator<<(std::string_view text) {
    buffer_.append(text);
    if (buffer_.size() >= kFlushBytes) flush();
    return *this;
  }
  // A line of text: its marks (text_style.h) painted or dropped, broken at
  // the width if it is wider.
  void line(std::string_view text) {
    if (needs_rendering(text, style_)) {
      render_line(text, style_, buffer_);
    } else {
      buffer_.append(text);
      buffer_ += '\n';
    }
    if (buffer_.size() >= kFlushBytes) flush();
  }
  const TextStyle& style() const { return style_; }
  // The buffer is emptied before the writer runs: a writer that throws (the
  // user quit GDB's pager, or pressed Ctrl-C) leaves nothing to write again.
  void flush() {
    if (buffer_.empty()) return;
    std::string chunk;
    chunk.swap(buffer_);
    writer_(chunk);
  }

 private:
  Writer writer_;
  Progress progress_;
  TextStyle style_;
  std::chrono::steady_clock::time_point last_progress_;
  bool shown_progress_ = false;
  std::string buffer_;
};

}  // namespace gomapdbg
