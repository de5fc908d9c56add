// Go's runtime type descriptors (abi.Type and its kind-specific tails, in
// rodata), decoded from memory. They give the dynamic type of an interface
// value, which DWARF cannot: the descriptor address is the interface's type
// word. Linked back to DWARF through DW_AT_go_runtime_type when possible.
// A decoded map type gets header types built from its descriptor by a
// MapHeaderBuilder (maps/map_header_types.h, from the version's header
// tables), so it needs no DWARF; types/ itself knows no map layout.
#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "binary/go_build_info.h"
#include "memory/memory.h"
#include "types/go_type.h"

namespace gomapdbg {

// Builds the runtime header struct of a decoded map type from its
// descriptor at `descriptor`; throws Error saying what is unknown or damaged.
class MapHeaderBuilder {
 public:
  virtual ~MapHeaderBuilder() = default;
  virtual const GoType* build(const GoType& map, uint64_t descriptor, const Memory& memory) = 0;
};

class RuntimeTypes {
 public:
  // `types_base` is moduledata.types (the runtime.types symbol); nameOff and
  // typeOff values are relative to it. Without `map_headers`, decoded map
  // types print but cannot be laid out.
  RuntimeTypes(uint64_t types_base, GoVersion version,
               std::unique_ptr<MapHeaderBuilder> map_headers = nullptr)
      : base_(types_base), version_(version), map_headers_(std::move(map_headers)) {}

  bool available() const { return base_ != 0; }
  uint64_t base() const { return base_; }
  // A GoType for the descriptor at `address`; nullptr if it is unreadable.
  const GoType* decode(uint64_t address, const Memory& memory);
  // Whether an interface holding this type stores the value in its data word.
  bool direct_iface(uint64_t address, const Memory& memory);

 private:
  std::string name_at(uint64_t name_address, const Memory& memory, bool* embedded = nullptr);
  void fill(GoType& type, uint64_t address, const Memory& memory, int depth);
  const GoType* decode_at_depth(uint64_t address, const Memory& memory, int depth);

  uint64_t base_;
  GoVersion version_;
  std::unique_ptr<MapHeaderBuilder> map_headers_;
  std::unordered_map<uint64_t, GoType*> by_address_;
  std::deque<GoType> storage_;
};

}  // namespace gomapdbg
