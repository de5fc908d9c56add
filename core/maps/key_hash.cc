#include "maps/key_hash.h"

#include <immintrin.h>

#include <cstring>
#include <vector>

#include "arch/x86_decoder.h"
#include "binary/pclntab.h"
#include "elf/elf_image.h"

namespace gomapdbg {

namespace {

// Three AES rounds as runtime·memhash64/32 do, on this CPU's AES-NI.
__attribute__((target("aes,sse4.1"))) uint64_t aes_rounds(uint64_t seed, uint64_t data,
                                                          bool four_bytes, const uint8_t* keys) {
  __m128i x = _mm_cvtsi64_si128(static_cast<long long>(seed));
  // PINSRQ $1 puts 8 key bytes in the high half; PINSRD $2 puts 4 in bits 64–95.
  x = four_bytes ? _mm_insert_epi32(x, static_cast<int>(static_cast<uint32_t>(data)), 2)
                 : _mm_insert_epi64(x, static_cast<long long>(data), 1);
  for (int round = 0; round < 3; ++round)
    x = _mm_aesenc_si128(x, _mm_loadu_si128(reinterpret_cast<const __m128i*>(keys + 16 * round)));
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

// The first `count` RIP-relative operands of function `name`, found
// through pclntab (empty when it is missing or its code ends first).
std::vector<uint64_t> rip_targets(ElfImage& image, const Pclntab* pclntab, const char* name,
                                  size_t count) {
  auto entry = pclntab ? pclntab->entry_of(name) : std::nullopt;
  std::vector<uint64_t> targets;
  if (!entry) return targets;
  uint8_t code[96];
  size_t got = Memory(image).read_prefix(*entry, code, sizeof code);
  for (size_t at = 0; at < got && targets.size() < count;) {
    auto in = decode_x86(std::span<const uint8_t>(code + at, got - at), *entry + at);
    if (!in || in->flow == Flow::Return) break;
    if (in->rip_target) targets.push_back(*in->rip_target);
    at += in->length;
  }
  return targets;
}

// Whether `t` (from index `from`) is the schedule read thrice, 16 bytes apart.
bool schedule_at(const std::vector<uint64_t>& t, size_t from) {
  return t.size() >= from + 3 && t[from + 1] == t[from] + 16 && t[from + 2] == t[from] + 32;
}

// go1.19–go1.26: runtime.memhash64 (asm_amd64.s) begins
//   CMPB runtime·useAeshash(SB), $0; JEQ noaes; MOVQ BX, X0; PINSRQ $1, (AX), X0
//   AESENC runtime·aeskeysched+0(SB), X0; ... +16 ...; ... +32 ...
// so its RIP-relative operands are useAeshash, then the schedule thrice.
// go1.27: the hash moved to internal/runtime/maps; MemHash64 begins with
// CMPB UseAeshash, $0 and calls memHash64AES, whose AESENCs read aeskeysched.
std::optional<AesHashGlobals> globals_from_code(ElfImage& image, const Pclntab* pclntab,
                                                std::string& why) {
  std::vector<uint64_t> runtime = rip_targets(image, pclntab, "runtime.memhash64", 4);
  if (schedule_at(runtime, 1)) return AesHashGlobals{runtime[0], runtime[1]};
  std::vector<uint64_t> check = rip_targets(image, pclntab, "internal/runtime/maps.MemHash64", 1);
  std::vector<uint64_t> rounds =
      rip_targets(image, pclntab, "internal/runtime/maps.memHash64AES", 3);
  if (check.size() == 1 && schedule_at(rounds, 0)) return AesHashGlobals{check[0], rounds[0]};
  why =
      "no symbol table, and the code of runtime.memhash64 (internal/runtime/maps.MemHash64 "
      "from go1.27) is not the AES hash this tool knows";
  return std::nullopt;
}

}  // namespace

std::optional<AesHashGlobals> aes_hash_globals(ElfImage& image, const Pclntab* pclntab,
                                               std::string& why) {
  // go1.19–go1.26 in the runtime package, go1.27 in internal/runtime/maps.
  for (auto [flag, schedule] :
       {std::pair{"runtime.useAeshash", "runtime.aeskeysched"},
        {"internal/runtime/maps.UseAeshash", "internal/runtime/maps.aeskeysched"}}) {
    auto use_aes = image.symbol(flag);
    auto keys = image.symbol(schedule);
    if (use_aes && keys) return AesHashGlobals{use_aes->address, keys->address};
  }
  return globals_from_code(image, pclntab, why);
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
  return aes_rounds(seed, data, key_type.size == 4, keys);
}

}  // namespace gomapdbg
