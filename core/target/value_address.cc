#include "target/value_address.h"

#include <cctype>
#include <optional>

#include "errors.h"
#include "memory/memory.h"
#include "target/expression.h"
#include "target/variables.h"

namespace gomapdbg {

namespace {

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

}  // namespace

LocatedValue locate_value(Target& target, const std::string& expression,
                          const std::string& default_type) {
  if (auto address = parse_address(expression))
    return {*address, target.binary().type_by_name(default_type)};
  GoValue value = evaluate_expression(target, expression, std::nullopt);
  if (value.type->kind == GoKind::Pointer) {
    uint64_t address = load<uint64_t>(value.bytes.data());
    if (!address) throw UsageError(expression + " is a nil pointer");
    if (!value.type->elem) throw UsageError(expression + ": a pointer to an unknown type");
    return {address, value.type->elem};
  }
  if (!value.address)
    throw UsageError("cannot tell where " + expression +
                     " lives (it was read from registers): give a pointer to it or its ADDRESS");
  return {value.address, value.type};
}

}  // namespace gomapdbg
