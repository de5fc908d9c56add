#include "maps/key_hash.h"

#include <immintrin.h>

#include <cstring>
#include <vector>

#include "binary/go_binary.h"
#include "code/x86_decoder.h"

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

// runtime.memhash64 (asm_amd64.s, go1.19–go1.26) begins
//   CMPB runtime·useAeshash(SB), $0; JEQ noaes; MOVQ BX, X0; PINSRQ $1, (AX), X0
//   AESENC runtime·aeskeysched+0(SB), X0; ... +16 ...; ... +32 ...
// so its RIP-relative operands are useAeshash, then the schedule thrice.
std::optional<AesHashGlobals> globals_from_memhash64(GoBinary& binary, std::string& why) {
  const Pclntab* table = binary.pclntab();
  auto entry = table ? table->entry_of("runtime.memhash64") : std::nullopt;
  if (!entry) {
    why = "no symbol table, and no runtime.memhash64 in pclntab to find the hash keys by";
    return std::nullopt;
  }
  uint8_t code[96];
  size_t got = Memory(binary.image()).read_prefix(*entry, code, sizeof code);
  std::vector<uint64_t> targets;
  for (size_t at = 0; at < got && targets.size() < 4;) {
    auto in = decode_x86(std::span<const uint8_t>(code + at, got - at), *entry + at);
    if (!in || in->flow == Flow::Return) break;
    if (in->rip_target) targets.push_back(*in->rip_target);
    at += in->length;
  }
  if (targets.size() < 4 || targets[2] != targets[1] + 16 || targets[3] != targets[1] + 32) {
    why = "no symbol table, and runtime.memhash64's code is not the AES hash this tool knows";
    return std::nullopt;
  }
  return AesHashGlobals{targets[0], targets[1]};
}

}  // namespace

std::optional<AesHashGlobals> aes_hash_globals(GoBinary& binary, std::string& why) {
  auto use_aes = binary.image().symbol("runtime.useAeshash");
  auto schedule = binary.image().symbol("runtime.aeskeysched");
  if (use_aes && schedule) return AesHashGlobals{use_aes->address, schedule->address};
  return globals_from_memhash64(binary, why);
}

std::optional<uint64_t> runtime_key_hash(const Memory& memory, GoBinary& binary,
                                         const GoType& key_type, const uint8_t* key, uint64_t seed,
                                         std::string& why) {
  if (!memhash_kind(key_type.kind) || (key_type.size != 8 && key_type.size != 4)) {
    why = "the runtime hashes " + key_type.name + " keys with code not reproduced here";
    return std::nullopt;
  }
  auto globals = aes_hash_globals(binary, why);
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
