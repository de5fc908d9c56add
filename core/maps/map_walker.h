// Enumerates the live entries of a map from raw memory, in storage order.
// The visitor sees key and value bytes (indirect slots already followed) and
// returns false to stop early. Corrupt structures end a walk with a warning
// and whatever was found, never a hang: every loop is bounded.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "maps/map_layout.h"
#include "memory/memory.h"

namespace gomapdbg {

using EntryVisitor = std::function<bool(const uint8_t* key, const uint8_t* value)>;

struct HeaderField {
  std::string name;
  std::string value;
};

struct MapHeader {
  uint64_t address = 0;
  uint64_t count = 0;  // len(m) as the header says
  bool writing = false;
  std::vector<HeaderField> fields;
};

struct WalkStats {
  uint64_t entries = 0;
  bool stopped = false;  // the visitor asked to stop
  std::vector<std::string> warnings;
};

class MapWalker {
 public:
  virtual ~MapWalker() = default;
  virtual const MapHeader& header() const = 0;
  virtual WalkStats walk(const EntryVisitor& visit) = 0;
};

// Reads the header at `address` (non-zero); throws MemoryError if unreadable.
std::unique_ptr<MapWalker> make_map_walker(const Memory& memory, const MapLayout& layout,
                                           uint64_t address);

// Shared by both walkers: the slot's key/value bytes, following indirection.
class SlotReader {
 public:
  SlotReader(const Memory& memory, const MapLayout& layout);
  // Returns false (with a warning) when an indirect pointer is unreadable.
  bool visit(const uint8_t* key, const uint8_t* value, const EntryVisitor& visitor,
             WalkStats& stats, bool& keep_going);

 private:
  const uint8_t* resolve(const uint8_t* slot, bool indirect, uint64_t size,
                         std::vector<uint8_t>& scratch, WalkStats& stats);
  const Memory& memory_;
  const MapLayout& layout_;
  std::vector<uint8_t> key_scratch_, value_scratch_;
};

}  // namespace gomapdbg
