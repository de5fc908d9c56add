#include "values/value_renderer.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "binary/go_binary.h"
#include "errors.h"
#include "maps/map_walker.h"
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

bool is_named_type(const std::string& name) {
  if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_'))
    return false;
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
  for (uint64_t i = 0; i < shown; ++i) {
    if (i) out += ", ";
    render(out, elem, bytes + i * elem.size, depth + 1);
  }
  if (shown < count) out += (shown ? ", ...+" : "...+") + std::to_string(count - shown);
  out += ']';
}

void ValueRenderer::render(std::string& out, const GoType& type, const uint8_t* p,
                           int depth) const {
  if (depth > limits_.max_depth) {
    out += "...";
    return;
  }
  if (!is_named_type(type.name) || type.kind == GoKind::Interface ||
      type.kind == GoKind::UnsafePointer) {
    render_unnamed(out, type, p, depth);
    return;
  }
  // A named type shows its name: main.Point{...}, main.Index{...},
  // main.Celsius(36.6); a nil one is just nil.
  std::string inner;
  render_unnamed(inner, type, p, depth);
  if (inner == "nil") {
    out += inner;
  } else if (type.kind == GoKind::Struct || (type.kind == GoKind::Map && inner[0] == '{')) {
    out += type.name + inner;
  } else {
    out += type.name + "(" + inner + ")";
  }
}

void ValueRenderer::render_pointer(std::string& out, const GoType& type, uint64_t address,
                                   int depth) const {
  if (!address) {
    out += "nil";
    return;
  }
  if (depth < limits_.deref_depth && type.elem && type.elem->size &&
      type.elem->size <= kMaxReadSize) {
    std::vector<uint8_t> target(type.elem->size);
    if (memory_.read_prefix(address, target.data(), target.size()) == target.size()) {
      out += '&';
      render(out, *type.elem, target.data(), depth + 1);
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
  // eface's first word is the type; a non-empty interface's is an itab whose
  // Type sits at offset 8 (abi.ITab, go1.19–go1.26).
  constexpr uint64_t kItabType = 8;
  bool empty = type.name == "interface {}" || type.name == "any";
  if (!binary_) {
    out += "(" + type.name + ")(" + hex(tab) + ", " + hex(data) + ")";
    return;
  }
  try {
    uint64_t descriptor = empty ? tab : memory_.u64(tab + kItabType);
    const GoType* dynamic = binary_->dynamic_type(descriptor, memory_);
    if (!dynamic || dynamic->kind == GoKind::Invalid) throw MemoryError("unknown dynamic type");
    std::vector<uint8_t> value(dynamic->size);
    if (binary_->runtime_types().direct_iface(descriptor, memory_)) {
      std::memcpy(value.data(), &data, std::min<size_t>(8, value.size()));
    } else if (!value.empty()) {
      memory_.read(data, value.data(), value.size());
    }
    // The dynamic type is shown unless the value's rendering already shows
    // it (named types, non-nil pointers, chans and maps).
    std::string inner;
    render(inner, *dynamic, value.data(), depth + 1);
    GoKind k = dynamic->kind;
    bool shows_type =
        is_named_type(dynamic->name) ||
        (inner != "nil" && (k == GoKind::Pointer || k == GoKind::Chan || k == GoKind::Map));
    out += shows_type ? inner : dynamic->name + "(" + inner + ")";
  } catch (const Error&) {
    out += "<unreadable interface " + hex(tab) + ", " + hex(data) + ">";
  }
}

void ValueRenderer::render_map(std::string& out, const GoType& type, uint64_t address,
                               int depth) const {
  if (!address) {
    out += "nil";
    return;
  }
  std::vector<std::string> entries;
  uint64_t total = 0;
  try {
    if (!type.header) throw LayoutError("no layout");
    MapLayout layout = map_layout(type);
    auto walker = make_map_walker(memory_, layout, address);
    total = walker->header().count;
    walker->walk([&](const uint8_t* key, const uint8_t* value) {
      std::string entry;
      render(entry, *layout.key, key, depth + 1);
      entry += ": ";
      render(entry, *layout.value, value, depth + 1);
      entries.push_back(std::move(entry));
      return entries.size() < limits_.max_elements * 16;  // bound the sort
    });
  } catch (const Error&) {
    out += "(" + type.name + ")(" + hex(address) + ")";
    return;
  }
  std::sort(entries.begin(), entries.end());
  out += is_named_type(type.name) ? "{" : type.name + "{";
  uint64_t shown = std::min<uint64_t>(entries.size(), limits_.max_elements);
  for (uint64_t i = 0; i < shown; ++i) {
    if (i) out += ", ";
    out += entries[i];
  }
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
      // runtime.hchan starts with qcount and dataqsiz (uint), go1.19–go1.26.
      uint64_t counts[2] = {0, 0};
      out += "(" + type.name + ")(" + hex(ptr);
      if (memory_.read_prefix(ptr, counts, sizeof counts) == sizeof counts)
        out += " len " + std::to_string(counts[0]) + " cap " + std::to_string(counts[1]);
      out += ")";
      return;
    }
    case GoKind::Func: {
      uint64_t funcval = load<uint64_t>(p);
      if (!funcval) {
        out += "nil";
        return;
      }
      // A func value points to a funcval whose first word is the code pointer.
      uint64_t code = 0;
      out += "func(";
      if (memory_.read_prefix(funcval, &code, 8) == 8) {
        out += hex(code);
        if (binary_) out += " " + binary_->function_name(code);
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
      uint64_t data = load<uint64_t>(p), len = load<uint64_t>(p + 8), cap = load<uint64_t>(p + 16);
      if (!data) {
        out += "nil";
        return;
      }
      out += "len " + std::to_string(len) + " cap " + std::to_string(cap) + " ";
      if (!type.elem) {
        out += "[...]";
        return;
      }
      uint64_t shown = std::min<uint64_t>(len, limits_.max_elements);
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
