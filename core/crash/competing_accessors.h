// Which other goroutines accessed the crashed map, with the evidence, most
// certain first. Holding the map's address is not evidence of accessing it
// (a dispatcher hands maps around without touching them); the levels are:
//   certain  inside map code on this map now (its map argument is this
//            map), or seen writing it in the live write log;
//   likely   running, runnable, in a syscall or preempted, with a frame in
//            code that touches this map: code that accesses the map's
//            global, or code that accesses maps of its type in a frame
//            that reaches this map (a variable, receiver or referenced
//            global leads to it within a bounded pointer walk).
// A goroutine parked on a channel, lock, timer or I/O is never named: it
// was not half-way through a map access. Goroutines that only hold the
// map's address are listed apart, as candidates.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "crash/map_locator.h"
#include "maps/map_functions.h"
#include "runtime/goroutines.h"
#include "target/target.h"

namespace gomapdbg {

enum class Certainty { Certain, Likely };
const char* certainty_name(Certainty certainty);

struct Evidence {
  enum class Kind { InMapCode, WriteLog, CodeTouchesMap, ReachesMap };
  Kind kind = Kind::InMapCode;
  std::string text;  // one line, the same in text and JSON
  size_t frame = 0;  // the frame of the goroutine's backtrace it is about
};
const char* evidence_kind_name(Evidence::Kind kind);

// A place in code that accesses the crashed map (or maps of its type).
struct CodeTouch {
  std::string function;  // the function whose code it is
  std::string via;       // "" when in the frame's own function, else "main.(*Store).Put"
  std::string callee;    // the map function called (runtime.mapassign_faststr)
  MapAccess access = MapAccess::Write;
  std::string file;
  int64_t line = 0;
  bool by_global = false;   // the map argument is loaded from the map's own global
  uint64_t code_entry = 0;  // entry of the function whose machine code makes the call
};

// What the executable's code does with the crashed map; implemented over
// the machine-code index (crash/static_accessors.h).
class MapCode {
 public:
  virtual ~MapCode() = default;
  // The accesses in the function starting at `entry` and the functions it
  // calls (a small, bounded depth).
  virtual std::vector<CodeTouch> touches(uint64_t entry) const = 0;
  // The global variables the function's code refers to.
  virtual std::vector<uint64_t> referenced_globals(uint64_t entry) const = 0;
};

struct Accessor {
  const Goroutine* goroutine = nullptr;
  Backtrace backtrace;
  const ThreadState* thread = nullptr;
  Certainty certainty = Certainty::Likely;
  std::optional<MapAccess> access;  // what it does to the map, when known
  std::string function;             // the map function it is in, or the frame with the evidence
  std::vector<Evidence> evidence;   // strongest first
};

struct Candidate {
  const Goroutine* goroutine = nullptr;
  Backtrace backtrace;
  std::string why;  // "holds the map's address (stack slot 0x... in main.dispatch)"
};

struct AccessorSearch {
  std::vector<Accessor> accessors;  // certain, then likely; writers first within each
  std::vector<Candidate> candidates;
};

AccessorSearch find_competing_accessors(Target& target, const RuntimeSnapshot& snapshot,
                                        const Goroutine* thrower, const LocatedMap& map,
                                        const MapCode* code);

// Frames unwound per goroutine for the search.
inline constexpr size_t kAccessorDepth = 64;

}  // namespace gomapdbg
