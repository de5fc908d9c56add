#include "values/value_renderer.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <vector>

#include "errors.h"
#include "maps/map_walker.h"
#include "program/go_binary.h"
#include "values/go_quote.h"
#include "values/value_access.h"

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

bool is_named_type(const std::string& name) {
  // Called for every value rendered: predeclared names ("int", "string")
  // have no package qualifier and leave at the first test.
  if (name.find('.') == std::string::npos) return false;
  if (!(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) return false;
  // The package path part may hold letters, digits, '_', '/', '-' and '.'.
  size_t i = 0;
  while (i < name.size() && (std::isalnum(static_cast<unsigned char>(name[i])) || name[i] == '_' ||
                             name[i] == '/' || name[i] == '-' || name[i] == '.'))
    ++i;
  return name.find('.') < i && (i == name.size() || name[i] == '[');
}

void ValueRenderer::render_string(std::string& out, uint64_t data, uint64_t len) const {
  if (len == 0) {
    out += "\"\"";
    return;
  }
  uint64_t shown = std::min<uint64_t>(len, limits_.max_string);
  std::string bytes(shown, '\0');
  size_t got = memory_.read_prefix(data, bytes.data(), shown);
  if (got < shown) {
    out += "<unreadable string " + hex(data) + " len " + std::to_string(len) + ">";
    return;
  }
  append_go_quoted(out, bytes);
  if (shown < len) out += "...+" + std::to_string(len - shown) + " bytes";
}

void ValueRenderer::render_elements(std::string& out, const GoType& elem, const uint8_t* bytes,
                                    uint64_t count, int depth) const {
  out += '[';
  uint64_t shown = std::min<uint64_t>(count, limits_.max_elements);
  uint64_t i = 0;
  for (; i < shown && out.size() < budget_end_; ++i) {
    if (i) out += ", ";
    render(out, elem, bytes + i * elem.size, depth + 1);
  }
  if (i < count) out += (i ? ", ...+" : "...+") + std::to_string(count - i);
  out += ']';
}

void ValueRenderer::render(std::string& out, const GoType& type, const uint8_t* p,
                           int depth) const {
  if (depth == 0) budget_end_ = out.size() + limits_.max_output;
  if (depth > limits_.max_depth || (depth > 0 && out.size() >= budget_end_)) {
    out += "...";
    return;
  }
  if (!is_named_type(type.name) || type.kind == GoKind::Interface ||
      type.kind == GoKind::UnsafePointer) {
    render_unnamed(out, type, p, depth);
    return;
  }
  // A named type shows its name: main.Point{...}, main.Index{...},
  // main.Celsius(36.6); a nil one is just nil. The value is rendered in
  // place after the name, not into a string of its own: the output budget
  // counts every level of a nested named type, and no level is copied.
  size_t start = out.size();
  bool braces = type.kind == GoKind::Struct;
  out += type.name;
  if (!braces) out += '(';
  size_t body = out.size();
  render_unnamed(out, type, p, depth);
  std::string_view inner(out.data() + body, out.size() - body);
  if (inner == "nil") {
    out.replace(start, out.size() - start, "nil");
  } else if (type.kind == GoKind::Map && inner.starts_with('{')) {
    out.erase(body - 1, 1);  // main.Index{...}
  } else if (!braces) {
    out += ')';
  }
}

void ValueRenderer::render_pointer(std::string& out, const GoType& type, uint64_t address,
                                   int depth) const {
  if (!address) {
    out += "nil";
    return;
  }
  if (derefs_ < limits_.deref_depth && type.elem && type.elem->size &&
      type.elem->size <= kMaxReadSize) {
    std::vector<uint8_t> target(type.elem->size);
    if (memory_.read_prefix(address, target.data(), target.size()) == target.size()) {
      out += '&';
      ++derefs_;
      render(out, *type.elem, target.data(), depth + 1);
      --derefs_;
      return;
    }
  }
  out += "(" + (type.name.empty() ? std::string("*?") : type.name) + ")(" + hex(address) + ")";
}

void ValueRenderer::render_interface(std::string& out, const GoType& type, const uint8_t* p,
                                     int depth) const {
  uint64_t tab = load<uint64_t>(p), data = load<uint64_t>(p + 8);
  if (!tab) {
    out += "nil";
    return;
  }
  if (!binary_) {
    out += "(" + type.name + ")(" + hex(tab) + ", " + hex(data) + ")";
    return;
  }
  try {
    DynamicValue value = read_interface(memory_, *binary_, type, p);
    const GoType* dynamic = value.type;
    // The dynamic type is shown unless the value's rendering already shows
    // it (named types, non-nil pointers, chans and maps).
    std::string inner;
    render(inner, *dynamic, value.bytes.data(), depth + 1);
    GoKind k = dynamic->kind;
    bool shows_type =
        is_named_type(dynamic->name) ||
        (inner != "nil" && (k == GoKind::Pointer || k == GoKind::Chan || k == GoKind::Map));
    out += shows_type ? inner : dynamic->name + "(" + inner + ")";
  } catch (const Error&) {
    out += "<unreadable interface " + hex(tab) + ", " + hex(data) + ">";
  }
}

std::vector<size_t> ValueRenderer::sorted_entries(const MapSample& sample, int depth,
                                                  std::vector<std::string>& texts,
                                                  int derefs) const {
  int saved = derefs_;
  derefs_ = derefs;
  texts.clear();
  for (const auto& e : sample.entries) {
    std::string entry;
    render(entry, *sample.key, e.key.data(), depth + 1);
    entry += ": ";
    render(entry, *sample.value, e.value.data(), depth + 1);
    texts.push_back(std::move(entry));
  }
  derefs_ = saved;
  std::vector<size_t> order(texts.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return texts[a] < texts[b]; });
  return order;
}

size_t ValueRenderer::map_sample_size() const {
  // Sorting needs more entries than are shown; bound the walk all the same.
  constexpr size_t kMaxSample = size_t{1} << 24;
  return limits_.max_elements >= kMaxSample / 16 ? kMaxSample : limits_.max_elements * 16;
}

void ValueRenderer::render_map(std::string& out, const GoType& type, uint64_t address,
                               int depth) const {
  if (!address) {
    out += "nil";
    return;
  }
  MapSample sample;
  try {
    sample = sample_map(memory_, type, address, map_sample_size());
  } catch (const Error&) {
    out += "(" + type.name + ")(" + hex(address) + ")";
    return;
  }
  std::vector<std::string> texts;
  std::vector<size_t> order = sorted_entries(sample, depth, texts, derefs_);
  out += is_named_type(type.name) ? "{" : type.name + "{";
  uint64_t shown = std::min<uint64_t>(order.size(), limits_.max_elements);
  for (uint64_t i = 0; i < shown; ++i) {
    if (i) out += ", ";
    out += texts[order[i]];
  }
  uint64_t total = sample.count;
  if (shown < total) out += (shown ? ", ...+" : "...+") + std::to_string(total - shown);
  out += '}';
}

void ValueRenderer::render_unnamed(std::string& out, const GoType& type, const uint8_t* p,
                                   int depth) const {
  switch (type.kind) {
    case GoKind::Bool:
      out += p[0] ? "true" : "false";
      return;
    case GoKind::Int:
    case GoKind::Int8:
    case GoKind::Int16:
    case GoKind::Int32:
    case GoKind::Int64:
      append_decimal(out, load_int(p, type.size));
      return;
    case GoKind::Uint:
    case GoKind::Uint8:
    case GoKind::Uint16:
    case GoKind::Uint32:
    case GoKind::Uint64:
    case GoKind::Uintptr:
      append_decimal(out, load_uint(p, type.size));
      return;
    case GoKind::Float32:
      out += format_go_float(load<float>(p), 32);
      return;
    case GoKind::Float64:
      out += format_go_float(load<double>(p), 64);
      return;
    case GoKind::Complex64:
    case GoKind::Complex128: {
      bool small = type.kind == GoKind::Complex64;
      double re = small ? load<float>(p) : load<double>(p);
      double im = small ? load<float>(p + 4) : load<double>(p + 8);
      std::string imag = format_go_float(im, small ? 32 : 64);
      if (imag[0] != '-' && imag[0] != '+') imag = "+" + imag;
      out += "(" + format_go_float(re, small ? 32 : 64) + imag + "i)";
      return;
    }
    case GoKind::String:
      render_string(out, load<uint64_t>(p), load<uint64_t>(p + 8));
      return;
    case GoKind::Pointer:
      render_pointer(out, type, load<uint64_t>(p), depth);
      return;
    case GoKind::UnsafePointer: {
      uint64_t ptr = load<uint64_t>(p);
      out += ptr ? "unsafe.Pointer(" + hex(ptr) + ")" : "nil";
      return;
    }
    case GoKind::Map:
      render_map(out, type, load<uint64_t>(p), depth);
      return;
    case GoKind::Chan: {
      uint64_t ptr = load<uint64_t>(p);
      if (!ptr) {
        out += "nil";
        return;
      }
      out += "(" + type.name + ")(" + hex(ptr);
      if (auto counts = read_chan_counts(memory_, ptr))
        out += " len " + std::to_string(counts->len) + " cap " + std::to_string(counts->cap);
      out += ")";
      return;
    }
    case GoKind::Func: {
      uint64_t funcval = load<uint64_t>(p);
      if (!funcval) {
        out += "nil";
        return;
      }
      out += "func(";
      if (auto code = read_func_pc(memory_, funcval)) {
        out += hex(*code);
        if (binary_) out += " " + binary_->function_name(*code);
      } else {
        out += "<unreadable " + hex(funcval) + ">";
      }
      out += ")";
      return;
    }
    case GoKind::Interface:
      render_interface(out, type, p, depth);
      return;
    case GoKind::Array:
      if (type.elem) render_elements(out, *type.elem, p, type.length, depth);
      return;
    case GoKind::Slice: {
      auto [data, len, cap] = load_slice(p);
      if (!data) {
        out += "nil";
        return;
      }
      out += "len ";
      append_decimal(out, len);
      out += " cap ";
      append_decimal(out, cap);
      out += ' ';
      if (!type.elem) {
        out += "[...]";
        return;
      }
      uint64_t shown = slice_elements_shown(len, *type.elem, limits_.max_elements);
      std::vector<uint8_t> elems(shown * type.elem->size);
      if (memory_.read_prefix(data, elems.data(), elems.size()) < elems.size()) {
        out += "<unreadable " + hex(data) + ">";
        return;
      }
      render_elements(out, *type.elem, elems.data(), shown, depth);
      if (shown < len)
        out.insert(out.size() - 1, (shown ? ", ...+" : "...+") + std::to_string(len - shown));
      return;
    }
    case GoKind::Struct: {
      out += '{';
      bool first = true;
      for (const auto& f : type.fields) {
        if (!f.type) continue;
        if (!first) out += ", ";
        first = false;
        out += f.name;
        out += ": ";
        render(out, *f.type, p + f.offset, depth + 1);
      }
      out += '}';
      return;
    }
    default:
      out += "<" + type.name + ">";
  }
}

}  // namespace gomapdbg
