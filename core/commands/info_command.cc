#include "commands/info_command.h"

namespace gomapdbg {

void info_command(GoBinary& binary, Output& out) {
  const GoBuildInfo& build = binary.build_info();
  out.line("executable: " + binary.path());
  out.line("go version: " + (build.version.empty() ? std::string("unknown") : build.version));
  auto family = binary.map_family();
  std::string layout = family ? family_name(*family) : "unknown";
  if (family == MapFamily::Classic) layout += " (runtime.hmap buckets)";
  if (family == MapFamily::Swiss) layout += " (internal/runtime/maps swiss tables)";
  out.line("map layout: " + layout);
  const DwarfIndex& dwarf = binary.dwarf();
  if (dwarf.present()) {
    const ElfSection* info = binary.image().section(".debug_info");
    bool compressed = info && (info->flags & SHF_COMPRESSED);
    out.line("dwarf: present, version " + std::to_string(dwarf.version()) +
             (compressed ? ", zlib-compressed sections" : ""));
  } else {
    out.line(
        "dwarf: absent (built with -ldflags=-w or stripped): variables and types by name "
        "are unavailable");
  }
  out.line(std::string("symbols: ") +
           (binary.image().has_symbols() ? "present" : "absent (stripped)"));
  if (const Pclntab* tab = binary.pclntab())
    out.line("pclntab: present, magic " + hex(tab->magic()));
  else
    out.line("pclntab: unusable: " + binary.pclntab_problem());
  std::string settings;
  for (const auto& [key, value] : build.settings) settings += " " + key + "=" + value;
  out.line("build settings:" + (settings.empty() ? std::string(" unknown") : settings));
}

}  // namespace gomapdbg
