#include "maps/key_hash.h"

#include <immintrin.h>

#include <cstring>
#include <vector>

#include "arch/architecture.h"
#include "arch/instruction.h"
#include "binary/pclntab.h"
#include "elf/elf_image.h"

namespace gomapdbg {

namespace {

// Three AES rounds as asm_amd64.s's memhash64/32 do, on this CPU's AES-NI.
__attribute__((target("aes,sse4.1"))) uint64_t amd64_rounds(uint64_t seed, uint64_t data,
                                                            bool four_bytes, const uint8_t* keys) {
  __m128i x = _mm_cvtsi64_si128(static_cast<long long>(seed));
  // PINSRQ $1 puts 8 key bytes in the high half; PINSRD $2 puts 4 in bits 64–95.
  x = four_bytes ? _mm_insert_epi32(x, static_cast<int>(static_cast<uint32_t>(data)), 2)
                 : _mm_insert_epi64(x, static_cast<long long>(data), 1);
  for (int round = 0; round < 3; ++round)
    x = _mm_aesenc_si128(x, _mm_loadu_si128(reinterpret_cast<const __m128i*>(keys + 16 * round)));
  return static_cast<uint64_t>(_mm_cvtsi128_si64(x));
}

// asm_arm64.s's memhash64/32 (maps/memhash_arm64.s's memHash64AES/32AES):
// AESE, AESMC, AESE, AESMC, AESE with the schedule's first 16 bytes. AESE
// is AddRoundKey, ShiftRows, SubBytes; AESMC is MixColumns: AESE then
// AESMC is AESENC(x ^ k, 0), a last AESE is AESENCLAST(x ^ k, 0).
__attribute__((target("aes,sse4.1"))) uint64_t arm64_rounds(uint64_t seed, uint64_t data,
                                                            bool four_bytes, bool in_maps_package,
                                                            const uint8_t* keys) {
  __m128i x;
  if (!four_bytes)  // VLD1 (R0), V0.D[1] (go1.27: VMOV R0, V0.D[1]); VMOV R1, V0.D[0]
    x = _mm_set_epi64x(static_cast<long long>(data), static_cast<long long>(seed));
  else if (in_maps_package)  // VMOV R0, V0.S[2]; VMOV R1, V0.D[0]
    x = _mm_set_epi64x(static_cast<long long>(data & 0xffffffff), static_cast<long long>(seed));
  else  // VLD1 (R0), V0.S[1]; VMOV R1, V0.S[0]
    x = _mm_set_epi64x(0, static_cast<long long>((data << 32) | (seed & 0xffffffff)));
  __m128i key = _mm_loadu_si128(reinterpret_cast<const __m128i*>(keys));
  __m128i zero = _mm_setzero_si128();
  x = _mm_aesenc_si128(_mm_xor_si128(x, key), zero);
  x = _mm_aesenc_si128(_mm_xor_si128(x, key), zero);
  x = _mm_aesenclast_si128(_mm_xor_si128(x, key), zero);
  return static_cast<uint64_t>(_mm_cvtsi128_si64(x));
}

bool memhash_kind(GoKind kind) {
  switch (kind) {
    case GoKind::Int:
    case GoKind::Int32:
    case GoKind::Int64:
    case GoKind::Uint:
    case GoKind::Uint32:
    case GoKind::Uint64:
    case GoKind::Uintptr:
    case GoKind::Pointer:
    case GoKind::UnsafePointer:
    case GoKind::Chan:
      return true;
    default:
      return false;
  }
}

// The first `count` PC-relative targets of function `name`, found through
// pclntab (empty when it is missing or its code ends first).
std::vector<uint64_t> pc_targets(const InstructionSet& set, ElfImage& image, const Pclntab* pclntab,
                                 const char* name, size_t count) {
  auto entry = pclntab ? pclntab->entry_of(name) : std::nullopt;
  std::vector<uint64_t> targets;
  if (!entry) return targets;
  uint8_t code[96];
  size_t got = Memory(image).read_prefix(*entry, code, sizeof code);
  InstructionStream stream(set, std::span<const uint8_t>(code, got), *entry);
  while (targets.size() < count) {
    auto in = stream.next();
    if (!in || in->flow == Flow::Return) break;
    if (in->pc_target) targets.push_back(*in->pc_target);
  }
  return targets;
}

// Whether `t` (from index `from`) is the schedule read thrice, 16 bytes apart.
bool schedule_at(const std::vector<uint64_t>& t, size_t from) {
  return t.size() >= from + 3 && t[from + 1] == t[from] + 16 && t[from + 2] == t[from] + 32;
}

}  // namespace

// go1.19–go1.26: runtime.memhash64 (asm_amd64.s) begins
//   CMPB runtime·useAeshash(SB), $0; JEQ noaes; MOVQ BX, X0; PINSRQ $1, (AX), X0
//   AESENC runtime·aeskeysched+0(SB), X0; ... +16 ...; ... +32 ...
// so its RIP-relative operands are useAeshash, then the schedule thrice;
// asm_arm64.s's begins MOVB runtime·useAeshash(SB), R10 (ADRP+LDRB); CBZ;
// MOVD $runtime·aeskeysched(SB), R3 (ADRP+ADD): the flag, then the schedule.
// go1.27: the hash moved to internal/runtime/maps; MemHash64 begins with
// a check of UseAeshash and calls memHash64AES, whose first PC-relative
// operand (AESENC on amd64, MOVD $·aeskeysched(SB), R3 on arm64) is the schedule.
std::optional<AesHashGlobals> aes_hash_globals_from_code(ElfImage& image, const Pclntab* pclntab,
                                                         std::string& why) {
  const Architecture* arch = architecture_of_machine(image.file().machine());
  const InstructionSet& set = instruction_set(arch ? *arch : amd64_architecture());
  bool arm64 = arch == &arm64_architecture();
  std::vector<uint64_t> runtime = pc_targets(set, image, pclntab, "runtime.memhash64", 4);
  if (!arm64 && schedule_at(runtime, 1)) return AesHashGlobals{runtime[0], runtime[1], false};
  if (arm64 && runtime.size() >= 2) return AesHashGlobals{runtime[0], runtime[1], false};
  std::vector<uint64_t> check =
      pc_targets(set, image, pclntab, "internal/runtime/maps.MemHash64", 1);
  std::vector<uint64_t> rounds =
      pc_targets(set, image, pclntab, "internal/runtime/maps.memHash64AES", 3);
  bool schedule = arm64 ? !rounds.empty() : schedule_at(rounds, 0);
  if (check.size() == 1 && schedule) return AesHashGlobals{check[0], rounds[0], true};
  why =
      "no symbol table, and the code of runtime.memhash64 (internal/runtime/maps.MemHash64 "
      "from go1.27) is not the AES hash this tool knows";
  return std::nullopt;
}

std::optional<AesHashGlobals> aes_hash_globals(ElfImage& image, const Pclntab* pclntab,
                                               std::string& why) {
  // go1.19–go1.26 in the runtime package, go1.27 in internal/runtime/maps.
  for (bool maps : {false, true}) {
    auto use_aes = image.symbol(maps ? "internal/runtime/maps.UseAeshash" : "runtime.useAeshash");
    auto keys = image.symbol(maps ? "internal/runtime/maps.aeskeysched" : "runtime.aeskeysched");
    if (use_aes && keys) return AesHashGlobals{use_aes->address, keys->address, maps};
  }
  return aes_hash_globals_from_code(image, pclntab, why);
}

std::optional<uint64_t> runtime_key_hash(const Memory& memory, ElfImage& image,
                                         const Pclntab* pclntab, const GoType& key_type,
                                         const uint8_t* key, uint64_t seed, std::string& why) {
  if (!memhash_kind(key_type.kind) || (key_type.size != 8 && key_type.size != 4)) {
    why = "the runtime hashes " + key_type.name + " keys with code not reproduced here";
    return std::nullopt;
  }
  auto globals = aes_hash_globals(image, pclntab, why);
  if (!globals) return std::nullopt;
  uint8_t aes = 0;
  uint8_t keys[48];
  if (memory.read_prefix(globals->use_aeshash, &aes, 1) != 1 ||
      memory.read_prefix(globals->key_schedule, keys, sizeof keys) != sizeof keys) {
    why = "the runtime's hash key schedule is unreadable";
    return std::nullopt;
  }
  if (!aes) {
    why = "the process hashed without AES (its fallback hash is not reproduced)";
    return std::nullopt;
  }
  if (!__builtin_cpu_supports("aes")) {
    why = "this CPU has no AES instructions";
    return std::nullopt;
  }
  uint64_t data = 0;
  std::memcpy(&data, key, key_type.size);
  bool four_bytes = key_type.size == 4;
  if (image.file().machine() == arm64_architecture().elf_machine)
    return arm64_rounds(seed, data, four_bytes, globals->in_maps_package, keys);
  return amd64_rounds(seed, data, four_bytes, keys);
}

}  // namespace gomapdbg
