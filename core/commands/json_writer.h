// A minimal JSON writer for --json output: objects, arrays, strings,
// integers, booleans and addresses, appended to a string in order. Every
// address and pc goes through address() (json_address: a "0x…" string), so
// all commands write them one way; integers are numbers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "values/json_renderer.h"

namespace gomapdbg {

class JsonWriter {
 public:
  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }
  JsonWriter& key(std::string_view k) {
    comma();
    string_literal(k);
    out_ += ':';
    after_key_ = true;
    return *this;
  }
  JsonWriter& value(std::string_view s) {
    comma();
    string_literal(s);
    return *this;
  }
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
  JsonWriter& value(bool b) { return raw(b ? "true" : "false"); }
  JsonWriter& value(uint64_t v) { return raw(std::to_string(v)); }
  JsonWriter& value(int64_t v) { return raw(std::to_string(v)); }
  JsonWriter& value(int v) { return raw(std::to_string(v)); }
  JsonWriter& null() { return raw("null"); }
  JsonWriter& address(uint64_t a) { return raw(json_address(a)); }
  JsonWriter& address(const std::optional<uint64_t>& a) { return a ? address(*a) : null(); }
  template <typename T>
  JsonWriter& address_field(std::string_view k, const T& a) {
    key(k);
    return address(a);
  }
  template <typename T>
  JsonWriter& value(const std::optional<T>& v) {
    return v ? value(*v) : null();
  }
  template <typename T>
  JsonWriter& field(std::string_view k, const T& v) {
    key(k);
    return value(v);
  }
  const std::string& str() const { return out_; }
  // A value that is already JSON text (another command's --json output).
  JsonWriter& json_text(std::string_view text) { return raw(text); }

 private:
  JsonWriter& open(char c) {
    comma();
    out_ += c;
    first_ = true;
    return *this;
  }
  JsonWriter& close(char c) {
    out_ += c;
    first_ = false;
    return *this;
  }
  JsonWriter& raw(std::string_view text) {
    comma();
    out_ += text;
    return *this;
  }
  void comma() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (!first_) out_ += ',';
    first_ = false;
  }
  // One JSON string escaper for the whole core (invalid UTF-8 becomes
  // U+FFFD, so the output is always valid JSON).
  void string_literal(std::string_view s) { append_json_string(out_, s); }

  std::string out_;
  bool first_ = true;
  bool after_key_ = false;
};

}  // namespace gomapdbg
