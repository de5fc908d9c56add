// Resolves what the user typed after a command to a typed Go value. The
// expression language is a small subset of Go:
//   NAME                  a local or argument of the selected frame, else a
//                         global (NAME, then main.NAME; package paths allowed)
//   X.field               a struct field (pointers are followed, embedded
//                         structs searched, interfaces unwrapped)
//   X[i]  X["key"]  X[k]  an element of an array, slice or string, or the
//                         value of a map entry whose key renders as k
//   *X   X.(T)   (X)      dereference, interface type assertion, grouping
//   ADDRESS --type T      a value of type T at ADDRESS; for a map type,
//                         ADDRESS is the map header (what %p prints)
#pragma once

#include <optional>
#include <string>

#include "target/target.h"
#include "target/variables.h"

namespace gomapdbg {

GoValue evaluate_expression(Target& target, const std::string& expression,
                            const std::optional<std::string>& type_name);

// Follows interfaces to their dynamic value (bounded); other values as they are.
GoValue unwrap_interface(Target& target, GoValue value);

}  // namespace gomapdbg
