#include "target/expression.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "abi/go_headers.h"
#include "errors.h"
#include "maps/map_walker.h"
#include "values/value_renderer.h"

namespace gomapdbg {

namespace {

std::optional<uint64_t> parse_address(const std::string& text) {
  if (text.empty() || !std::isdigit(static_cast<unsigned char>(text[0]))) return std::nullopt;
  try {
    size_t used = 0;
    uint64_t value = std::stoull(text, &used, 0);
    if (used != text.size()) throw UsageError("'" + text + "' is not a number");
    return value;
  } catch (const std::logic_error&) {
    throw UsageError("'" + text + "' is not an address");
  }
}

std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

bool ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// Reads `size` bytes of the value a pointer-typed value points to.
// `explicit_star` marks a `*X` the user wrote; field and index access
// dereference implicitly, as Go does, without changing the origin.
GoValue deref(Target& target, const GoValue& value, bool explicit_star) {
  uint64_t address = load<uint64_t>(value.bytes.data());
  if (!address) throw UsageError(value.origin + " is a nil pointer");
  if (!value.type->elem) throw LayoutError(value.origin + ": pointer to an unknown type");
  return GoValue{value.type->elem, target.memory().bytes(address, value.type->elem->size),
                 explicit_star ? "(*" + value.origin + ")" : value.origin, "", address};
}

class Evaluator {
 public:
  Evaluator(Target& target, std::string text) : target_(target), text_(std::move(text)) {}

  GoValue parse() {
    GoValue v = unary();
    skip_space();
    if (pos_ != text_.size())
      throw UsageError("cannot parse '" + text_ + "' at '" + text_.substr(pos_) + "'");
    return v;
  }

 private:
  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool eat(char c) {
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  GoValue unary() {
    if (eat('*')) {
      GoValue v = unwrap_interface(target_, unary());
      if (v.type->kind != GoKind::Pointer) throw UsageError(v.origin + " is not a pointer");
      return deref(target_, v, true);
    }
    return postfix(primary());
  }

  GoValue primary() {
    if (eat('(')) {
      GoValue v = unary();
      if (!eat(')')) throw UsageError("missing ')' in '" + text_ + "'");
      return v;
    }
    skip_space();
    // A dotted path: the longest prefix naming a variable wins, so package
    // paths (example.com/pkg.Var) and field selections (v.f) both work.
    size_t start = pos_;
    std::vector<size_t> dots;
    while (pos_ < text_.size() && (ident_char(text_[pos_]) || text_[pos_] == '.' ||
                                   text_[pos_] == '/' || text_[pos_] == '-')) {
      if (text_[pos_] == '.') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '(') break;  // .(T)
        dots.push_back(pos_ - start);
      }
      ++pos_;
    }
    std::string path = text_.substr(start, pos_ - start);
    if (path.empty()) throw UsageError("cannot parse '" + text_ + "': expected a name");
    target_.binary().require_dwarf("looking up variable '" + path + "'");
    dots.push_back(path.size());
    for (size_t i = dots.size(); i-- > 0;) {
      std::string name = path.substr(0, dots[i]);
      std::optional<GoValue> v = lookup(name);
      if (!v) continue;
      pos_ = start + dots[i];
      return *v;
    }
    throw NotFoundError("no variable '" + path.substr(0, dots.front()) +
                        "' in the selected frame or among the globals");
  }

  std::optional<GoValue> lookup(const std::string& name) {
    if (auto local = find_local(target_, name)) return local;
    if (auto global = find_global(target_, name)) return global;
    if (name.find('.') == std::string::npos) return find_global(target_, "main." + name);
    return std::nullopt;
  }

  GoValue postfix(GoValue v) {
    for (int steps = 0; steps < 256; ++steps) {
      skip_space();
      if (pos_ + 1 < text_.size() && text_[pos_] == '.' && text_[pos_ + 1] == '(') {
        pos_ += 2;
        size_t close = text_.find(')', pos_);
        if (close == std::string::npos) throw UsageError("missing ')' in type assertion");
        std::string want = trim(text_.substr(pos_, close - pos_));
        pos_ = close + 1;
        v = assert_type(v, want);
      } else if (eat('.')) {
        size_t start = pos_;
        while (pos_ < text_.size() && ident_char(text_[pos_])) ++pos_;
        v = field(v, text_.substr(start, pos_ - start));
      } else if (eat('[')) {
        size_t close = find_closing_bracket();
        std::string key = trim(text_.substr(pos_, close - pos_));
        pos_ = close + 1;
        v = index(v, key);
      } else {
        return v;
      }
    }
    throw UsageError("expression too long");
  }

  size_t find_closing_bracket() {
    bool quoted = false;
    int depth = 0;
    for (size_t i = pos_; i < text_.size(); ++i) {
      char c = text_[i];
      if (quoted) {
        if (c == '\\')
          ++i;
        else if (c == '"')
          quoted = false;
      } else if (c == '"') {
        quoted = true;
      } else if (c == '[') {
        ++depth;
      } else if (c == ']' && depth-- == 0) {
        return i;
      }
    }
    throw UsageError("missing ']' in '" + text_ + "'");
  }

  GoValue assert_type(const GoValue& v, const std::string& want) {
    if (v.type->kind != GoKind::Interface) throw UsageError(v.origin + " is not an interface");
    GoValue dynamic = unwrap_interface(target_, v);
    if (dynamic.type->kind == GoKind::Interface) throw UsageError(v.origin + " is nil");
    if (dynamic.type->name != want)
      throw UsageError(v.origin + " holds a " + dynamic.type->name + ", not a " + want);
    dynamic.origin = v.origin + ".(" + want + ")";
    return dynamic;
  }

  GoValue field(GoValue v, const std::string& name) {
    v = pointed_struct(v);
    if (v.type->kind != GoKind::Struct)
      throw UsageError(v.origin + " is " + with_article(v.type->name) + ", which has no field " +
                       name);
    std::string origin = v.origin + "." + name;
    std::vector<const GoField*> path = select_field(*v.type, name, origin);
    for (size_t i = 0; i < path.size(); ++i) {
      if (i > 0) v = pointed_struct(v);
      const GoField& f = *path[i];
      if (f.offset + f.type->size > v.bytes.size()) throw LayoutError("field out of bounds");
      bool last = i + 1 == path.size();
      v = GoValue{f.type,
                  std::vector<uint8_t>(v.bytes.begin() + f.offset,
                                       v.bytes.begin() + f.offset + f.type->size),
                  last ? origin : v.origin + "." + f.name, "",
                  v.address ? v.address + f.offset : 0};
    }
    return v;
  }

  // The value itself, or what its pointers and interfaces lead to (bounded).
  GoValue pointed_struct(GoValue v) {
    for (int hops = 0; hops < 16; ++hops) {
      v = unwrap_interface(target_, v);
      if (v.type->kind != GoKind::Pointer) break;
      v = deref(target_, v, false);
    }
    return v;
  }

  // Go's selector rule: the field `name` at the shallowest depth of
  // embedding wins, two at that depth make the selector ambiguous; embedded
  // structs and pointers to structs are searched, each type once. Returns
  // the fields from the outer struct down to the one selected.
  static std::vector<const GoField*> select_field(const GoType& type, const std::string& name,
                                                  const std::string& origin) {
    constexpr int kMaxEmbedding = 16;
    constexpr size_t kMaxCandidates = 4096;
    using Path = std::vector<const GoField*>;
    std::vector<std::pair<const GoType*, Path>> level{{&type, {}}};
    std::vector<const GoType*> visited;
    for (int depth = 0; depth < kMaxEmbedding && !level.empty(); ++depth) {
      std::vector<Path> matches;
      std::vector<std::pair<const GoType*, Path>> next;
      for (const auto& [t, path] : level) {
        // A type met at a shallower depth is not searched again (W5{*W5});
        // one met twice at this depth is, so that its fields are ambiguous.
        if (std::find(visited.begin(), visited.end(), t) != visited.end()) continue;
        for (const auto& f : t->fields) {
          if (!f.type) continue;
          Path here = path;
          here.push_back(&f);
          if (f.name == name) matches.push_back(here);
          if (const GoType* inner = embedded_struct(f); inner && next.size() < kMaxCandidates)
            next.emplace_back(inner, std::move(here));
        }
      }
      for (const auto& entry : level) visited.push_back(entry.first);
      if (matches.size() == 1) return matches.front();
      if (matches.size() > 1)
        throw UsageError("ambiguous selector " + origin + ": " + dotted(matches[0]) + " and " +
                         dotted(matches[1]) + " are both at depth " + std::to_string(depth));
      level = std::move(next);
    }
    throw NotFoundError(type.name + " has no field " + name);
  }

  // The struct an embedded field holds, directly or through a pointer.
  static const GoType* embedded_struct(const GoField& f) {
    if (!f.embedded || !f.type) return nullptr;
    const GoType* t = f.type->kind == GoKind::Pointer ? f.type->elem : f.type;
    return t && t->kind == GoKind::Struct ? t : nullptr;
  }

  static std::string dotted(const std::vector<const GoField*>& path) {
    std::string out;
    for (const GoField* f : path) out += (out.empty() ? "" : ".") + f->name;
    return out;
  }

  GoValue index(GoValue v, const std::string& key) {
    v = unwrap_interface(target_, v);
    if (v.type->kind == GoKind::Pointer && v.type->elem && v.type->elem->kind == GoKind::Array)
      v = deref(target_, v, false);
    std::string origin = v.origin + "[" + key + "]";
    switch (v.type->kind) {
      case GoKind::Array:
      case GoKind::Slice:
      case GoKind::String: {
        uint64_t i = parse_index(key);
        const GoType* elem = v.type->elem;
        uint64_t len = v.type->kind == GoKind::Array ? v.type->length : load<uint64_t>(&v.bytes[8]);
        if (i >= len)
          throw UsageError(origin + ": index out of range (len " + std::to_string(len) + ")");
        if (v.type->kind == GoKind::String) {
          static const GoType byte{"uint8", GoKind::Uint8, 1};
          return GoValue{&byte, {target_.memory().u8(load<uint64_t>(&v.bytes[0]) + i)}, origin};
        }
        if (!elem) throw LayoutError(v.origin + ": unknown element type");
        if (v.type->kind == GoKind::Array)
          return GoValue{elem,
                         std::vector<uint8_t>(v.bytes.begin() + i * elem->size,
                                              v.bytes.begin() + (i + 1) * elem->size),
                         origin, "", v.address ? v.address + i * elem->size : 0};
        uint64_t element = load<uint64_t>(&v.bytes[0]) + i * elem->size;
        return GoValue{elem, target_.memory().bytes(element, elem->size), origin, "", element};
      }
      case GoKind::Map:
        return map_index(v, key);
      default:
        throw UsageError(v.origin + " is " + with_article(v.type->name) +
                         ", which cannot be indexed");
    }
  }

  static uint64_t parse_index(const std::string& key) {
    try {
      size_t used = 0;
      long long i = std::stoll(key, &used, 0);
      if (used != key.size() || i < 0) throw std::invalid_argument(key);
      return static_cast<uint64_t>(i);
    } catch (const std::logic_error&) {
      throw UsageError("index '" + key + "' is not a non-negative integer");
    }
  }

  // Finds the entry whose key renders as `key` (strings may be given
  // without quotes), by walking the map: no hashing, any key type.
  GoValue map_index(const GoValue& v, const std::string& key) {
    MapLayout layout = map_layout(*v.type);
    std::string want = key;
    if (layout.key->kind == GoKind::String && (want.empty() || want[0] != '"'))
      want = "\"" + want + "\"";
    std::string origin = v.origin + "[" + want + "]";
    uint64_t address = load<uint64_t>(v.bytes.data());
    if (!address) throw NotFoundError(origin + ": the map is nil");
    ValueRenderer renderer(target_.memory(), &target_.binary());
    std::optional<GoValue> found;
    std::string rendered;
    make_map_walker(target_.memory(), layout, address)
        ->walk([&](const uint8_t* k, const uint8_t* val) {
          rendered.clear();
          renderer.render(rendered, *layout.key, k);
          if (rendered != want) return true;
          found =
              GoValue{layout.value, std::vector<uint8_t>(val, val + layout.value->size), origin};
          return false;
        });
    if (!found) throw NotFoundError(origin + ": no such key in " + v.origin);
    return *found;
  }

  Target& target_;
  std::string text_;
  size_t pos_ = 0;
};

}  // namespace

GoValue unwrap_interface(Target& target, GoValue value) {
  for (int hops = 0; hops < 8 && value.type->kind == GoKind::Interface; ++hops) {
    auto [tab, data] = load_interface(value.bytes.data());
    if (!tab) return value;  // nil interface
    uint64_t descriptor = interface_descriptor(target.memory(), *value.type, tab);
    GoBinary& binary = target.binary();
    const GoType* dynamic = binary.dynamic_type(descriptor, target.memory());
    if (!dynamic || dynamic->kind == GoKind::Invalid)
      throw LayoutError(value.origin + ": unknown dynamic type at " + hex(descriptor));
    std::vector<uint8_t> bytes(dynamic->size);
    if (binary.runtime_types().direct_iface(descriptor, target.memory()))
      std::memcpy(bytes.data(), &data, std::min<size_t>(8, bytes.size()));
    else if (!bytes.empty())
      target.memory().read(data, bytes.data(), bytes.size());
    value = GoValue{dynamic, std::move(bytes), value.origin};
  }
  return value;
}

GoValue evaluate_expression(Target& target, const std::string& expression,
                            const std::optional<std::string>& type_name) {
  std::string expr = trim(expression);
  if (expr.empty())
    throw UsageError("missing expression: give a variable name or ADDRESS --type T");

  if (auto address = parse_address(expr)) {
    if (!type_name)
      throw UsageError("an address needs --type, e.g. " + expr + " --type 'map[string]int'");
    if (*address == 0)
      throw UsageError(
          "address 0 is not a map header (a nil map has none): give the header address");
    const GoType* type = target.binary().type_by_name(*type_name);
    GoValue value{type, {}, hex(*address) + " as " + *type_name};
    if (type->kind == GoKind::Map || type->kind == GoKind::Pointer) {
      value.bytes.resize(8);
      std::memcpy(value.bytes.data(), &*address, 8);
    } else {
      value.bytes = target.memory().bytes(*address, type->size);
      value.address = *address;
    }
    return value;
  }
  if (type_name) throw UsageError("--type goes with an ADDRESS, not with a variable name");
  return Evaluator(target, expr).parse();
}

}  // namespace gomapdbg
