#include "commands/info_command.h"

namespace gomapdbg {

namespace {

std::string setting(const GoBuildInfo& build, const std::string& key) {
  for (const auto& [k, v] : build.settings)
    if (k == key) return v;
  return {};
}

// Whether the build recorded trimmed file names (-trimpath), with the file
// of main.main as the pclntab has it for an example.
std::optional<std::string> source_paths(GoBinary& binary) {
  const GoBuildInfo& build = binary.build_info();
  if (build.settings.empty()) return std::nullopt;
  if (setting(build, "-trimpath") != "true")
    return "as on the build machine (not built with -trimpath)";
  std::string line =
      "trimmed (-trimpath=true): file names are the module or package path and the file, as "
      "the build recorded them";
  if (const Pclntab* tab = binary.pclntab())
    if (auto entry = tab->entry_of("main.main"))
      if (auto fn = tab->function(*entry))
        if (auto where = tab->file_line(*fn, *entry)) line += " (main.main: " + where->first + ")";
  return line;
}

}  // namespace

void info_command(GoBinary& binary, Output& out, const std::string& debug_origin) {
  refuse_non_go(binary);
  const GoBuildInfo& build = binary.build_info();
  out.line("executable: " + binary.path());
  const auto& debug = binary.debug_file();
  if (debug)
    out.line("debug file: " + debug->path + " (" +
             (debug_origin.empty() ? std::string() : debug_origin + "; ") + debug->match + ")");
  std::string from = debug ? ", from the debug file" : ", in the executable";
  out.line("go version: " + (build.version.empty() ? std::string("unknown") : build.version));
  out.line(std::string("architecture: linux/") + binary.architecture().goarch);
  std::string layout = binary.map_layout_name();
  if (layout == "classic") layout += " (runtime.hmap buckets)";
  if (layout == "swiss") layout += " (internal/runtime/maps swiss tables)";
  if (layout == "swiss-split")
    layout += " (internal/runtime/maps swiss tables, groups of 8 keys then 8 elems)";
  out.line("map layout: " + layout);
  const DwarfIndex& dwarf = binary.dwarf();
  if (dwarf.present()) {
    const ElfSection* info = binary.dwarf_image().section(".debug_info");
    bool compressed = info && (info->flags & SHF_COMPRESSED);
    out.line("dwarf: present, version " + std::to_string(dwarf.version()) +
             (compressed ? ", zlib-compressed sections" : "") + from);
  } else if (debug) {
    out.line("dwarf: absent from the debug file too: variables and types by name are unavailable");
  } else {
    out.line(
        "dwarf: absent (built with -ldflags=-w or stripped): variables and types by name "
        "are unavailable");
  }
  if (!binary.image().has_symbols())
    out.line("symbols: absent (stripped)");
  else
    out.line(std::string("symbols: present") +
             (debug && debug->symbols ? ", from the debug file" : ""));
  if (const Pclntab* tab = binary.pclntab())
    out.line("pclntab: present, magic " + hex(tab->magic()));
  else
    out.line("pclntab: unusable: " + binary.pclntab_problem());
  std::string settings;
  // Too long for the width, each setting goes on its own line.
  for (const auto& [key, value] : build.settings)
    settings += std::string(kBreakHere) + " " + key + "=" + value;
  out.line("build settings:" + (settings.empty() ? std::string(" unknown") : settings));
  if (auto paths = source_paths(binary)) out.line("source paths: " + *paths);
}

}  // namespace gomapdbg
