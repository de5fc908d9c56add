#include "values/value_renderer.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <vector>

#include "values/go_quote.h"

namespace gomapdbg {

namespace {
// strconv.FormatFloat(f, 'g', -1, bits), which fmt's %v uses: exponent form
// below 1e-4 and from 1e+06 on (shortest precision counts as 6).
constexpr int kShortestExponentLimit = 6;
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
                                    uint64_t count, int depth, uint64_t total) const {
  out += '[';
  uint64_t shown = std::min<uint64_t>(count, limits_.max_elements);
  count = std::max(count, total);
  uint64_t i = 0;
  for (; i < shown && !over_budget(out); ++i) {
    if (i) out += ", ";
    render(out, elem, bytes + i * elem.size, depth + 1);
  }
  if (i < count) out += ", ...+" + std::to_string(count - i);
  out += ']';
}

void ValueRenderer::render(std::string& out, const GoType& type, const uint8_t* p,
                           int depth) const {
  if (depth == 0) budget_end_ = out.size() + limits_.max_output;
  if (over_budget(out)) {
    out += "...";
    return;
  }
  if (depth > limits_.max_depth) {
    out += "...";
    return;
  }
  switch (type.kind) {
    case GoKind::Bool:
      out += p[0] ? "true" : "false";
      return;
    case GoKind::Int:
    case GoKind::Int8:
    case GoKind::Int16:
    case GoKind::Int32:
    case GoKind::Int64: {
      uint64_t raw = load_uint(p, type.size);
      int shift = 64 - static_cast<int>(type.size * 8);
      out += std::to_string(static_cast<int64_t>(raw << shift) >> shift);
      return;
    }
    case GoKind::Uint:
    case GoKind::Uint8:
    case GoKind::Uint16:
    case GoKind::Uint32:
    case GoKind::Uint64:
    case GoKind::Uintptr:
      out += std::to_string(load_uint(p, type.size));
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
    case GoKind::Pointer: {
      uint64_t ptr = load<uint64_t>(p);
      out += ptr ? "(" + type.name + ")(" + hex(ptr) + ")" : "nil";
      return;
    }
    case GoKind::UnsafePointer:
      out += "unsafe.Pointer(" + hex(load<uint64_t>(p)) + ")";
      return;
    case GoKind::Map:
    case GoKind::Chan:
    case GoKind::Func: {
      uint64_t ptr = load<uint64_t>(p);
      out += ptr ? type.name + "(" + hex(ptr) + ")" : "nil";
      return;
    }
    case GoKind::Array:
      if (type.elem) render_elements(out, *type.elem, p, type.length, depth);
      return;
    case GoKind::Slice: {
      uint64_t data = load<uint64_t>(p), len = load<uint64_t>(p + 8), cap = load<uint64_t>(p + 16);
      if (!data && !len) {
        out += "nil";
        return;
      }
      out += "len " + std::to_string(len) + " cap " + std::to_string(cap) + " ";
      if (!type.elem || !type.elem->size) {
        out += "[...]";
        return;
      }
      uint64_t shown = std::min<uint64_t>(len, limits_.max_elements);
      std::vector<uint8_t> elems(shown * type.elem->size);
      if (memory_.read_prefix(data, elems.data(), elems.size()) < elems.size()) {
        out += "<unreadable " + hex(data) + ">";
        return;
      }
      render_elements(out, *type.elem, elems.data(), shown, depth, len);
      return;
    }
    case GoKind::Interface: {
      uint64_t tab = load<uint64_t>(p), data = load<uint64_t>(p + 8);
      out += tab ? "(" + type.name + ")(type " + hex(tab) + ", data " + hex(data) + ")" : "nil";
      return;
    }
    case GoKind::Struct: {
      out += '{';
      bool first = true;
      for (const auto& f : type.fields) {
        if (!f.type) continue;
        if (!first) out += ", ";
        first = false;
        out += f.name + ": ";
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
