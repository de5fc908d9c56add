// The text syntax of a decoded value (documented in value_renderer.h).
#pragma once

#include <cstddef>
#include <string>

#include "values/value_sink.h"

namespace gomapdbg {

class TextSink : public ValueSink {
 public:
  // Appends to `out`; the value's budget is spent once `out` reaches
  // `budget_end` bytes (measured from where a dynamic value or a map entry,
  // rendered as a text of its own, begins).
  TextSink(std::string& out, size_t budget_end) : out_(out), budget_end_(budget_end) {}

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

  SinkMark begin_named(const GoType& type) override;
  void end_named(const GoType& type, const SinkMark& mark) override;
  void begin_deref(uint64_t address) override;
  void end_deref() override {}
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
  bool entry_text(uint64_t index, std::string_view text) override;
  SinkMark begin_entry(uint64_t index) override;
  void entry_value() override;
  void end_entry(const SinkMark& mark) override;
  void end_map(uint64_t shown, uint64_t count) override;

  bool spent() const override { return out_.size() - origin_ >= budget_end_; }
  size_t budget_end() const override { return budget_end_; }

 private:
  // "...+N" after `before` items (", ...+N" when there are some).
  void elided(uint64_t before, uint64_t count);

  std::string& out_;
  size_t budget_end_;
  // Where the text the budget counts begins: a dynamic value or a map
  // entry counts from its own start.
  size_t origin_ = 0;
};

// Go's %v formatting of floats (shortest repr, exponent form below 1e-4 and
// from 1e+06 on).
std::string format_go_float(double value, int bits);

}  // namespace gomapdbg
