#include "crash/conflict_key.h"

#include <vector>

#include "errors.h"
#include "maps/map_functions.h"
#include "target/variables.h"
#include "values/value_renderer.h"

namespace gomapdbg {

namespace {

// DWARF names of the key argument: `key` (both layouts), `s` and `ky` in
// the classic string fast paths (runtime/map_faststr.go, go1.19–1.25).
constexpr const char* kKeyArgumentNames[] = {"key", "s", "ky"};

// The _fast32/_fast64/_faststr entry points take the key by value (the
// *ptr variants: the pointer is the key); the others take a pointer to it.
bool key_by_value(const std::string& function) {
  return function.find("_fast") != std::string::npos;
}

std::optional<std::vector<uint8_t>> key_bytes(Target& target, const Frame& frame,
                                              const GoType& key_type, std::string& name) {
  for (const char* candidate : kKeyArgumentNames) {
    std::optional<GoValue> value;
    try {
      value = find_in_frame(target, frame.dwarf_state(), candidate);
    } catch (const Error&) {
      continue;  // not readable at this PC (only in a register since clobbered)
    }
    if (!value) continue;
    name = candidate;
    if (key_by_value(frame.function)) {
      if (value->bytes.size() < key_type.size) continue;
      value->bytes.resize(key_type.size);
      return value->bytes;
    }
    if (value->bytes.size() < 8) continue;
    uint64_t pointer = load<uint64_t>(value->bytes.data());
    std::vector<uint8_t> bytes(key_type.size);
    if (!pointer ||
        target.memory().read_prefix(pointer, bytes.data(), bytes.size()) != bytes.size())
      continue;
    return bytes;
  }
  return std::nullopt;
}

}  // namespace

std::optional<ConflictKey> conflict_key(Target& target, const Backtrace& backtrace,
                                        const GoType& key_type) {
  if (!target.binary().dwarf().present()) return std::nullopt;
  for (const Frame& frame : backtrace.frames) {
    if (!frame.cfa || frame.inlined || !map_access(frame.function)) continue;
    std::string name;
    auto bytes = key_bytes(target, frame, key_type, name);
    if (!bytes) continue;
    ConflictKey key;
    ValueRenderer(target.memory(), &target.binary()).render(key.text, key_type, bytes->data());
    key.where = "argument " + name + " of " + frame.function;
    key.bytes = std::move(*bytes);
    return key;
  }
  return std::nullopt;
}

}  // namespace gomapdbg
