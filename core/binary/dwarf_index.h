// An index over the executable's DWARF (read with elfutils libdw, which
// handles Go's SHF_COMPRESSED sections and DWARF 4 and 5): named types,
// global variables and functions by PC. Lookups return DIE offsets; DIEs are
// re-materialised with dwarf_offdie when needed.
#pragma once

#include <elfutils/libdw.h>

#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace gomapdbg {

class ElfFile;

// Go's own DWARF attributes (cmd/link/internal/dwarf), DW_AT_lo_user + 0x1nn.
inline constexpr unsigned kDwAtGoKind = 0x2900;
inline constexpr unsigned kDwAtGoKey = 0x2901;
inline constexpr unsigned kDwAtGoElem = 0x2902;
inline constexpr unsigned kDwAtGoEmbeddedField = 0x2903;
inline constexpr unsigned kDwAtGoRuntimeType = 0x2904;

// DWARF names a type declared inside a function "main.local·1" (the
// compiler's vargen suffix); Go (reflect, the runtime descriptor) calls it
// "main.local". Drops each "·" followed by digits, also inside composite
// names ("[]main.local·1").
std::string go_type_name(std::string dwarf_name);

class DwarfIndex {
 public:
  // Returns nullopt-like empty index when the file has no DWARF; check present().
  explicit DwarfIndex(const ElfFile& file);
  ~DwarfIndex();
  DwarfIndex(const DwarfIndex&) = delete;
  DwarfIndex& operator=(const DwarfIndex&) = delete;

  bool present() const { return dwarf_ != nullptr; }
  int version() const { return version_; }
  Dwarf* dwarf() const { return dwarf_; }

  std::optional<Dwarf_Off> type(const std::string& name) const;
  std::optional<Dwarf_Off> global(const std::string& name) const;
  const std::unordered_map<std::string, Dwarf_Off>& globals() const { return globals_; }
  // The globals' names, sorted (for completion by prefix); made once, on first use.
  const std::vector<std::string>& sorted_global_names() const;
  std::optional<Dwarf_Off> function_at(uint64_t pc) const;
  // The DWARF type whose runtime descriptor sits at `offset` from
  // runtime.types (DW_AT_go_runtime_type).
  std::optional<Dwarf_Off> type_by_runtime_offset(uint64_t offset) const;
  // The other way: the descriptor's offset from runtime.types of a type DIE.
  std::optional<uint64_t> runtime_offset_of(Dwarf_Off type) const;
  // All indexed type names starting with a prefix (for layout detection).
  bool has_type(const std::string& name) const { return types_.count(name) != 0; }
  const std::unordered_map<std::string, Dwarf_Off>& types() const { return types_; }
  Dwarf_Die die(Dwarf_Off offset) const;

 private:
  struct FunctionRange {
    uint64_t low = 0, high = 0;
    Dwarf_Off die = 0;
  };
  void index_unit(Dwarf_Die& cu);

  Dwarf* dwarf_ = nullptr;
  int version_ = 0;
  std::unordered_map<std::string, Dwarf_Off> types_;
  std::unordered_map<std::string, Dwarf_Off> globals_;
  mutable std::once_flag sorted_global_names_once_;
  mutable std::vector<std::string> sorted_global_names_;
  std::unordered_map<uint64_t, Dwarf_Off> runtime_types_;
  std::unordered_map<Dwarf_Off, uint64_t> runtime_offsets_;
  std::vector<FunctionRange> functions_;  // sorted by low
};

// Small helpers over libdw attributes.
std::optional<uint64_t> die_udata(Dwarf_Die* die, unsigned attribute);
std::optional<Dwarf_Die> die_ref(Dwarf_Die* die, unsigned attribute);
std::string die_name(Dwarf_Die* die);

}  // namespace gomapdbg
