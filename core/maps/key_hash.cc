#include "maps/key_hash.h"

#include <immintrin.h>

#include <cstring>

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

}  // namespace

std::optional<uint64_t> runtime_key_hash(const Memory& memory, const ElfImage& image,
                                         const GoType& key_type, const uint8_t* key, uint64_t seed,
                                         std::string& why) {
  if (!memhash_kind(key_type.kind) || (key_type.size != 8 && key_type.size != 4)) {
    why = "the runtime hashes " + key_type.name + " keys with code not reproduced here";
    return std::nullopt;
  }
  auto use_aes = image.symbol("runtime.useAeshash");
  auto schedule = image.symbol("runtime.aeskeysched");
  if (!use_aes || !schedule) {
    why = "no symbol table (runtime.useAeshash, runtime.aeskeysched)";
    return std::nullopt;
  }
  uint8_t aes = 0;
  uint8_t keys[48];
  if (memory.read_prefix(use_aes->address, &aes, 1) != 1 ||
      memory.read_prefix(schedule->address, keys, sizeof keys) != sizeof keys) {
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
