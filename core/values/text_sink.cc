#include "values/text_sink.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "memory/memory.h"
#include "values/go_quote.h"
#include "values/value_decoder.h"

namespace gomapdbg {

namespace {
// strconv.FormatFloat(f, 'g', -1, bits), which fmt's %v uses: exponent form
// below 1e-4 and from 1e+06 on (shortest precision counts as 6).
constexpr int kShortestExponentLimit = 6;

// Appends an integer in decimal without a temporary string: rendering a big
// value appends thousands of them.
template <typename T>
void append_decimal(std::string& out, T value) {
  char buf[24];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, value).ptr);
}
}  // namespace

std::string format_go_float(double value, int bits) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buf[64];
  auto res = bits == 32
                 ? std::to_chars(buf, buf + sizeof buf, static_cast<float>(value),
                                 std::chars_format::scientific)
                 : std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  std::string sci(buf, res.ptr);  // "-1.2345e+06"
  bool negative = sci[0] == '-';
  if (negative) sci.erase(0, 1);
  auto e = sci.find('e');
  int exp = std::atoi(sci.c_str() + e + 1);
  std::string digits;
  for (size_t i = 0; i < e; ++i)
    if (sci[i] != '.') digits += sci[i];
  std::string out = negative ? "-" : "";
  if (exp < -4 || exp >= kShortestExponentLimit) {
    out += digits[0];
    if (digits.size() > 1) out += "." + digits.substr(1);
    char ebuf[16];
    std::snprintf(ebuf, sizeof ebuf, "e%c%02d", exp < 0 ? '-' : '+', std::abs(exp));
    return out + ebuf;
  }
  if (exp < 0) return out + "0." + std::string(-exp - 1, '0') + digits;
  if (static_cast<size_t>(exp) + 1 >= digits.size())
    return out + digits + std::string(exp + 1 - digits.size(), '0');
  return out + digits.substr(0, exp + 1) + "." + digits.substr(exp + 1);
}

void TextSink::boolean(bool value) { out_ += value ? "true" : "false"; }
void TextSink::signed_integer(int64_t value) { append_decimal(out_, value); }
void TextSink::unsigned_integer(uint64_t value) { append_decimal(out_, value); }
void TextSink::floating(double value, int bits) { out_ += format_go_float(value, bits); }

void TextSink::complex(double real, double imag, int bits) {
  std::string imaginary = format_go_float(imag, bits);
  if (imaginary[0] != '-' && imaginary[0] != '+') imaginary = "+" + imaginary;
  out_ += "(" + format_go_float(real, bits) + imaginary + "i)";
}

void TextSink::string(std::string_view shown, uint64_t len) {
  append_go_quoted(out_, shown);
  if (shown.size() < len) out_ += "...+" + std::to_string(len - shown.size()) + " bytes";
}

void TextSink::nil() { out_ += "nil"; }
void TextSink::unsafe_pointer(uint64_t address) { out_ += "unsafe.Pointer(" + hex(address) + ")"; }

void TextSink::pointer(const GoType& type, uint64_t address) {
  out_ += "(" + (type.name.empty() ? std::string("*?") : type.name) + ")(" + hex(address) + ")";
}

void TextSink::chan(const GoType& type, uint64_t address, std::optional<ChanCounts> counts) {
  out_ += "(" + type.name + ")(" + hex(address);
  if (counts) out_ += " len " + std::to_string(counts->len) + " cap " + std::to_string(counts->cap);
  out_ += ")";
}

void TextSink::func(uint64_t pc, const std::string* name) {
  out_ += "func(" + hex(pc);
  if (name) out_ += " " + *name;
  out_ += ")";
}

void TextSink::unreadable(const Unreadable& what) {
  using Reason = Unreadable::Reason;
  switch (what.reason) {
    case Reason::String:
      out_ += "<unreadable string " + hex(what.address) + " len " + std::to_string(what.len) + ">";
      return;
    case Reason::SliceElements:
    case Reason::SliceElementType:
      out_ += "len ";
      append_decimal(out_, what.len);
      out_ += " cap ";
      append_decimal(out_, what.cap);
      out_ += what.reason == Reason::SliceElementType ? " [...]"
                                                      : " <unreadable " + hex(what.address) + ">";
      return;
    case Reason::ArrayElementType:
      return;  // nothing between a named array's parentheses
    case Reason::Interface:
      out_ += "<unreadable interface " + hex(what.address) + ", " + hex(what.data) + ">";
      return;
    case Reason::InterfaceType:
      out_ += "(" + what.type->name + ")(" + hex(what.address) + ", " + hex(what.data) + ")";
      return;
    case Reason::Func:
      out_ += "func(<unreadable " + hex(what.address) + ">)";
      return;
    case Reason::Pointee:  // after the '&' of a followed pointer
      out_ += "<unreadable " + what.type->name + " " + hex(what.address) + ">";
      return;
    case Reason::ShapePointee:
      out_ += "(" + what.type->name + ")(" + hex(what.address) +
              " <unknown pointee: " + kShapeUnresolved + ">)";
      return;
    case Reason::Map:  // its type and address, and why its entries are not shown
      out_ += "(" + what.type->name + ")(" + hex(what.address) + " <unreadable: ";
      out_ += what.error;
      out_ += ">)";
      return;
    case Reason::Kind:
      out_ += "<" + what.type->name + ">";
      return;
  }
}

void TextSink::too_deep() { out_ += "..."; }

namespace {

// The words of a mutex's state that apply: "locked, waiters: 2".
std::string mutex_words(const MutexState& m) {
  std::string out;
  auto add = [&](const std::string& word) { out += (out.empty() ? "" : ", ") + word; };
  if (m.locked) add("locked");
  if (m.waiters) add("waiters: " + std::to_string(m.waiters));
  if (m.woken) add("woken");
  if (m.starving) add("starving");
  return out;
}

}  // namespace

// sync.Mutex{locked, waiters: 2, woken, starving}; sync.Mutex{} when free.
void TextSink::mutex(const GoType& type, const MutexState& state) {
  out_ += type.name + "{" + mutex_words(state) + "}";
}

// sync.RWMutex{w: sync.Mutex{locked}, readers: 4, writer: waiting,
// readerWait: 2}, the parts that apply; sync.RWMutex{} when free.
void TextSink::rwmutex(const GoType& type, const RWMutexState& rw) {
  std::string parts;
  auto add = [&](const std::string& part) { parts += (parts.empty() ? "" : ", ") + part; };
  if (rw.w.state) add("w: sync.Mutex{" + mutex_words(rw.w) + "}");
  if (rw.readers()) add("readers: " + std::to_string(rw.readers()));
  if (rw.writer_pending()) add(std::string("writer: ") + rw.writer());
  if (rw.reader_wait) add("readerWait: " + std::to_string(rw.reader_wait));
  out_ += type.name + "{" + parts + "}";
}
void TextSink::over_budget() { out_ += "..."; }

// A named type's value follows its name: main.Point{...}, main.Index{...},
// main.Celsius(36.6); a nil one is just nil. The value is written in place
// after the name, not into a string of its own: the output budget counts
// every level of a nested named type, and no level is copied.
SinkMark TextSink::begin_named(const GoType& type) {
  SinkMark mark{out_.size(), origin_};
  out_ += type.name;
  if (type.kind != GoKind::Struct) out_ += '(';
  return mark;
}

void TextSink::end_named(const GoType& type, const SinkMark& mark) {
  bool braces = type.kind == GoKind::Struct;
  size_t body = mark.position + type.name.size() + (braces ? 0 : 1);
  std::string_view inner(out_.data() + body, out_.size() - body);
  if (inner == "nil") {
    out_.replace(mark.position, out_.size() - mark.position, "nil");
  } else if (type.kind == GoKind::Map && inner.starts_with('{')) {
    out_.erase(body - 1, 1);  // main.Index{...}
  } else if (!braces) {
    out_ += ')';
  }
}

void TextSink::begin_deref(uint64_t) { out_ += '&'; }

SinkMark TextSink::begin_interface(const GoType&) {
  SinkMark mark{out_.size(), origin_};
  origin_ = out_.size();
  return mark;
}

// The dynamic type is shown unless the value's text already shows it (named
// types, non-nil pointers, chans and maps).
void TextSink::end_interface(const GoType& dynamic, const SinkMark& mark) {
  origin_ = mark.origin;
  std::string_view inner(out_.data() + mark.position, out_.size() - mark.position);
  GoKind k = dynamic.kind;
  bool shows_type =
      is_named_type(dynamic.name) ||
      (inner != "nil" && (k == GoKind::Pointer || k == GoKind::Chan || k == GoKind::Map));
  if (shows_type) return;
  out_.insert(mark.position, dynamic.name + "(");
  out_ += ')';
}

void TextSink::rewind(const SinkMark& mark) {
  out_.resize(mark.position);
  origin_ = mark.origin;
}

void TextSink::begin_struct() { out_ += '{'; }

void TextSink::field(std::string_view name, bool first, int) {
  if (!first) out_ += ", ";
  out_ += name;
  out_ += ": ";
}

void TextSink::end_struct() { out_ += '}'; }

void TextSink::begin_sequence(const Sequence& seq) {
  if (seq.slice) {
    out_ += "len ";
    append_decimal(out_, seq.len);
    out_ += " cap ";
    append_decimal(out_, seq.cap);
    out_ += ' ';
  }
  out_ += '[';
}

void TextSink::element(uint64_t index) {
  if (index) out_ += ", ";
}

// An array counts every element not shown at once; a slice counts those
// the budget cut from what was read, then those past the cap.
void TextSink::end_sequence(const Sequence& seq, uint64_t decoded) {
  if (!seq.slice) {
    if (decoded < seq.len) elided(decoded, seq.len - decoded);
  } else {
    if (decoded < seq.shown) elided(decoded, seq.shown - decoded);
    if (seq.shown < seq.len) elided(seq.shown, seq.len - seq.shown);
  }
  out_ += ']';
}

void TextSink::elided(uint64_t before, uint64_t count) {
  out_ += before ? ", ...+" : "...+";
  out_ += std::to_string(count);
}

void TextSink::begin_map(const GoType& type, uint64_t, uint64_t) {
  // A named map's name is already written (main.Index{...}).
  if (!is_named_type(type.name)) out_ += type.name;
  out_ += '{';
}

bool TextSink::entry_text(uint64_t index, std::string_view text) {
  if (index) out_ += ", ";
  out_ += text;
  return true;
}

SinkMark TextSink::begin_entry(uint64_t index) {
  if (index) out_ += ", ";
  SinkMark mark{out_.size(), origin_};
  origin_ = out_.size();
  return mark;
}

void TextSink::entry_value() { out_ += ": "; }
void TextSink::end_entry(const SinkMark& mark) { origin_ = mark.origin; }

void TextSink::end_map(uint64_t shown, uint64_t count) {
  if (shown < count) elided(shown, count - shown);
  out_ += '}';
}

}  // namespace gomapdbg
