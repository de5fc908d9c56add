#include "target/value_address.h"

#include <cctype>
#include <optional>

#include "errors.h"
#include "memory/memory.h"
#include "target/expression.h"
#include "target/variables.h"

namespace gomapdbg {

namespace {

// How many fields an expression may name (a bound on the recursion).
constexpr int kMaxFields = 64;

std::optional<uint64_t> parse_address(const std::string& text) {
  if (text.empty() || !std::isdigit(static_cast<unsigned char>(text[0]))) return std::nullopt;
  size_t used = 0;
  uint64_t value = 0;
  try {
    value = std::stoull(text, &used, 0);
  } catch (const std::logic_error&) {
    throw UsageError("'" + text + "' is not an address");
  }
  if (used != text.size()) throw UsageError("'" + text + "' is not an address");
  return value;
}

// The expression's value, or why it has none (in `why`).
std::optional<GoValue> try_evaluate(Target& target, const std::string& expression,
                                    std::string& why) {
  try {
    return evaluate_expression(target, expression, std::nullopt);
  } catch (const Error& e) {
    why = e.what();
    return std::nullopt;
  }
}

// The value a pointer value points to.
LocatedValue pointee(const GoValue& pointer, const std::string& expression) {
  uint64_t address = load<uint64_t>(pointer.bytes.data());
  if (!address) throw UsageError(expression + " is a nil pointer");
  if (!pointer.type->elem) throw UsageError(expression + ": a pointer to an unknown type");
  return {address, pointer.type->elem};
}

std::optional<LocatedValue> global_named(Target& target, const std::string& expression,
                                         const GoType* type) {
  for (const GlobalVariable& g : global_variables(target))
    if (g.name == expression || g.name == "main." + expression)
      return LocatedValue{g.address, type};
  return std::nullopt;
}

// A local the compiler moved to the heap: DWARF's "&NAME" points to it.
std::optional<LocatedValue> heap_local(Target& target, const std::string& name) {
  std::optional<GoValue> pointer;
  try {
    pointer = find_local(target, "&" + name);
  } catch (const Error&) {
    return std::nullopt;
  }
  if (!pointer || pointer->type->kind != GoKind::Pointer) return std::nullopt;
  return pointee(*pointer, name);
}

LocatedValue locate(Target& target, const std::string& expression, int fields) {
  std::string why;
  std::optional<GoValue> value = try_evaluate(target, expression, why);
  if (value && value->type->kind == GoKind::Pointer) return pointee(*value, expression);
  if (value)
    if (auto global = global_named(target, expression, value->type)) return *global;
  if (auto local = heap_local(target, expression)) return *local;
  size_t dot = expression.rfind('.');
  if (dot == std::string::npos || dot == 0 || fields >= kMaxFields) {
    if (!value && !why.empty()) throw UsageError(why);
    throw UsageError("cannot tell where " + expression +
                     " lives: give a global, a field of one, a pointer or an ADDRESS");
  }
  std::string field_name = expression.substr(dot + 1);
  LocatedValue parent;
  try {
    parent = locate(target, expression.substr(0, dot), fields + 1);
  } catch (const UsageError&) {
    if (!why.empty()) throw UsageError(why);  // what is wrong with the whole expression
    throw;
  }
  if (parent.type->kind == GoKind::Pointer) {
    uint64_t address = target.memory().u64(parent.address);
    if (!address) throw UsageError(expression.substr(0, dot) + " is a nil pointer");
    parent = {address, parent.type->elem};
  }
  const GoField* field = parent.type ? parent.type->field(field_name) : nullptr;
  if (!field || !field->type)
    throw UsageError(expression.substr(0, dot) + " has no field " + field_name);
  return {parent.address + field->offset, field->type};
}

}  // namespace

LocatedValue locate_value(Target& target, const std::string& expression,
                          const std::string& default_type) {
  if (auto address = parse_address(expression))
    return {*address, target.binary().type_by_name(default_type)};
  return locate(target, expression, 0);
}

}  // namespace gomapdbg
