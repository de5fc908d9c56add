#include "target/variables.h"

#include <dwarf.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

#include "binary/dwarf_scopes.h"
#include "code/generic_dictionary.h"
#include "errors.h"

namespace gomapdbg {

namespace {

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
    if (registers > target.architecture().integer_argument_registers.size()) return std::nullopt;
    offset = (offset + align - 1) / align * align;
    if (dwarf_dieoffset(&child) == dwarf_dieoffset(&param)) found = offset;
    offset += type->size;
  } while (dwarf_siblingof(&child, &child) == 0);
  return found;
}

// Go's DWARF attribute on a shape type's typedef (".param0" of a generic
// function, whose DW_AT_type is the shape, e.g. go.shape.int): the word of
// the function's dictionary that holds the real type's descriptor.
constexpr unsigned kDwAtGoDictIndex = 0x2906;
// The generic function's dictionary parameter: the address of its words.
const std::string kDictionaryName = ".dict";
constexpr uint64_t kMaxDictionaryWords = 1 << 16;  // a corrupt index reads no further

// The compiler names a variable that escaped to the heap "&name": a pointer
// to where the value lives.
const std::string kHeapPrefix = "&";

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

// '.' and '~' start the compiler's temporaries (.dict, ~r0, .autotmp_1).
bool is_temporary(const std::string& name) {
  return name.empty() || name[0] == '.' || name[0] == '~';
}

bool is_parameter(Dwarf_Die die) { return dwarf_tag(&die) == DW_TAG_formal_parameter; }

// Reads a variable of known type at its location for the frame's PC.
GoValue read_located(Target& target, Dwarf_Die die, const GoType* type, const FrameState& frame,
                     std::string name, std::string where) {
  std::string origin = name + " (" + where + ")";
  if (!type) throw LayoutError(origin + " has no type in DWARF");
  Dwarf_Attribute attr;
  if (!dwarf_attr_integrate(&die, DW_AT_location, &attr))
    throw NotFoundError(origin + " has no location (optimized out)");
  std::string why;
  auto location = evaluate_location(&attr, frame, type->size, target.memory(), why);
  if (!location && frame.args_spilled && frame.cfa && is_parameter(die)) {
    // Spilled before morestack: where DWARF puts it elsewhere, else the ABI's slot.
    location = evaluate_spilled_argument(&attr, frame, type->size, target.memory(), why);
    if (!location)
      if (auto offset = abi_spill_offset(target, die))
        location = VariableLocation{frame.cfa + frame.arguments_above_cfa + *offset, {}};
  }
  if (!location) throw NotFoundError(origin + ": " + why);
  GoValue value{type, {}, std::move(name), std::move(where)};
  if (location->address) {
    value.bytes = target.memory().bytes(*location->address, type->size);
    value.address = *location->address;
  } else
    value.bytes = std::move(location->bytes);
  return value;
}

const GoType* declared_type(Target& target, Dwarf_Die die) {
  auto t = die_ref(&die, DW_AT_type);
  return t ? target.binary().types().at(dwarf_dieoffset(&*t)) : nullptr;
}

GoValue from_heap(Target& target, GoValue pointer) {
  std::string name = pointer.origin.substr(kHeapPrefix.size());
  const GoType* type = pointer.type->kind == GoKind::Pointer ? pointer.type->elem : nullptr;
  if (!type) throw LayoutError(pointer.describe() + " is not a pointer");
  uint64_t address = load<uint64_t>(pointer.bytes.data());
  return GoValue{type, target.memory().bytes(address, type->size), name, pointer.where, address};
}

// The source line of `pc` (the innermost inlined function's), from pclntab.
std::optional<int64_t> line_at(Target& target, uint64_t pc) {
  const Pclntab* table = target.binary().pclntab();
  auto fn = table ? table->function(pc) : std::nullopt;
  if (!fn) return std::nullopt;
  try {
    if (auto position = table->file_line(*fn, pc)) return position->second;
  } catch (const LayoutError&) {
    // a damaged pc-value table: no line filter
  }
  return std::nullopt;
}

// The variables of one frame: those in scope at its PC in its function, or
// in the inlined call the frame is, with the real types of a generic
// function's shape-typed variables from its dictionary.
class FrameReader {
 public:
  FrameReader(Target& target, const FrameState& frame) : target_(target), frame_(frame) {
    const DwarfIndex& dwarf = target.binary().dwarf();
    auto fn = dwarf.function_at(frame.pc);
    if (!fn) return;
    scope_ =
        function_scope(dwarf.die(*fn), frame.pc, line_at(target, frame.pc), frame.inline_depth);
    variables_ = scope_variables(*scope_, frame.pc);
    for (Dwarf_Die& die : variables_) by_name_[die_name(&die)] = die;  // inner blocks win
  }

  bool in_function() const { return scope_.has_value(); }
  const std::vector<Dwarf_Die>& variables() const { return variables_; }

  // NAME as the program spells it: the variable, or its heap copy "&NAME".
  std::optional<GoValue> value_of(const std::string& name) {
    auto plain = find(name);
    auto moved = find(kHeapPrefix + name);
    if (moved && (!plain || is_parameter(*plain))) return read_moved(*moved, plain);
    if (!plain) return std::nullopt;
    return read(*plain, name, is_parameter(*plain) ? "argument" : "local");
  }

  // Every variable in scope; those that cannot be read are named in
  // `unavailable` with the reason ("NAME: REASON").
  std::vector<GoValue> values(std::vector<std::string>& unavailable) {
    std::vector<GoValue> out;
    for (Dwarf_Die& die : variables_) {
      std::string name = die_name(&die);
      bool heap = starts_with(name, kHeapPrefix);
      std::string plain = heap ? name.substr(kHeapPrefix.size()) : name;
      if (is_temporary(plain)) continue;
      auto twin = heap ? find(plain) : find(kHeapPrefix + plain);
      if (!heap && twin) continue;  // read through its heap copy
      try {
        if (heap)
          out.push_back(read_moved(die, twin && is_parameter(*twin) ? twin : std::nullopt));
        else
          out.push_back(read(die, name, is_parameter(die) ? "argument" : "local"));
      } catch (const Error& e) {
        unavailable.push_back(plain + ": " + e.what());
      }
    }
    return out;
  }

 private:
  std::optional<Dwarf_Die> find(const std::string& name) const {
    auto it = by_name_.find(name);
    if (it == by_name_.end()) return std::nullopt;
    return it->second;
  }

  GoValue read(Dwarf_Die die, std::string name, std::string where) {
    return read_located(target_, die, type_of(die), frame_, std::move(name), std::move(where));
  }

  // An argument the function moved to the heap, through its copy there;
  // before the copy is made (at the function's entry) the argument is still
  // where the caller put it, and `argument` reads it there.
  GoValue read_moved(Dwarf_Die moved, std::optional<Dwarf_Die> argument) {
    std::string name = die_name(&moved);
    std::string where = argument || is_parameter(moved) ? "argument" : "local";
    try {
      return from_heap(target_, read(moved, name, where));
    } catch (const NotFoundError&) {
      if (!argument) throw;
    } catch (const MemoryError&) {
      if (!argument) throw;
    }
    return read(*argument, name.substr(kHeapPrefix.size()), where);
  }

  // The variable's type; a type parameter's shape becomes the type the
  // dictionary names (the shape itself when the dictionary is unreadable).
  const GoType* type_of(Dwarf_Die die) {
    auto t = die_ref(&die, DW_AT_type);
    if (!t) return nullptr;
    const GoType* shape = target_.binary().types().at(dwarf_dieoffset(&*t));
    auto index = die_udata(&*t, kDwAtGoDictIndex);
    if (!index || *index >= kMaxDictionaryWords) return shape;
    auto words = dictionary();
    if (!words) return shape;
    std::string why;
    uint64_t descriptor = 0;
    if (!target_.memory().try_read(*words + *index * sizeof descriptor, &descriptor,
                                   sizeof descriptor, why))
      return shape;
    try {
      const GoType* real = target_.binary().dynamic_type(descriptor, target_.memory());
      return real && shape && real->size == shape->size ? real : shape;
    } catch (const Error&) {
      return shape;  // not a type descriptor: a wrong dictionary
    }
  }

  // The address of the generic function's dictionary (its .dict argument
  // in unoptimized builds, else from the call site), read once.
  std::optional<uint64_t> dictionary() {
    if (dictionary_) return *dictionary_;
    dictionary_.emplace();
    if (auto die = find(kDictionaryName)) {
      try {
        GoValue words = read_located(target_, *die, declared_type(target_, *die), frame_,
                                     kDictionaryName, "argument");
        if (words.bytes.size() >= sizeof(uint64_t))
          *dictionary_ = load<uint64_t>(words.bytes.data());
      } catch (const Error&) {
        // optimized out here: try the call site
      }
    }
    // An inlined call's dictionary is its caller's business: only a
    // physical frame was called with one.
    if (!*dictionary_ && frame_.inline_depth == 0 && target_.binary().pclntab())
      *dictionary_ = dictionary_from_call_site(target_.architecture(), *target_.binary().pclntab(),
                                               target_.memory(), frame_);
    return *dictionary_;
  }

  Target& target_;
  const FrameState& frame_;
  std::optional<FunctionScope> scope_;
  std::vector<Dwarf_Die> variables_;
  std::map<std::string, Dwarf_Die> by_name_;
  std::optional<std::optional<uint64_t>> dictionary_;
};

}  // namespace

std::optional<GoValue> find_local(Target& target, const std::string& name) {
  auto frame = target.frame_state();
  if (!frame) return std::nullopt;
  return find_in_frame(target, *frame, name);
}

std::optional<GoValue> find_in_frame(Target& target, const FrameState& frame,
                                     const std::string& name) {
  FrameReader reader(target, frame);
  if (!reader.in_function()) return std::nullopt;
  return reader.value_of(name);
}

std::optional<GoValue> find_global(Target& target, const std::string& name) {
  auto off = target.binary().dwarf().global(name);
  if (!off) return std::nullopt;
  FrameState no_frame;
  Dwarf_Die die = target.binary().dwarf().die(*off);
  return read_located(target, die, declared_type(target, die), no_frame, name, "global");
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
    const GoType* type = declared_type(target, die);
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
  if (auto frame = target.frame_state()) {
    FrameReader reader(target, *frame);
    for (Dwarf_Die die : reader.variables()) {
      std::string name = die_name(&die);
      if (starts_with(name, kHeapPrefix)) name.erase(0, kHeapPrefix.size());
      if (!is_temporary(name) && starts_with(name, prefix)) names.insert(name);
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

std::vector<GoValue> frame_variables(Target& target, const FrameState& frame,
                                     std::vector<std::string>& unavailable) {
  FrameReader reader(target, frame);
  return reader.values(unavailable);
}

}  // namespace gomapdbg
