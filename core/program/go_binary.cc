#include "program/go_binary.h"

#include <sys/stat.h>

#include <cstdlib>
#include <map>
#include <mutex>
#include <string_view>

#include "errors.h"
#include "maps/map_header_types.h"
#include "unwind/inline_tree.h"

namespace gomapdbg {

namespace {

int64_t modification_stamp(const std::string& path, const std::string& what) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw NotFoundError("cannot open " + what + path);
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

// The same file under two names (a symlink, a relative path) is no
// separate debug file.
bool same_file(const std::string& a, const std::string& b) {
  struct stat sa {};
  struct stat sb {};
  return ::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 && sa.st_dev == sb.st_dev &&
         sa.st_ino == sb.st_ino;
}

}  // namespace

std::shared_ptr<GoBinary> GoBinary::open(const std::string& path, const std::string& debug_file) {
  static std::mutex mutex;
  using Stamp = std::pair<int64_t, int64_t>;
  static std::map<std::pair<std::string, std::string>, std::pair<Stamp, std::shared_ptr<GoBinary>>>
      cache;
  Stamp stamp{modification_stamp(path, "executable "),
              debug_file.empty() ? 0 : modification_stamp(debug_file, "debug file ")};
  std::lock_guard<std::mutex> lock(mutex);
  auto& entry = cache[{path, debug_file}];
  if (!entry.second || entry.first != stamp) {
    entry.second.reset();  // a debug file of another build leaves nothing cached
    entry = {stamp, std::make_shared<GoBinary>(path, debug_file)};
  }
  return entry.second;
}

GoBinary::GoBinary(const std::string& path, const std::string& debug_file)
    : image_(std::make_shared<ElfImage>(path)) {
  build_ids_ = read_build_ids(image_->file());
  if (!debug_file.empty() && !same_file(path, debug_file)) {
    debug_image_ = std::make_unique<ElfImage>(debug_file);
    BuildIds debug = read_build_ids(debug_image_->file());
    std::string mismatch = build_mismatch(debug_file, debug, build_ids_);
    if (!mismatch.empty()) throw UsageError(mismatch);
    debug_file_ = DebugFile{debug_file, build_match(debug, build_ids_), false};
    debug_file_->symbols = image_->add_symbols(*debug_image_) > 0;
  }
  dwarf_ = std::make_unique<DwarfIndex>(dwarf_image().file());
  types_ = std::make_unique<TypeTable>(*dwarf_);
  build_info_ = read_build_info(*image_);
  try {
    pclntab_ = Pclntab::from_image(*image_);
    if (!pclntab_) pclntab_problem_ = "no .gopclntab section";
  } catch (const LayoutError& e) {
    // Damaged or pre-1.18: unwinding features degrade, maps still work.
    pclntab_.reset();
    GoVersion v = build_info_.parsed();
    if (v.known() && v.at_least(1, 18))
      pclntab_problem_ = "its .gopclntab is damaged (" + std::string(e.what()) +
                         ", yet the build info says " + build_info_.version + ")";
    else
      pclntab_problem_ = "no usable .gopclntab (" + std::string(e.what()) + "; Go before 1.18?)";
  }
  // nameOff and typeOff are relative to runtime.types = moduledata.types.
  uint64_t types_base = 0;
  if (auto types = image_->symbol("runtime.types"))
    types_base = types->address;
  else if (const ModuleData* module = module_data())
    types_base = module->types;
  runtime_types_ = std::make_unique<RuntimeTypes>(
      types_base, build_info_.parsed(),
      std::make_unique<MapHeaderTypes>(build_info_.parsed(), map_family()));
}

namespace {

bool runtime_types_from_memory_only() {
  // A test hook: GOMAPDBG_RUNTIME_TYPES=memory skips the DWARF link, so that
  // every dynamic type goes through the descriptor decoder.
  static const bool only = [] {
    const char* value = std::getenv("GOMAPDBG_RUNTIME_TYPES");
    return value && std::string_view(value) == "memory";
  }();
  return only;
}

}  // namespace

std::optional<uint64_t> GoBinary::type_descriptor(const GoType& type) const {
  if (!runtime_types_->available() || !type.dwarf_offset) return std::nullopt;
  auto offset = dwarf_->runtime_offset_of(type.dwarf_offset);
  if (!offset) return std::nullopt;
  return runtime_types_->base() + *offset;
}

const GoType* GoBinary::dynamic_type(uint64_t descriptor, const Memory& memory) {
  if (!descriptor) return nullptr;
  if (runtime_types_->available() && descriptor > runtime_types_->base() &&
      !runtime_types_from_memory_only())
    if (auto die = dwarf_->type_by_runtime_offset(descriptor - runtime_types_->base()))
      return types_->at(*die);
  return runtime_types_->decode(descriptor, memory);
}

std::optional<uint64_t> GoBinary::type_descriptor(const std::string& type_name) const {
  auto off = dwarf_->type(type_name);
  if (!off || !runtime_types_->available()) return std::nullopt;
  Dwarf_Die die = dwarf_->die(*off);
  Dwarf_Attribute attr;
  Dwarf_Addr offset = 0;
  if (!dwarf_attr(&die, kDwAtGoRuntimeType, &attr) || dwarf_formaddr(&attr, &offset) != 0 ||
      !offset)
    return std::nullopt;
  return runtime_types_->base() + offset;
}

const ModuleData* GoBinary::module_data() {
  std::call_once(module_data_once_, [this] {
    module_data_ = find_module_data(*image_, pclntab(), build_info_.parsed());
  });
  return module_data_ ? &*module_data_ : nullptr;
}

bool GoBinary::is_go_program() const {
  return build_info_.parsed().known() || pclntab_ || image_->section(".gopclntab") ||
         image_->symbol("runtime.main").has_value();
}

std::optional<uint64_t> GoBinary::gofunc_base() {
  for (const char* name : {"go:func.*", "go.func.*"})
    if (auto sym = image_->symbol(name)) return sym->address;
  if (const ModuleData* module = module_data(); module && module->gofunc) return module->gofunc;
  return std::nullopt;
}

const TypeLinks* GoBinary::type_links(std::string& why) {
  std::call_once(type_links_once_, [this] {
    const ModuleData* module = module_data();
    if (!module || !runtime_types_->available()) return;
    Memory memory(*image_);  // descriptors are static data of the executable
    type_links_ = std::make_unique<TypeLinks>(*module, *runtime_types_, memory);
  });
  if (!type_links_)
    why =
        "runtime.firstmoduledata, which lists them, is not found (no symbol, and no struct in "
        "the static data points at the pclntab)";
  return type_links_.get();
}

const GoType* GoBinary::type_by_name(const std::string& name) {
  bool use_dwarf = dwarf_->present() && !runtime_types_from_memory_only();
  if (use_dwarf)
    if (const GoType* type = types_->by_name(name)) return type;
  std::string not_in =
      "type " + name + " is not " + (use_dwarf ? "in the binary's DWARF nor " : "");
  std::string no_dwarf = dwarf_->present() ? "" : "; the binary has no DWARF";
  std::string why;
  const TypeLinks* links = type_links(why);
  if (!links)
    throw NotFoundError(
        not_in + "among its runtime type descriptors, which cannot be listed: " + why + no_dwarf);
  if (auto descriptor = links->find(name)) {
    Memory memory(*image_);
    const GoType* type = runtime_types_->decode(*descriptor, memory);
    if (type && type->kind != GoKind::Invalid) return type;
  }
  throw NotFoundError(not_in + "among its " + std::to_string(links->size()) +
                      " runtime type descriptors (moduledata.typelinks and the types they use)" +
                      no_dwarf);
}

std::string GoBinary::function_name(uint64_t pc) const {
  if (pclntab_)
    if (auto fn = pclntab_->function(pc)) return fn->name;
  return "?";
}

bool GoBinary::has_function(const std::string& name) const {
  try {
    return pclntab_ && pclntab_->entry_of(name);
  } catch (const Error&) {
    return false;  // a damaged function table
  }
}

std::optional<MapFamily> GoBinary::map_family() const {
  if (dwarf_->has_type("runtime.hmap")) return MapFamily::Classic;
  if (dwarf_->has_type("internal/runtime/maps.Map")) return MapFamily::Swiss;
  // Only swiss maps have this method (reference §6.5); pclntab names it when
  // the symbol table is stripped.
  const char* swiss_method = "internal/runtime/maps.(*Map).PutSlot";
  if (image_->symbol(swiss_method) || has_function(swiss_method)) return MapFamily::Swiss;
  GoVersion v = build_info_.parsed();
  if (!v.known()) return std::nullopt;
  if (v.at_least(1, 26)) return MapFamily::Swiss;
  if (v.at_least(1, 24) && !build_info_.has_experiment("noswissmap")) return MapFamily::Swiss;
  return MapFamily::Classic;
}

std::string GoBinary::map_layout_name() const {
  auto family = map_family();
  if (!family) return "unknown";
  return layout_name(*family, build_info_.has_experiment("mapsplitgroup"));
}

const CodeIndex& GoBinary::code_index() {
  std::call_once(code_index_once_, [this] {
    const ElfSection* text = image_->section(".text");
    if (!pclntab_)
      code_index_ = std::make_unique<CodeIndex>(path() + ": " + pclntab_problem_);
    else if (!text || text->type == SHT_NOBITS)
      code_index_ = std::make_unique<CodeIndex>(path() + " has no .text section");
    else {
      // The inline tree names the inlined function a map call sits in.
      InlineTree inline_tree(*pclntab_, *image_, gofunc_base());
      code_index_ = std::make_unique<CodeIndex>(
          architecture(), *pclntab_, image_->section_data(*text), text->address, &inline_tree);
    }
  });
  return *code_index_;
}

void GoBinary::require_dwarf(const std::string& needed_for) const {
  if (dwarf_->present()) return;
  if (debug_file_)
    throw LayoutError("the debug file " + debug_file_->path + " of " + path() +
                      " has no DWARF debug info (.debug_info missing), which " + needed_for +
                      " needs");
  throw LayoutError(path() +
                    " has no DWARF debug info (.debug_info missing; built with "
                    "-ldflags=-w or stripped?), which " +
                    needed_for + " needs");
}

const Architecture& GoBinary::architecture() const {
  uint16_t machine = image_->file().machine();
  if (const Architecture* arch = architecture_of_machine(machine)) return *arch;
  throw UsageError(path() + " is built for ELF machine " + std::to_string(machine) +
                   "; gomapdbg reads " + supported_machines() + " Go programs");
}

void refuse_non_go(const GoBinary& binary) {
  if (!binary.is_go_program())
    throw UsageError(binary.path() +
                     " is not a Go program (no Go build info, no .gopclntab, no runtime.main)");
  (void)binary.architecture();
}

}  // namespace gomapdbg
