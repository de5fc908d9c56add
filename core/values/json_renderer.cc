#include "values/json_renderer.h"

#include <algorithm>
#include <vector>

#include "errors.h"
#include "program/go_binary.h"
#include "values/go_quote.h"
#include "values/value_access.h"

namespace gomapdbg {

namespace {

// Integers beyond this magnitude lose precision in a JSON parser's double.
constexpr uint64_t kMaxExactInt = (uint64_t{1} << 53) - 1;

void append_error(std::string& out, const std::string& message) {
  out += "{\"error\": ";
  append_json_string(out, message);
  out += '}';
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (size_t i = 0; i < s.size();) {
    char32_t rune = 0;
    size_t len = decode_utf8(s, i, rune);
    if (len == 0) {
      out += "\\ufffd";
      ++i;
      continue;
    }
    switch (rune) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (rune < 0x20) {
          append_hex_escape(out, 'u', rune, 4);
        } else {
          out.append(s.substr(i, len));
        }
    }
    i += len;
  }
  out += '"';
}

std::string json_string(std::string_view bytes) {
  std::string out;
  append_json_string(out, bytes);
  return out;
}

void append_json_int(std::string& out, int64_t value) {
  uint64_t magnitude = value < 0 ? 0 - static_cast<uint64_t>(value) : value;
  if (magnitude <= kMaxExactInt)
    out += std::to_string(value);
  else
    out += "\"" + std::to_string(value) + "\"";
}

void append_json_uint(std::string& out, uint64_t value) {
  if (value <= kMaxExactInt)
    out += std::to_string(value);
  else
    out += "\"" + std::to_string(value) + "\"";
}

void append_json_float(std::string& out, double value, int bits) {
  std::string text = format_go_float(value, bits);
  if (text == "NaN" || text == "+Inf" || text == "-Inf")
    out += "\"" + text + "\"";
  else
    out += text;
}

void JsonRenderer::render_string(std::string& out, uint64_t data, uint64_t len) const {
  if (len == 0) {
    out += "\"\"";
    return;
  }
  uint64_t shown = std::min<uint64_t>(len, limits_.max_string);
  std::string bytes(shown, '\0');
  if (memory_.read_prefix(data, bytes.data(), shown) < shown) {
    append_error(out, "unreadable string " + hex(data) + " len " + std::to_string(len));
    return;
  }
  if (shown == len) {
    append_json_string(out, bytes);
    return;
  }
  out += "{\"prefix\": ";
  append_json_string(out, bytes);
  out += ", \"len\": ";
  append_json_uint(out, len);
  out += '}';
}

void JsonRenderer::render_elements(std::string& out, const GoType& elem, const uint8_t* bytes,
                                   uint64_t count, int depth) const {
  out += '[';
  for (uint64_t i = 0; i < count; ++i) {
    if (i) out += ", ";
    render(out, elem, bytes + i * elem.size, depth + 1);
  }
  out += ']';
}

void JsonRenderer::render(std::string& out, const GoType& type, const uint8_t* p, int depth) const {
  if (depth > limits_.max_depth) {
    append_error(out, "nested too deep");
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
    case GoKind::Int64:
      append_json_int(out, load_int(p, type.size));
      return;
    case GoKind::Uint:
    case GoKind::Uint8:
    case GoKind::Uint16:
    case GoKind::Uint32:
    case GoKind::Uint64:
    case GoKind::Uintptr:
      append_json_uint(out, load_uint(p, type.size));
      return;
    case GoKind::Float32:
      append_json_float(out, load<float>(p), 32);
      return;
    case GoKind::Float64:
      append_json_float(out, load<double>(p), 64);
      return;
    case GoKind::Complex64:
    case GoKind::Complex128: {
      bool small = type.kind == GoKind::Complex64;
      int bits = small ? 32 : 64;
      out += "{\"real\": ";
      append_json_float(out, small ? load<float>(p) : load<double>(p), bits);
      out += ", \"imag\": ";
      append_json_float(out, small ? load<float>(p + 4) : load<double>(p + 8), bits);
      out += '}';
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
      out += ptr ? "\"" + hex(ptr) + "\"" : "null";
      return;
    }
    case GoKind::Map:
      render_map(out, type, load<uint64_t>(p), depth);
      return;
    case GoKind::Chan: {
      uint64_t ptr = load<uint64_t>(p);
      if (!ptr) {
        out += "null";
        return;
      }
      out += "{\"address\": \"" + hex(ptr) + "\"";
      if (auto counts = read_chan_counts(memory_, ptr)) {
        out += ", \"len\": ";
        append_json_uint(out, counts->len);
        out += ", \"cap\": ";
        append_json_uint(out, counts->cap);
      }
      out += '}';
      return;
    }
    case GoKind::Func: {
      uint64_t funcval = load<uint64_t>(p);
      if (!funcval) {
        out += "null";
        return;
      }
      auto code = read_func_pc(memory_, funcval);
      if (!code) {
        append_error(out, "unreadable func value " + hex(funcval));
        return;
      }
      out += "{\"func\": ";
      if (binary_)
        append_json_string(out, binary_->function_name(*code));
      else
        out += "null";
      out += ", \"pc\": \"" + hex(*code) + "\"}";
      return;
    }
    case GoKind::Interface:
      render_interface(out, type, p, depth);
      return;
    case GoKind::Array: {
      if (!type.elem) {
        append_error(out, "unknown element type");
        return;
      }
      uint64_t shown = std::min<uint64_t>(type.length, limits_.max_elements);
      if (shown == type.length) {
        render_elements(out, *type.elem, p, shown, depth);
        return;
      }
      out += "{\"len\": ";
      append_json_uint(out, type.length);
      out += ", \"elements\": ";
      render_elements(out, *type.elem, p, shown, depth);
      out += '}';
      return;
    }
    case GoKind::Slice: {
      auto [data, len, cap] = load_slice(p);
      if (!data) {
        out += "null";
        return;
      }
      if (!type.elem) {
        append_error(out, "unknown element type");
        return;
      }
      uint64_t shown = slice_elements_shown(len, *type.elem, limits_.max_elements);
      std::vector<uint8_t> elems(shown * type.elem->size);
      if (memory_.read_prefix(data, elems.data(), elems.size()) < elems.size()) {
        append_error(out, "unreadable slice " + hex(data) + " len " + std::to_string(len));
        return;
      }
      // A whole slice is a JSON array; one cut at the cap says how long it is.
      if (shown == len) {
        render_elements(out, *type.elem, elems.data(), shown, depth);
        return;
      }
      out += "{\"len\": ";
      append_json_uint(out, len);
      out += ", \"cap\": ";
      append_json_uint(out, cap);
      out += ", \"elements\": ";
      render_elements(out, *type.elem, elems.data(), shown, depth);
      out += '}';
      return;
    }
    case GoKind::Struct:
      render_struct(out, type, p, depth);
      return;
    default:
      append_error(out, "cannot render " + type.name);
  }
}

void JsonRenderer::render_struct(std::string& out, const GoType& type, const uint8_t* p,
                                 int depth) const {
  out += '{';
  bool first = true;
  int blanks = 0;
  for (const auto& f : type.fields) {
    if (!f.type) continue;
    if (!first) out += ", ";
    first = false;
    // Object keys must be unique; a struct may have several blank fields.
    std::string name = f.name;
    if (name == "_" && ++blanks > 1) name += std::to_string(blanks);
    append_json_string(out, name);
    out += ": ";
    render(out, *f.type, p + f.offset, depth + 1);
  }
  out += '}';
}

void JsonRenderer::render_pointer(std::string& out, const GoType& type, uint64_t address,
                                  int depth) const {
  if (!address) {
    out += "null";
    return;
  }
  if (derefs_ < limits_.deref_depth && type.elem && type.elem->size &&
      type.elem->size <= kMaxReadSize) {
    std::vector<uint8_t> target(type.elem->size);
    if (memory_.read_prefix(address, target.data(), target.size()) == target.size()) {
      out += "{\"address\": \"" + hex(address) + "\", \"value\": ";
      ++derefs_;
      render(out, *type.elem, target.data(), depth + 1);
      --derefs_;
      out += '}';
      return;
    }
  }
  out += "\"" + hex(address) + "\"";
}

void JsonRenderer::render_interface(std::string& out, const GoType& type, const uint8_t* p,
                                    int depth) const {
  uint64_t tab = load<uint64_t>(p), data = load<uint64_t>(p + 8);
  if (!tab) {
    out += "null";
    return;
  }
  std::string unreadable = "unreadable interface " + hex(tab) + ", " + hex(data);
  if (!binary_) {
    append_error(out, unreadable);
    return;
  }
  try {
    DynamicValue value = read_interface(memory_, *binary_, type, p);
    std::string inner;
    render(inner, *value.type, value.bytes.data(), depth + 1);
    out += "{\"type\": ";
    append_json_string(out, value.type->name);
    out += ", \"value\": " + inner + "}";
  } catch (const Error&) {
    append_error(out, unreadable);
  }
}

void JsonRenderer::render_map(std::string& out, const GoType& type, uint64_t address,
                              int depth) const {
  if (!address) {
    out += "null";
    return;
  }
  out += "{\"type\": ";
  append_json_string(out, type.name);
  out += ", \"address\": \"" + hex(address) + "\"";
  MapSample sample;
  try {
    sample = sample_map(memory_, type, address, text_.map_sample_size());
  } catch (const Error& e) {
    out += ", \"error\": " + json_string(e.what()) + "}";
    return;
  }
  std::vector<std::string> texts;
  std::vector<size_t> order = text_.sorted_entries(sample, depth, texts, derefs_);
  uint64_t shown = std::min<uint64_t>(order.size(), limits_.max_elements);
  out += ", \"len\": ";
  append_json_uint(out, sample.count);
  out += ", \"entries\": [";
  for (uint64_t i = 0; i < shown; ++i) {
    const MapEntryBytes& e = sample.entries[order[i]];
    out += i ? ", {\"key\": " : "{\"key\": ";
    render(out, *sample.key, e.key.data(), depth + 1);
    out += ", \"value\": ";
    render(out, *sample.value, e.value.data(), depth + 1);
    out += '}';
  }
  out += "]}";
}

}  // namespace gomapdbg
