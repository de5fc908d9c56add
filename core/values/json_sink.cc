#include "values/json_sink.h"

#include "memory/memory.h"
#include "values/go_quote.h"
#include "values/text_sink.h"

namespace gomapdbg {

namespace {

// Integers beyond this magnitude lose precision in a JSON parser's double.
constexpr uint64_t kMaxExactInt = (uint64_t{1} << 53) - 1;

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

void append_json_address(std::string& out, uint64_t address) {
  out += '"';
  out += hex(address);
  out += '"';
}

std::string json_address(uint64_t address) {
  std::string out;
  append_json_address(out, address);
  return out;
}

void JsonSink::error(const std::string& message) {
  out_ += "{\"error\": ";
  append_json_string(out_, message);
  out_ += '}';
}

void JsonSink::boolean(bool value) { out_ += value ? "true" : "false"; }
void JsonSink::signed_integer(int64_t value) { append_json_int(out_, value); }
void JsonSink::unsigned_integer(uint64_t value) { append_json_uint(out_, value); }
void JsonSink::floating(double value, int bits) { append_json_float(out_, value, bits); }

void JsonSink::complex(double real, double imag, int bits) {
  out_ += "{\"real\": ";
  append_json_float(out_, real, bits);
  out_ += ", \"imag\": ";
  append_json_float(out_, imag, bits);
  out_ += '}';
}

void JsonSink::string(std::string_view shown, uint64_t len) {
  if (shown.size() == len) return append_json_string(out_, shown);
  out_ += "{\"prefix\": ";
  append_json_string(out_, shown);
  out_ += ", \"len\": ";
  append_json_uint(out_, len);
  out_ += '}';
}

void JsonSink::nil() { out_ += "null"; }
void JsonSink::unsafe_pointer(uint64_t address) { append_json_address(out_, address); }
void JsonSink::pointer(const GoType&, uint64_t address) { append_json_address(out_, address); }

void JsonSink::chan(const GoType&, uint64_t address, std::optional<ChanCounts> counts) {
  out_ += "{\"address\": ";
  append_json_address(out_, address);
  if (counts) {
    out_ += ", \"len\": ";
    append_json_uint(out_, counts->len);
    out_ += ", \"cap\": ";
    append_json_uint(out_, counts->cap);
  }
  out_ += '}';
}

void JsonSink::func(uint64_t pc, const std::string* name) {
  out_ += "{\"func\": ";
  if (name)
    append_json_string(out_, *name);
  else
    out_ += "null";
  out_ += ", \"pc\": ";
  append_json_address(out_, pc);
  out_ += '}';
}

void JsonSink::unreadable(const Unreadable& what) {
  using Reason = Unreadable::Reason;
  switch (what.reason) {
    case Reason::String:
      return error("unreadable string " + hex(what.address) + " len " + std::to_string(what.len));
    case Reason::SliceElements:
      return error("unreadable slice " + hex(what.address) + " len " + std::to_string(what.len) +
                   " cap " + std::to_string(what.cap));
    case Reason::SliceElementType:
    case Reason::ArrayElementType:
      return error("unknown element type");
    case Reason::Interface:
    case Reason::InterfaceType:
      return error("unreadable interface " + hex(what.address) + ", " + hex(what.data));
    case Reason::Func:
      return error("unreadable func value " + hex(what.address));
    case Reason::Pointee:
      return error("unreadable " + what.type->name + " " + hex(what.address));
    case Reason::ShapePointee:
      return error(what.type->name + " " + hex(what.address) +
                   ": unknown pointee: " + kShapeUnresolved);
    case Reason::Map:
      map_head(*what.type, what.address);
      out_ += ", \"error\": " + json_string(what.error) + "}";
      return;
    case Reason::Kind:
      return error("cannot render " + what.type->name);
  }
}

void JsonSink::too_deep() { error("nested too deep"); }

void JsonSink::mutex(const GoType&, const MutexState& m) {
  out_ += std::string("{\"locked\": ") + (m.locked ? "true" : "false");
  out_ += std::string(", \"woken\": ") + (m.woken ? "true" : "false");
  out_ += std::string(", \"starving\": ") + (m.starving ? "true" : "false");
  out_ += ", \"waiters\": ";
  append_json_uint(out_, m.waiters);
  out_ += '}';
}

void JsonSink::rwmutex(const GoType& type, const RWMutexState& rw) {
  out_ += "{\"w\": ";
  mutex(type, rw.w);
  out_ += ", \"readers\": ";
  append_json_int(out_, rw.readers());
  out_ += ", \"writer\": ";
  append_json_string(out_, rw.writer());
  out_ += ", \"readerWait\": ";
  append_json_int(out_, rw.reader_wait);
  out_ += ", \"readerCount\": ";
  append_json_int(out_, rw.reader_count);
  out_ += '}';
}
// Not reached: spent() is never true.
void JsonSink::over_budget() { too_deep(); }

void JsonSink::begin_deref(uint64_t address) {
  out_ += "{\"address\": ";
  append_json_address(out_, address);
  out_ += ", \"value\": ";
}

void JsonSink::end_deref() { out_ += '}'; }

SinkMark JsonSink::begin_interface(const GoType& dynamic) {
  SinkMark mark{out_.size(), 0};
  out_ += "{\"type\": ";
  append_json_string(out_, dynamic.name);
  out_ += ", \"value\": ";
  return mark;
}

void JsonSink::end_interface(const GoType&, const SinkMark&) { out_ += '}'; }
void JsonSink::rewind(const SinkMark& mark) { out_.resize(mark.position); }

void JsonSink::begin_struct() { out_ += '{'; }

// Object keys must be unique; a struct may have several blank fields.
void JsonSink::field(std::string_view name, bool first, int blank) {
  if (!first) out_ += ", ";
  if (blank > 1)
    append_json_string(out_, std::string(name) + std::to_string(blank));
  else
    append_json_string(out_, name);
  out_ += ": ";
}

void JsonSink::end_struct() { out_ += '}'; }

// A whole array or slice is a JSON array; one cut at the cap says how long it is.
void JsonSink::begin_sequence(const Sequence& seq) {
  if (seq.shown == seq.len) {
    out_ += '[';
    return;
  }
  out_ += "{\"len\": ";
  append_json_uint(out_, seq.len);
  if (seq.slice) {
    out_ += ", \"cap\": ";
    append_json_uint(out_, seq.cap);
  }
  out_ += ", \"elements\": [";
}

void JsonSink::element(uint64_t index) {
  if (index) out_ += ", ";
}

void JsonSink::end_sequence(const Sequence& seq, uint64_t) {
  out_ += seq.shown == seq.len ? "]" : "]}";
}

void JsonSink::map_head(const GoType& type, uint64_t address) {
  out_ += "{\"type\": ";
  append_json_string(out_, type.name);
  out_ += ", \"address\": ";
  append_json_address(out_, address);
}

void JsonSink::begin_map(const GoType& type, uint64_t address, uint64_t count) {
  map_head(type, address);
  out_ += ", \"len\": ";
  append_json_uint(out_, count);
  out_ += ", \"entries\": [";
}

SinkMark JsonSink::begin_entry(uint64_t index) {
  out_ += index ? ", {\"key\": " : "{\"key\": ";
  return {};
}

void JsonSink::entry_value() { out_ += ", \"value\": "; }
void JsonSink::end_entry(const SinkMark&) { out_ += '}'; }
void JsonSink::end_map(uint64_t, uint64_t) { out_ += "]}"; }

}  // namespace gomapdbg
