// The hash the Go runtime computes for a map key, where it can be computed
// from outside: with AES hashing (runtime.useAeshash), 8- and 4-byte keys
// of integer and pointer kinds hash with memhash64/memhash32 under the
// process's runtime.aeskeysched (go1.19–go1.26; go1.27 moved the hash, the
// flag and the schedule to internal/runtime/maps, same rounds):
//   amd64 (asm_amd64.s): three AESENC rounds of (seed, key), one 16-byte
//     round key each;
//   arm64 (asm_arm64.s, maps/memhash_arm64.s): AESE+AESMC, AESE+AESMC, AESE
//     of (seed, key) with the schedule's first 16 bytes each time, emulated
//     with this host's AES-NI (AESE(x, k) = AESENCLAST(x ^ k, 0)).
// Other key types use hashers compiled per type or longer routines, and the
// non-AES fallback is not reproduced either. A stripped binary has no
// symbols for the two globals: the hash functions' own code names them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "memory/memory.h"
#include "types/go_type.h"

namespace gomapdbg {

class ElfImage;
class Pclntab;

// Where useAeshash (a bool) and aeskeysched (48 bytes used) are; nullopt with `why` set when
// neither the symbols nor the code say.
struct AesHashGlobals {
  uint64_t use_aeshash = 0, key_schedule = 0;
  // go1.27's internal/runtime/maps (on arm64 its memHash32AES puts a 4-byte
  // key and the seed elsewhere in the state than go1.19–go1.26's memhash32).
  bool in_maps_package = false;
};
// `image` holds the code and symbols; `pclntab` (may be null) finds the hash functions
// when the symbols are gone.
std::optional<AesHashGlobals> aes_hash_globals(ElfImage& image, const Pclntab* pclntab,
                                               std::string& why);
// The same from the hash functions' code alone, as for a stripped binary.
std::optional<AesHashGlobals> aes_hash_globals_from_code(ElfImage& image, const Pclntab* pclntab,
                                                         std::string& why);

// nullopt with `why` set when the hash cannot be computed.
std::optional<uint64_t> runtime_key_hash(const Memory& memory, ElfImage& image,
                                         const Pclntab* pclntab, const GoType& key_type,
                                         const uint8_t* key, uint64_t seed, std::string& why);

}  // namespace gomapdbg
