#include "maps/map_walker.h"

#include "errors.h"
#include "maps/classic_map.h"
#include "maps/swiss_map.h"

namespace gomapdbg {

std::unique_ptr<MapWalker> make_map_walker(const Memory& memory, const MapLayout& layout,
                                           uint64_t address) {
  if (layout.family == MapFamily::Classic)
    return std::make_unique<ClassicMap>(memory, layout, address);
  return std::make_unique<SwissMap>(memory, layout, address);
}

namespace {

// Keys and values over 128 bytes are stored indirectly; a real one stays far
// below this, so a larger size comes from a damaged type.
constexpr uint64_t kMaxIndirectBytes = uint64_t{1} << 28;

}  // namespace

SlotReader::SlotReader(const Memory& memory, const MapLayout& layout)
    : memory_(memory), layout_(layout) {}

const uint8_t* SlotReader::resolve(const uint8_t* slot, bool indirect, uint64_t size,
                                   std::vector<uint8_t>& scratch, WalkStats& stats) {
  if (!indirect) return slot;
  if (size > kMaxIndirectBytes) {
    // A type decoded from a damaged descriptor: not a key or value to copy.
    stats.warn("indirect slot of " + std::to_string(size) + " bytes is not read (over " +
               std::to_string(kMaxIndirectBytes) + ")");
    return nullptr;
  }
  uint64_t pointer = load<uint64_t>(slot);
  scratch.resize(size);
  // No exception per slot: a corrupt map can have thousands of bad pointers.
  std::string why;
  if (!memory_.try_read(pointer, scratch.data(), size, why)) {
    stats.warn("indirect slot unreadable: " + why);
    return nullptr;
  }
  return scratch.data();
}

bool SlotReader::resolve_slot(const uint8_t* key, const uint8_t* value, const uint8_t** key_out,
                              const uint8_t** value_out) {
  WalkStats ignored;
  *key_out = resolve(key, layout_.indirect_key, layout_.key->size, key_scratch_, ignored);
  *value_out = resolve(value, layout_.indirect_value, layout_.value->size, value_scratch_, ignored);
  return *key_out && *value_out;
}

bool SlotReader::visit(const uint8_t* key, const uint8_t* value, const EntryVisitor& visitor,
                       WalkStats& stats, bool& keep_going) {
  const uint8_t* k = resolve(key, layout_.indirect_key, layout_.key->size, key_scratch_, stats);
  const uint8_t* v =
      resolve(value, layout_.indirect_value, layout_.value->size, value_scratch_, stats);
  if (!k || !v) return false;
  ++stats.entries;
  keep_going = visitor ? visitor(k, v) : true;
  if (!keep_going) stats.stopped = true;
  return true;
}

}  // namespace gomapdbg
