// Go's runtime type descriptors (abi.Type and its kind-specific tails, in
// rodata), decoded from memory. They give the dynamic type of an interface
// value, which DWARF cannot: the descriptor address is the interface's type
// word. Linked back to DWARF through DW_AT_go_runtime_type when possible.
#pragma once

#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>

#include "binary/go_build_info.h"
#include "memory/memory.h"
#include "types/go_type.h"

namespace gomapdbg {

class RuntimeTypes {
 public:
  // `types_base` is moduledata.types (the runtime.types symbol); nameOff and
  // typeOff values are relative to it.
  RuntimeTypes(uint64_t types_base, GoVersion version) : base_(types_base), version_(version) {}

  // A descriptor does not describe a map's runtime header (hmap, swiss Map):
  // decoded map types take it from `by_name`'s map type of the same name.
  void set_map_headers(std::function<const GoType*(const std::string&)> by_name) {
    map_by_name_ = std::move(by_name);
  }

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
  std::function<const GoType*(const std::string&)> map_by_name_;
  std::unordered_map<uint64_t, GoType*> by_address_;
  std::deque<GoType> storage_;
};

}  // namespace gomapdbg
