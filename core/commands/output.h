// Streams command output to the front end in large chunks, so a dump of a
// million entries crosses into Python a few hundred times, not per line.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace gomapdbg {

class Output {
 public:
  using Writer = std::function<void(const std::string&)>;
  static constexpr size_t kFlushBytes = 256 * 1024;

  explicit Output(Writer writer) : writer_(std::move(writer)) {}
  ~Output() = default;

  Output& operator<<(std::string_view text) {
    buffer_.append(text);
    if (buffer_.size() >= kFlushBytes) flush();
    return *this;
  }
  void line(std::string_view text) {
    buffer_.append(text);
    buffer_ += '\n';
    if (buffer_.size() >= kFlushBytes) flush();
  }
  void flush() {
    if (buffer_.empty()) return;
    writer_(buffer_);
    buffer_.clear();
  }

 private:
  Writer writer_;
  std::string buffer_;
};

}  // namespace gomapdbg
