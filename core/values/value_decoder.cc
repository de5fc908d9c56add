#include "values/value_decoder.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <vector>

#include "errors.h"
#include "maps/sync_map.h"
#include "program/go_binary.h"
#include "values/key_order.h"
#include "values/text_sink.h"

namespace gomapdbg {

RenderLimits ValueCaps::applied_to(RenderLimits limits) const {
  if (max_elements) limits.max_elements = *max_elements ? *max_elements : SIZE_MAX;
  if (max_string) limits.max_string = *max_string ? *max_string : kMaxReadSize;
  if (max_depth) {
    limits.max_depth = *max_depth
                           ? static_cast<int>(std::min<uint64_t>(*max_depth, kMaxUnlimitedDepth))
                           : kMaxUnlimitedDepth;
    limits.stop_at_cycles = *max_depth == 0;
  }
  bool unlimited = (max_elements && !*max_elements) || (max_string && !*max_string) ||
                   (max_depth && !*max_depth);
  if (unlimited) limits.max_output = SIZE_MAX;
  return limits;
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

void ValueDecoder::decode(const GoType& type, const uint8_t* p, int depth) {
  if (depth > limits_.max_depth) {
    sink_.too_deep();
    return;
  }
  if (depth > 0 && sink_.spent()) {
    sink_.over_budget();
    return;
  }
  if (type.kind == GoKind::Struct && decode_sync_primitive(type, p, depth)) return;
  // A named type shows its name, except an interface (which shows its
  // dynamic type) and unsafe.Pointer (which says what it is).
  if (!is_named_type(type.name) || type.kind == GoKind::Interface ||
      type.kind == GoKind::UnsafePointer) {
    decode_kind(type, p, depth);
    return;
  }
  SinkMark mark = sink_.begin_named(type);
  decode_kind(type, p, depth);
  sink_.end_named(type, mark);
}

void ValueDecoder::decode_kind(const GoType& type, const uint8_t* p, int depth) {
  switch (type.kind) {
    case GoKind::Bool:
      return sink_.boolean(p[0] != 0);
    case GoKind::Int:
    case GoKind::Int8:
    case GoKind::Int16:
    case GoKind::Int32:
    case GoKind::Int64:
      return sink_.signed_integer(load_int(p, type.size));
    case GoKind::Uint:
    case GoKind::Uint8:
    case GoKind::Uint16:
    case GoKind::Uint32:
    case GoKind::Uint64:
    case GoKind::Uintptr:
      return sink_.unsigned_integer(load_uint(p, type.size));
    case GoKind::Float32:
      return sink_.floating(load<float>(p), 32);
    case GoKind::Float64:
      return sink_.floating(load<double>(p), 64);
    case GoKind::Complex64:
    case GoKind::Complex128:
      return decode_complex(type, p);
    case GoKind::String: {
      auto [data, len] = load_string(p);
      return decode_string(data, len);
    }
    case GoKind::Pointer:
      return decode_pointer(type, load<uint64_t>(p), depth);
    case GoKind::UnsafePointer: {
      uint64_t address = load<uint64_t>(p);
      return address ? sink_.unsafe_pointer(address) : sink_.nil();
    }
    case GoKind::Map:
      return decode_map(type, load<uint64_t>(p), depth);
    case GoKind::Chan:
      return decode_chan(type, load<uint64_t>(p));
    case GoKind::Func:
      return decode_func(load<uint64_t>(p));
    case GoKind::Interface:
      return decode_interface(type, p, depth);
    case GoKind::Array:
      return decode_array(type, p, depth);
    case GoKind::Slice:
      return decode_slice(type, p, depth);
    case GoKind::Struct:
      return decode_struct(type, p, depth);
    default:
      sink_.unreadable({.reason = Unreadable::Reason::Kind, .type = &type});
  }
}

void ValueDecoder::decode_complex(const GoType& type, const uint8_t* p) {
  if (type.kind == GoKind::Complex64)
    sink_.complex(load<float>(p), load<float>(p + 4), 32);
  else
    sink_.complex(load<double>(p), load<double>(p + 8), 64);
}

void ValueDecoder::decode_string(uint64_t data, uint64_t len) {
  if (len == 0) return sink_.string({}, 0);
  uint64_t shown = std::min<uint64_t>(len, limits_.max_string);
  std::string bytes(shown, '\0');
  if (memory_.read_prefix(data, bytes.data(), shown) < shown)
    return sink_.unreadable({.reason = Unreadable::Reason::String, .address = data, .len = len});
  sink_.string(bytes, len);
}

void ValueDecoder::decode_pointer(const GoType& type, uint64_t address, int depth) {
  if (!address) return sink_.nil();
  const GoType* elem = type.elem;
  if (derefs_ < limits_.deref_depth && is_shape_type(type))
    return sink_.unreadable(
        {.reason = Unreadable::Reason::ShapePointee, .type = &type, .address = address});
  if (derefs_ < limits_.deref_depth && elem && elem->size && elem->size <= kMaxReadSize) {
    std::vector<uint8_t> target(elem->size);
    sink_.begin_deref(address);
    if (memory_.read_prefix(address, target.data(), target.size()) < target.size()) {
      sink_.unreadable({.reason = Unreadable::Reason::Pointee, .type = elem, .address = address});
    } else {
      ++derefs_;
      decode(*elem, target.data(), depth + 1);
      --derefs_;
    }
    sink_.end_deref();
    return;
  }
  sink_.pointer(type, address);
}

void ValueDecoder::decode_chan(const GoType& type, uint64_t address) {
  if (!address) return sink_.nil();
  sink_.chan(type, address, read_chan_counts(memory_, address));
}

void ValueDecoder::decode_func(uint64_t funcval) {
  if (!funcval) return sink_.nil();
  auto pc = read_func_pc(memory_, funcval);
  if (!pc) return sink_.unreadable({.reason = Unreadable::Reason::Func, .address = funcval});
  if (!binary_) return sink_.func(*pc, nullptr);
  std::string name = binary_->function_name(*pc);
  sink_.func(*pc, &name);
}

void ValueDecoder::decode_interface(const GoType& type, const uint8_t* p, int depth) {
  auto [tab, data] = load_interface(p);
  if (!tab) return sink_.nil();
  Unreadable unreadable{.reason = Unreadable::Reason::Interface, .address = tab, .data = data};
  if (!binary_) {
    unreadable.reason = Unreadable::Reason::InterfaceType;
    unreadable.type = &type;
    return sink_.unreadable(unreadable);
  }
  DynamicValue value;
  try {
    value = read_interface(memory_, *binary_, type, p);
  } catch (const Error&) {
    return sink_.unreadable(unreadable);
  }
  // What the dynamic value wrote is dropped when it fails half way (a
  // damaged function table naming a func inside it).
  SinkMark mark = sink_.begin_interface(*value.type);
  int derefs = derefs_;
  try {
    decode(*value.type, value.bytes.data(), depth + 1);
  } catch (const Error&) {
    derefs_ = derefs;
    sink_.rewind(mark);
    return sink_.unreadable(unreadable);
  }
  sink_.end_interface(*value.type, mark);
}

void ValueDecoder::decode_array(const GoType& type, const uint8_t* p, int depth) {
  if (!type.elem) return sink_.unreadable({.reason = Unreadable::Reason::ArrayElementType});
  Sequence seq{.len = type.length, .shown = std::min<uint64_t>(type.length, limits_.max_elements)};
  decode_elements(seq, *type.elem, p, depth);
}

bool ValueDecoder::on_path(const GoType& type, uint64_t address) const {
  if (!limits_.stop_at_cycles) return false;
  for (const auto& [t, a] : path_)
    if (t == &type && a == address) return true;
  return false;
}

void ValueDecoder::decode_slice(const GoType& type, const uint8_t* p, int depth) {
  auto [data, len, cap] = load_slice(p);
  // A nil slice has no array and no length; a nil array with a length is
  // damaged (or made with unsafe), and says so.
  if (!data && !len && !cap) return sink_.nil();
  if (!data)
    return sink_.unreadable(
        {.reason = Unreadable::Reason::SliceElements, .address = data, .len = len, .cap = cap});
  if (on_path(type, data)) return sink_.too_deep();
  OnPath on_path(path_, limits_.stop_at_cycles, type, data);
  if (!type.elem)
    return sink_.unreadable(
        {.reason = Unreadable::Reason::SliceElementType, .len = len, .cap = cap});
  Sequence seq{.slice = true, .len = len, .cap = cap};
  seq.shown = slice_elements_shown(len, *type.elem, limits_.max_elements);
  std::vector<uint8_t> elems(seq.shown * type.elem->size);
  if (memory_.read_prefix(data, elems.data(), elems.size()) < elems.size())
    return sink_.unreadable(
        {.reason = Unreadable::Reason::SliceElements, .address = data, .len = len, .cap = cap});
  decode_elements(seq, *type.elem, elems.data(), depth);
}

void ValueDecoder::decode_elements(const Sequence& seq, const GoType& elem, const uint8_t* bytes,
                                   int depth) {
  sink_.begin_sequence(seq);
  uint64_t i = 0;
  for (; i < seq.shown && !sink_.spent(); ++i) {
    sink_.element(i);
    decode(elem, bytes + i * elem.size, depth + 1);
  }
  sink_.end_sequence(seq, i);
}

void ValueDecoder::decode_struct(const GoType& type, const uint8_t* p, int depth) {
  if (binary_ && is_sync_map_type(type)) return decode_sync_map(type, p, depth);
  decode_struct_fields(type, p, depth);
}

void ValueDecoder::decode_struct_fields(const GoType& type, const uint8_t* p, int depth) {
  sink_.begin_struct();
  bool first = true;
  int blanks = 0;
  for (const auto& f : type.fields) {
    if (!f.type) continue;
    sink_.field(f.name, first, f.name == "_" ? ++blanks : 0);
    first = false;
    decode(*f.type, p + f.offset, depth + 1);
  }
  sink_.end_struct();
}

size_t ValueDecoder::map_sample_size() const {
  // The entries shown are the first of those read, in fmt's order: read all
  // of a map up to kMinSample (so a short listing, a frame argument's, still
  // starts where fmt's does) and more than are shown of a larger one, but
  // bound the walk all the same.
  constexpr size_t kMinSample = size_t{1} << 10;
  constexpr size_t kMaxSample = size_t{1} << 24;
  if (limits_.max_elements >= kMaxSample / 16) return kMaxSample;
  return std::max(kMinSample, limits_.max_elements * 16);
}

std::string ValueDecoder::entry_text(const MapSample& sample, size_t index, int depth) {
  const MapEntryBytes& e = sample.entries[index];
  std::string entry;
  TextSink text(entry, sink_.budget_end());
  ValueDecoder decoder(*this, text);
  decoder.decode(*sample.key, e.key.data(), depth + 1);
  entry += ": ";
  decoder.decode(*sample.value, e.value.data(), depth + 1);
  return entry;
}

std::vector<size_t> ValueDecoder::canonical_order(const MapSample& sample, int depth,
                                                  EntryTexts& texts) {
  std::vector<SortKey> keys;
  keys.reserve(sample.entries.size());
  for (const auto& e : sample.entries)
    keys.push_back(fmt_sort_key(memory_, binary_, *sample.key, e.key.data()));
  std::vector<size_t> order(keys.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return keys[a] < keys[b]; });
  // Keys fmt finds equal (NaNs, unreadable ones) go by their text, so that
  // the order does not depend on where the entries are stored.
  texts.assign(order.size(), std::nullopt);
  auto text = [&](size_t i) -> const std::string& {
    if (!texts[i]) texts[i] = entry_text(sample, i, depth);
    return *texts[i];
  };
  for (size_t first = 0, end = 0; first < order.size(); first = end) {
    for (end = first + 1; end < order.size() && keys[order[end]] == keys[order[first]];) ++end;
    if (end - first > 1)
      std::stable_sort(order.begin() + first, order.begin() + end,
                       [&](size_t a, size_t b) { return text(a) < text(b); });
  }
  return order;
}

void ValueDecoder::decode_map(const GoType& type, uint64_t address, int depth) {
  if (!address) return sink_.nil();
  if (on_path(type, address)) return sink_.too_deep();
  OnPath on_path(path_, limits_.stop_at_cycles, type, address);
  MapSample sample;
  try {
    sample = sample_map(memory_, type, address, map_sample_size());
  } catch (const Error& e) {
    return sink_.unreadable(
        {.reason = Unreadable::Reason::Map, .type = &type, .address = address, .error = e.what()});
  }
  emit_map(type, address, sample, depth);
}

void ValueDecoder::emit_map(const GoType& type, uint64_t address, const MapSample& sample,
                            int depth) {
  EntryTexts texts;
  std::vector<size_t> order = canonical_order(sample, depth, texts);
  uint64_t shown = std::min<uint64_t>(order.size(), limits_.max_elements);
  sink_.begin_map(type, address, sample.count);
  for (uint64_t i = 0; i < shown; ++i) {
    std::optional<std::string>& text = texts[order[i]];
    if (!text) text = entry_text(sample, order[i], depth);
    if (sink_.entry_text(i, *text)) continue;
    const MapEntryBytes& e = sample.entries[order[i]];
    SinkMark mark = sink_.begin_entry(i);
    decode(*sample.key, e.key.data(), depth + 1);
    sink_.entry_value();
    decode(*sample.value, e.value.data(), depth + 1);
    sink_.end_entry(mark);
  }
  sink_.end_map(shown, sample.count);
}

}  // namespace gomapdbg
