// Which runtime functions touch a map, and how: the fatal path's callers and
// the competing accessors of a crash report are recognised by function name
// (pclntab names, so stripped binaries work too). Names per Go version are
// in ../shared/reference/go-runtime-layouts.md §3.2.
#pragma once

#include <optional>
#include <span>
#include <string>

namespace gomapdbg {

enum class MapAccess { Write, Read, Iterate, Clone };

const char* access_name(MapAccess access);

// How `function` accesses a map, or nullopt when it is not map code.
std::optional<MapAccess> map_access(const std::string& function);

// The fatal message the runtime raises from a function of this access
// kind ("concurrent map writes", ...).
const char* fatal_message_for(MapAccess access);

// The runtime's fatal path, where `go catch` stops: runtime.fatal (map
// misuse, go1.19+), throw (runtime failures), fatalthrow, fatalpanic.
std::span<const char* const> fatal_path_functions();

// The functions of the fatal path whose argument is the fatal message.
std::span<const char* const> fatal_message_functions();

// True for the fatal path's functions and internal/runtime/maps.fatal
// (swiss maps), which only forwards to runtime.fatal.
bool is_fatal_function(const std::string& function);

// True for the messages of map misuse that `go report` explains.
bool is_map_fatal(const std::string& message);

// DWARF names of the map and map-type arguments of such functions: `h`/`t`
// in classic runtime code, `m`/`typ` in swiss code.
inline constexpr const char* kMapArgumentNames[] = {"h", "m"};
inline constexpr const char* kMapTypeArgumentNames[] = {"t", "typ"};

}  // namespace gomapdbg
