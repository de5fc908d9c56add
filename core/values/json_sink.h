// The JSON syntax of a decoded value (documented in json_renderer.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "values/value_sink.h"

namespace gomapdbg {

class JsonSink : public ValueSink {
 public:
  explicit JsonSink(std::string& out) : out_(out) {}

  void boolean(bool value) override;
  void signed_integer(int64_t value) override;
  void unsigned_integer(uint64_t value) override;
  void floating(double value, int bits) override;
  void complex(double real, double imag, int bits) override;
  void string(std::string_view shown, uint64_t len) override;
  void nil() override;
  void unsafe_pointer(uint64_t address) override;
  void pointer(const GoType& type, uint64_t address) override;
  void chan(const GoType& type, uint64_t address, std::optional<ChanCounts> counts) override;
  void func(uint64_t pc, const std::string* name) override;
  void unreadable(const Unreadable& what) override;
  void too_deep() override;
  void mutex(const GoType& type, const MutexState& state) override;
  void rwmutex(const GoType& type, const RWMutexState& state) override;
  void over_budget() override;

  // JSON names no types but an interface's dynamic one.
  SinkMark begin_named(const GoType&) override { return {}; }
  void end_named(const GoType&, const SinkMark&) override {}
  void begin_deref(uint64_t address) override;
  void end_deref() override;
  SinkMark begin_interface(const GoType& dynamic) override;
  void end_interface(const GoType& dynamic, const SinkMark& mark) override;
  void rewind(const SinkMark& mark) override;

  void begin_struct() override;
  void field(std::string_view name, bool first, int blank) override;
  void end_struct() override;

  void begin_sequence(const Sequence& seq) override;
  void element(uint64_t index) override;
  void end_sequence(const Sequence& seq, uint64_t decoded) override;

  void begin_map(const GoType& type, uint64_t address, uint64_t count) override;
  bool entry_text(uint64_t, std::string_view) override { return false; }
  SinkMark begin_entry(uint64_t index) override;
  void entry_value() override;
  void end_entry(const SinkMark& mark) override;
  void end_map(uint64_t shown, uint64_t count) override;

  // JSON has no output budget: its caps are the depth and element ones.
  bool spent() const override { return false; }
  size_t budget_end() const override { return SIZE_MAX; }

 private:
  void error(const std::string& message);
  // A map's object up to its type and address (an unreadable one ends there).
  void map_head(const GoType& type, uint64_t address);

  std::string& out_;
};

// A JSON string of `bytes`: escapes quotes, backslashes and control
// characters; each byte that is not part of valid UTF-8 becomes U+FFFD (as
// Go's encoding/json does).
void append_json_string(std::string& out, std::string_view bytes);
std::string json_string(std::string_view bytes);
// Integers as numbers when exactly representable in a double (|v| < 2^53),
// else as decimal strings.
void append_json_int(std::string& out, int64_t value);
void append_json_uint(std::string& out, uint64_t value);
// Go's shortest float form as a number; NaN and infinities as strings.
void append_json_float(std::string& out, double value, int bits);
// An address or pc in every command's JSON: a "0x…" string (lowercase, no
// padding), as debuggers print addresses, and exact in any JSON parser.
void append_json_address(std::string& out, uint64_t address);
std::string json_address(uint64_t address);

}  // namespace gomapdbg
