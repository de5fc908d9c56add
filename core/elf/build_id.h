// The identity of a build: the Go build ID (the .note.go.buildid note the Go
// linker writes, "actionID/.../contentID") and the GNU build-id
// (NT_GNU_BUILD_ID: Go >= 1.24 by default, -ldflags=-B, external linking).
// Both survive strip and objcopy --only-keep-debug, so they tell whether a
// separate debug file belongs to a stripped program.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace gomapdbg {

class ElfFile;

struct BuildIds {
  std::string go;   // the Go build ID string, empty when absent
  std::string gnu;  // the GNU build-id in lowercase hex, empty when absent
};

// Reads the notes of the file's SHT_NOTE sections (or, without section
// headers, of its PT_NOTE segments).
BuildIds read_build_ids(const ElfFile& file);

// Decodes ELF notes (untrusted bytes) into `ids`: Go's ("Go\0\0", type 4)
// and GNU's ("GNU\0", type 3). Entries past a malformed one are ignored.
void parse_build_id_notes(const std::vector<uint8_t>& notes, BuildIds& ids);

// Why a debug file is not the program's (nullopt-like empty string when
// they are the same build): "DEBUG is another build: Go build ID X, the
// program's is Y", or that nothing tells.
std::string build_mismatch(const std::string& debug_path, const BuildIds& debug,
                           const BuildIds& program);

// How the two were matched: "same Go build ID X and GNU build-id Y".
std::string build_match(const BuildIds& debug, const BuildIds& program);

}  // namespace gomapdbg
