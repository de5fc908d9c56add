// Resolves what the user typed after a command to a typed Go value:
//   NAME              a local or argument of the selected frame, else a
//                     global (NAME, then main.NAME)
//   ADDRESS --type T  a value of type T; for a map type, ADDRESS is the map
//                     header (what fmt's %p prints for the map)
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "target/target.h"
#include "types/go_type.h"

namespace gomapdbg {

struct GoValue {
  const GoType* type = nullptr;
  std::vector<uint8_t> bytes;  // the value itself (for a map: the header pointer)
  std::string origin;          // "main.m (global)", "arg (argument)", "0x... as T"
};

GoValue evaluate_expression(Target& target, const std::string& expression,
                            const std::optional<std::string>& type_name);

}  // namespace gomapdbg
