#include "target/expression.h"

#include <dwarf.h>

#include <cctype>
#include <cstring>

#include "errors.h"

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

bool is_identifier(const std::string& text) {
  if (text.empty()) return false;
  for (unsigned char c : text)
    if (!std::isalnum(c) && c != '_' && c != '.' && c != '/' && c != '-' && c < 0x80) return false;
  return !std::isdigit(static_cast<unsigned char>(text[0]));
}

GoValue read_variable(Target& target, Dwarf_Die die, const FrameState& frame, std::string origin) {
  const GoType* type = nullptr;
  if (auto t = die_ref(&die, DW_AT_type)) type = target.binary().types().at(dwarf_dieoffset(&*t));
  if (!type) throw LayoutError(origin + " has no type in DWARF");
  Dwarf_Attribute attr;
  if (!dwarf_attr_integrate(&die, DW_AT_location, &attr))
    throw NotFoundError(origin + " has no location (optimized out)");
  std::string why;
  auto location = evaluate_location(&attr, frame, type->size, target.memory(), why);
  if (!location) throw NotFoundError(origin + ": " + why);
  GoValue value{type, {}, std::move(origin)};
  if (location->address)
    value.bytes = target.memory().bytes(*location->address, type->size);
  else
    value.bytes = std::move(location->bytes);
  return value;
}

// Searches the function's parameters and variables, descending into lexical
// blocks that contain the PC.
std::optional<Dwarf_Die> find_in_scope(Dwarf_Die scope, const std::string& name, uint64_t pc) {
  Dwarf_Die child;
  if (dwarf_child(&scope, &child) != 0) return std::nullopt;
  std::optional<Dwarf_Die> found;
  do {
    int tag = dwarf_tag(&child);
    if ((tag == DW_TAG_formal_parameter || tag == DW_TAG_variable) && die_name(&child) == name)
      found = child;  // later (inner) declarations win
    if (tag == DW_TAG_lexical_block && dwarf_haspc(&child, pc) == 1)
      if (auto inner = find_in_scope(child, name, pc)) return inner;
  } while (dwarf_siblingof(&child, &child) == 0);
  return found;
}

std::optional<GoValue> find_local(Target& target, const std::string& name) {
  auto frame = target.frame_state();
  if (!frame) return std::nullopt;
  auto fn = target.binary().dwarf().function_at(frame->pc);
  if (!fn) return std::nullopt;
  auto die = find_in_scope(target.binary().dwarf().die(*fn), name, frame->pc);
  if (!die) return std::nullopt;
  bool is_arg = dwarf_tag(&*die) == DW_TAG_formal_parameter;
  return read_variable(target, *die, *frame, name + (is_arg ? " (argument)" : " (local)"));
}

std::optional<GoValue> find_global(Target& target, const std::string& name) {
  auto off = target.binary().dwarf().global(name);
  if (!off) return std::nullopt;
  FrameState no_frame;
  return read_variable(target, target.binary().dwarf().die(*off), no_frame, name + " (global)");
}

}  // namespace

GoValue evaluate_expression(Target& target, const std::string& expression,
                            const std::optional<std::string>& type_name) {
  std::string expr = expression;
  while (!expr.empty() && std::isspace(static_cast<unsigned char>(expr.back()))) expr.pop_back();
  while (!expr.empty() && std::isspace(static_cast<unsigned char>(expr.front()))) expr.erase(0, 1);
  if (expr.empty())
    throw UsageError("missing expression: give a variable name or ADDRESS --type T");

  if (auto address = parse_address(expr)) {
    if (!type_name)
      throw UsageError("an address needs --type, e.g. " + expr + " --type 'map[string]int'");
    if (*address == 0)
      throw UsageError(
          "address 0 is not a map header (a nil map has none): give the header address");
    target.binary().require_dwarf("--type " + *type_name);
    const GoType* type = target.binary().types().by_name(*type_name);
    if (!type) throw NotFoundError("type " + *type_name + " is not in the binary's DWARF");
    GoValue value{type, {}, hex(*address) + " as " + *type_name};
    if (type->kind == GoKind::Map || type->kind == GoKind::Pointer) {
      value.bytes.resize(8);
      std::memcpy(value.bytes.data(), &*address, 8);
    } else {
      value.bytes = target.memory().bytes(*address, type->size);
    }
    return value;
  }
  if (type_name) throw UsageError("--type goes with an ADDRESS, not with a variable name");
  if (!is_identifier(expr))
    throw UsageError("cannot parse '" + expr + "': give a variable name or ADDRESS --type T");
  target.binary().require_dwarf("looking up variable '" + expr + "'");
  if (auto local = find_local(target, expr)) return *local;
  if (auto global = find_global(target, expr)) return *global;
  if (expr.find('.') == std::string::npos)
    if (auto global = find_global(target, "main." + expr)) return *global;
  throw NotFoundError("no variable '" + expr + "' in the selected frame or among the globals");
}

}  // namespace gomapdbg
