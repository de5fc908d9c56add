// One Go executable, opened once and shared by every command: its ELF image,
// DWARF index and types, pclntab and build info. Opening is cached by path
// and modification time, so a rebuilt binary is re-read.
//
// A stripped program can take its DWARF and symbols from a separate debug
// file of the same build (its unstripped twin, or what objcopy
// --only-keep-debug kept): code, data, pclntab and build info still come
// from the program itself (a debug-only file has no code), and the two must
// agree on the Go build ID and the GNU build-id, whichever both carry.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "arch/architecture.h"
#include "binary/dwarf_index.h"
#include "binary/go_build_info.h"
#include "binary/module_data.h"
#include "binary/pclntab.h"
#include "code/code_index.h"
#include "elf/build_id.h"
#include "elf/elf_image.h"
#include "maps/map_layout.h"
#include "types/dwarf_types.h"
#include "types/runtime_types.h"
#include "types/type_links.h"

namespace gomapdbg {

class GoBinary {
 public:
  // `debug_file`: where DWARF and symbols come from, when not `path`
  // itself. Throws UsageError when it is not the same build.
  static std::shared_ptr<GoBinary> open(const std::string& path,
                                        const std::string& debug_file = {});
  explicit GoBinary(const std::string& path, const std::string& debug_file = {});

  // The separate debug file in use: its path, how it matched the program
  // ("same Go build ID ..."), and whether the symbols came from it too.
  struct DebugFile {
    std::string path;
    std::string match;
    bool symbols = false;
  };
  const std::optional<DebugFile>& debug_file() const { return debug_file_; }
  // The file the DWARF comes from: the debug file, else the program.
  const ElfImage& dwarf_image() const { return debug_image_ ? *debug_image_ : *image_; }
  const BuildIds& build_ids() const { return build_ids_; }

  ElfImage& image() { return *image_; }
  std::shared_ptr<ElfImage> shared_image() { return image_; }
  const DwarfIndex& dwarf() const { return *dwarf_; }
  TypeTable& types() { return *types_; }
  const Pclntab* pclntab() const { return pclntab_ ? &*pclntab_ : nullptr; }
  // Why pclntab() is null, e.g. "its .gopclntab is damaged (magic 0x0 ...)".
  const std::string& pclntab_problem() const { return pclntab_problem_; }
  const GoBuildInfo& build_info() const { return build_info_; }
  // Whether this is a Go executable at all: Go build info, a .gopclntab or
  // the runtime's entry symbol (a damaged Go binary still has one of them).
  bool is_go_program() const;
  // The static index of the executable's code (code/code_index.h), built on
  // first use; without pclntab or .text it is empty and says why.
  const CodeIndex& code_index();
  RuntimeTypes& runtime_types() { return *runtime_types_; }
  // The type whose runtime descriptor is at `descriptor` (an interface's
  // type word): the DWARF type when DWARF links it, else decoded from memory.
  const GoType* dynamic_type(uint64_t descriptor, const Memory& memory);
  // The address of a DWARF type's runtime descriptor (what the compiler
  // passes map functions as their type argument), when DWARF links them.
  std::optional<uint64_t> type_descriptor(const GoType& type) const;
  // Address of the runtime type descriptor of the type DWARF names
  // `type_name` ("map[int]int"): runtime.types + DW_AT_go_runtime_type.
  std::optional<uint64_t> type_descriptor(const std::string& type_name) const;
  // A type by its Go name ("map[string]main.Item"): DWARF's, else the one
  // decoded from the runtime type descriptor moduledata.typelinks leads to
  // (stripped binaries). NotFoundError, one line, when neither has it.
  const GoType* type_by_name(const std::string& name);
  // runtime.firstmoduledata, found on first use; null when it cannot be.
  const ModuleData* module_data();
  // moduledata.gofunc (the base of funcdata offsets), from the symbol or
  // moduledata; nullopt when unknown.
  std::optional<uint64_t> gofunc_base();
  // The runtime type descriptors by name, built on first use; null (and
  // `why`) without moduledata.
  const TypeLinks* type_links(std::string& why);
  // Name of the function whose code starts at or contains `pc`.
  std::string function_name(uint64_t pc) const;
  const std::string& path() const { return image_->path(); }
  // The CPU architecture it was built for; UsageError (one line) when its
  // ELF machine is not one gomapdbg reads.
  const Architecture& architecture() const;

  // The map implementation this binary was built with, from DWARF when
  // present, else from the swiss map methods (symbols or pclntab) and the
  // version string.
  std::optional<MapFamily> map_family() const;
  // "classic", "swiss", "swiss-split" (go1.27 GOEXPERIMENT=mapsplitgroup,
  // from the build info) or "unknown".
  std::string map_layout_name() const;
  // Whether pclntab names a function `name` (false when it cannot tell).
  bool has_function(const std::string& name) const;
  // Throws LayoutError saying what is missing when there is no DWARF.
  void require_dwarf(const std::string& needed_for) const;

 private:
  std::shared_ptr<ElfImage> image_;
  std::unique_ptr<ElfImage> debug_image_;  // before dwarf_, which reads it
  std::optional<DebugFile> debug_file_;
  BuildIds build_ids_;
  std::unique_ptr<DwarfIndex> dwarf_;
  std::unique_ptr<TypeTable> types_;
  std::optional<Pclntab> pclntab_;
  std::string pclntab_problem_;
  GoBuildInfo build_info_;
  std::unique_ptr<RuntimeTypes> runtime_types_;
  std::once_flag code_index_once_;
  std::unique_ptr<CodeIndex> code_index_;
  std::once_flag module_data_once_;
  std::optional<ModuleData> module_data_;
  std::once_flag type_links_once_;
  std::unique_ptr<TypeLinks> type_links_;
};

// Throws UsageError, one line, when `binary` is not a Go program.
void refuse_non_go(const GoBinary& binary);

}  // namespace gomapdbg
