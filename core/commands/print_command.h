// `go print EXPR [--deref N] [--json]` and the one-value rendering the GDB
// pretty-printer asks for.
#pragma once

#include <optional>
#include <string>

#include "commands/output.h"
#include "target/target.h"
#include "values/value_decoder.h"

namespace gomapdbg {

struct PrintOptions {
  std::optional<std::string> type;  // EXPR is an ADDRESS of this type
  int deref = 0;                    // pointer levels followed
  bool json = false;
  ValueCaps caps;  // --max-elements, --max-string, --max-depth
};

// Prints "ORIGIN (where) = VALUE", or one JSON object.
void print_command(Target& target, const std::string& expression, const PrintOptions& options,
                   Output& out);

// The canonical inline rendering of the value of type `type_name` at
// `address` (for a map or pointer type, `address` is the value itself: the
// map header or the pointer), showing at most `max_elements` elements.
std::string render_value(Target& target, uint64_t address, const std::string& type_name,
                         size_t max_elements);

}  // namespace gomapdbg
