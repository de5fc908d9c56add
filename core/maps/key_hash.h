// The hash the Go runtime computes for a map key, where it can be computed
// from outside: on amd64 with AES hashing (runtime.useAeshash), 8- and
// 4-byte keys of integer and pointer kinds hash with memhash64/memhash32,
// three AESENC rounds of (seed, key) under the process's runtime.aeskeysched
// (asm_amd64.s, the same for go1.19–go1.26). Other key types use hashers
// compiled per type or longer routines; they are not reproduced.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "binary/elf_image.h"
#include "memory/memory.h"
#include "types/go_type.h"

namespace gomapdbg {

// nullopt with `why` set when the hash cannot be computed.
std::optional<uint64_t> runtime_key_hash(const Memory& memory, const ElfImage& image,
                                         const GoType& key_type, const uint8_t* key, uint64_t seed,
                                         std::string& why);

}  // namespace gomapdbg
