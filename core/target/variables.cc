#include "target/variables.h"

#include <dwarf.h>

#include <algorithm>
#include <cstdlib>
#include <set>

#include "errors.h"

namespace gomapdbg {

namespace {

// Integer registers of Go's register ABI on amd64 (RAX RBX RCX RDI RSI R8–R11).
constexpr uint64_t kIntegerArgumentRegisters = 9;

// The spill slot of a register-assigned argument, relative to the CFA: the
// ABI lays spill space out in parameter order, each aligned to its type,
// after the stack-assigned arguments and results (none when everything fits
// in registers). Only for functions whose parameters are all integer-class
// words (pointers, ints, strings: the map functions), else nullopt.
std::optional<uint64_t> abi_spill_offset(Target& target, Dwarf_Die param) {
  Dwarf_Die function;
  Dwarf_Die* scopes = nullptr;
  int n = dwarf_getscopes_die(&param, &scopes);
  if (n < 2) {
    free(scopes);
    return std::nullopt;
  }
  function = scopes[1];
  free(scopes);
  Dwarf_Die child;
  if (dwarf_child(&function, &child) != 0) return std::nullopt;
  uint64_t offset = 0, registers = 0;
  std::optional<uint64_t> found;
  do {
    if (dwarf_tag(&child) != DW_TAG_formal_parameter) continue;
    bool result = false;
    Dwarf_Attribute attr;
    if (dwarf_attr(&child, DW_AT_variable_parameter, &attr)) dwarf_formflag(&attr, &result);
    if (result) continue;
    auto t = die_ref(&child, DW_AT_type);
    const GoType* type = t ? target.binary().types().at(dwarf_dieoffset(&*t)) : nullptr;
    if (!type) return std::nullopt;
    uint64_t words = 0, align = 8;
    switch (type->kind) {
      case GoKind::String:
        words = 2;
        break;
      case GoKind::Pointer:
      case GoKind::UnsafePointer:
      case GoKind::Map:
      case GoKind::Chan:
      case GoKind::Func:
      case GoKind::Uintptr:
        words = 1;
        break;
      default:
        if (!type->is_signed_int() && !type->is_unsigned_int() && type->kind != GoKind::Bool)
          return std::nullopt;
        words = 1;
        align = type->size ? type->size : 1;
    }
    registers += words;
    if (registers > kIntegerArgumentRegisters) return std::nullopt;
    offset = (offset + align - 1) / align * align;
    if (dwarf_dieoffset(&child) == dwarf_dieoffset(&param)) found = offset;
    offset += type->size;
  } while (dwarf_siblingof(&child, &child) == 0);
  return found;
}

GoValue read_variable(Target& target, Dwarf_Die die, const FrameState& frame, std::string name,
                      std::string where) {
  std::string origin = name + " (" + where + ")";
  const GoType* type = nullptr;
  if (auto t = die_ref(&die, DW_AT_type)) type = target.binary().types().at(dwarf_dieoffset(&*t));
  if (!type) throw LayoutError(origin + " has no type in DWARF");
  Dwarf_Attribute attr;
  if (!dwarf_attr_integrate(&die, DW_AT_location, &attr))
    throw NotFoundError(origin + " has no location (optimized out)");
  std::string why;
  auto location = evaluate_location(&attr, frame, type->size, target.memory(), why);
  if (!location && frame.args_spilled && frame.cfa && dwarf_tag(&die) == DW_TAG_formal_parameter) {
    // Spilled before morestack: where DWARF puts it elsewhere, else the ABI's slot.
    location = evaluate_spilled_argument(&attr, frame, type->size, target.memory(), why);
    if (!location)
      if (auto offset = abi_spill_offset(target, die))
        location = VariableLocation{frame.cfa + *offset, {}};
  }
  if (!location) throw NotFoundError(origin + ": " + why);
  GoValue value{type, {}, std::move(name), std::move(where)};
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

// Every parameter and variable visible at the PC, outer scopes first.
void collect_in_scope(Dwarf_Die scope, uint64_t pc, std::vector<Dwarf_Die>& out) {
  Dwarf_Die child;
  if (dwarf_child(&scope, &child) != 0) return;
  std::vector<Dwarf_Die> blocks;
  do {
    int tag = dwarf_tag(&child);
    if (tag == DW_TAG_formal_parameter || tag == DW_TAG_variable) out.push_back(child);
    if (tag == DW_TAG_lexical_block && dwarf_haspc(&child, pc) == 1) blocks.push_back(child);
  } while (dwarf_siblingof(&child, &child) == 0);
  for (Dwarf_Die& block : blocks) collect_in_scope(block, pc, out);
}

// The compiler names a variable that escaped to the heap "&name": a pointer
// to where the value lives.
const std::string kHeapPrefix = "&";

GoValue from_heap(Target& target, GoValue pointer) {
  std::string name = pointer.origin.substr(kHeapPrefix.size());
  const GoType* type = pointer.type->kind == GoKind::Pointer ? pointer.type->elem : nullptr;
  if (!type) throw LayoutError(pointer.describe() + " is not a pointer");
  uint64_t address = load<uint64_t>(pointer.bytes.data());
  return GoValue{type, target.memory().bytes(address, type->size), name, pointer.where};
}

}  // namespace

std::optional<GoValue> find_local(Target& target, const std::string& name) {
  auto frame = target.frame_state();
  if (!frame) return std::nullopt;
  return find_in_frame(target, *frame, name);
}

std::optional<GoValue> find_in_frame(Target& target, const FrameState& state,
                                     const std::string& name) {
  const FrameState* frame = &state;
  auto fn = target.binary().dwarf().function_at(frame->pc);
  if (!fn) return std::nullopt;
  Dwarf_Die scope = target.binary().dwarf().die(*fn);
  auto die = find_in_scope(scope, name, frame->pc);
  bool is_arg = die && dwarf_tag(&*die) == DW_TAG_formal_parameter;
  // A parameter whose value moved to the heap is dead here; its "&name" copy is not.
  if (die && (!is_arg || !find_in_scope(scope, kHeapPrefix + name, frame->pc)))
    return read_variable(target, *die, *frame, name, is_arg ? "argument" : "local");
  auto moved = find_in_scope(scope, kHeapPrefix + name, frame->pc);
  if (!moved) return std::nullopt;
  // The heap copy is a variable; it is still the argument when the name is one.
  is_arg = is_arg || dwarf_tag(&*moved) == DW_TAG_formal_parameter;
  return from_heap(target, read_variable(target, *moved, *frame, kHeapPrefix + name,
                                         is_arg ? "argument" : "local"));
}

std::optional<GoValue> find_global(Target& target, const std::string& name) {
  auto off = target.binary().dwarf().global(name);
  if (!off) return std::nullopt;
  FrameState no_frame;
  return read_variable(target, target.binary().dwarf().die(*off), no_frame, name, "global");
}

std::optional<GoValue> find_live_in_frame(Target& target, const FrameState& frame,
                                          const std::string& name) {
  try {
    return find_in_frame(target, frame, name);
  } catch (const NotFoundError&) {
    return std::nullopt;
  } catch (const MemoryError&) {
    return std::nullopt;
  }
}

std::optional<GoValue> find_live_global(Target& target, const std::string& name) {
  try {
    return find_global(target, name);
  } catch (const NotFoundError&) {
    return std::nullopt;
  } catch (const MemoryError&) {
    return std::nullopt;
  }
}

std::vector<GlobalVariable> global_variables(Target& target) {
  std::vector<GlobalVariable> out;
  const DwarfIndex& dwarf = target.binary().dwarf();
  if (!dwarf.present()) return out;
  FrameState no_frame;
  for (const auto& [name, offset] : dwarf.globals()) {
    Dwarf_Die die = dwarf.die(offset);
    auto t = die_ref(&die, DW_AT_type);
    const GoType* type = t ? target.binary().types().at(dwarf_dieoffset(&*t)) : nullptr;
    Dwarf_Attribute attr;
    if (!type || !dwarf_attr_integrate(&die, DW_AT_location, &attr)) continue;
    std::string why;
    auto location = evaluate_location(&attr, no_frame, type->size, target.memory(), why);
    if (location && location->address) out.push_back({*location->address, type->size, name});
  }
  std::sort(out.begin(), out.end(),
            [](const GlobalVariable& a, const GlobalVariable& b) { return a.address < b.address; });
  return out;
}

namespace {

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

// The sorted names' range that starts with `prefix`.
void add_with_prefix(const std::vector<std::string>& sorted, const std::string& prefix,
                     size_t strip, std::set<std::string>& out) {
  for (auto it = std::lower_bound(sorted.begin(), sorted.end(), prefix);
       it != sorted.end() && starts_with(*it, prefix); ++it)
    out.insert(it->substr(strip));
}

}  // namespace

std::vector<std::string> variable_names(Target& target, const std::string& prefix) {
  std::set<std::string> names;
  auto frame = target.frame_state();
  if (auto fn = frame ? target.binary().dwarf().function_at(frame->pc) : std::nullopt) {
    std::vector<Dwarf_Die> dies;
    collect_in_scope(target.binary().dwarf().die(*fn), frame->pc, dies);
    for (Dwarf_Die& die : dies) {
      std::string name = die_name(&die);
      if (starts_with(name, kHeapPrefix)) name.erase(0, kHeapPrefix.size());
      if (!name.empty() && name[0] != '.' && name[0] != '~' && starts_with(name, prefix))
        names.insert(name);  // '.' and '~': compiler temporaries
    }
  }
  const std::vector<std::string>& globals = target.binary().dwarf().sorted_global_names();
  add_with_prefix(globals, prefix, 0, names);
  const std::string main_package = "main.";
  if (prefix.find('.') == std::string::npos)
    add_with_prefix(globals, main_package + prefix, main_package.size(), names);
  return {names.begin(), names.end()};
}

std::vector<GoValue> frame_variables(Target& target, std::vector<std::string>& unavailable) {
  auto frame = target.frame_state();
  if (!frame) return {};
  return frame_variables(target, *frame, unavailable);
}

std::vector<GoValue> frame_variables(Target& target, const FrameState& state,
                                     std::vector<std::string>& unavailable) {
  std::vector<GoValue> out;
  const FrameState* frame = &state;
  auto fn = target.binary().dwarf().function_at(frame->pc);
  if (!fn) return out;
  std::vector<Dwarf_Die> dies;
  collect_in_scope(target.binary().dwarf().die(*fn), frame->pc, dies);
  std::set<std::string> moved;  // names whose "&name" heap copy is in scope
  for (Dwarf_Die& die : dies) {
    std::string name = die_name(&die);
    if (name.rfind(kHeapPrefix, 0) == 0) moved.insert(name.substr(kHeapPrefix.size()));
  }
  for (Dwarf_Die& die : dies) {
    std::string name = die_name(&die);
    if (name.empty() || name[0] == '.' || name[0] == '~') continue;  // compiler temporaries
    bool is_arg = dwarf_tag(&die) == DW_TAG_formal_parameter;
    bool heap = name.rfind(kHeapPrefix, 0) == 0;
    if (!heap && moved.count(name)) continue;  // shown through its heap copy
    try {
      GoValue value = read_variable(target, die, *frame, name, is_arg ? "argument" : "local");
      out.push_back(heap ? from_heap(target, std::move(value)) : std::move(value));
    } catch (const Error& e) {
      unavailable.push_back((heap ? name.substr(kHeapPrefix.size()) : name) + ": " + e.what());
    }
  }
  return out;
}

}  // namespace gomapdbg
