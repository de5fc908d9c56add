// Finds which map a goroutine's frames work on, and whether a goroutine
// holds a given map pointer. Evidence, strongest first:
//   - the DWARF location of the map argument (h / m) of a map function's frame;
//   - a word on the goroutine's stack, or in a register of its thread, equal
//     to the map's address (spill slots, asyncPreempt's register save area,
//     a caller's argument);
// A map found on a stack is validated by reading its header and walking it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "runtime/goroutines.h"
#include "target/target.h"
#include "target/variables.h"
#include "types/go_type.h"

namespace gomapdbg {

struct LocatedMap {
  uint64_t address = 0;
  const GoType* type = nullptr;  // the map type (with its header layout)
  std::string name;              // a global holding it ("main.counts"), if any
  std::string found_by;          // how it was found, for the report
  uint64_t global_address = 0;   // where that global lives, when known (0: none)
  uint64_t descriptor = 0;       // the type's runtime descriptor, when known
  // When no global holds it, a variable of the goroutine's own code that
  // does, and where: "m, argument of main.writeInts in frame 4".
  std::string local;

  // The map as a Go value (its name, or its address as its type).
  GoValue value() const;
};

// The map the frames of `backtrace` (innermost first) access: the first
// map-code frame's argument, else a stack word equal to a global map.
// With `scan_stack` false only map-code arguments count (for goroutines
// other than the thrower, whose stacks may hold unrelated maps).
std::optional<LocatedMap> locate_map(Target& target, const Backtrace& backtrace,
                                     const Goroutine& goroutine, bool scan_stack = true);

// Whether `address` is the header of a map of `type`: it reads, lays out,
// and a bounded walk finds what the header says (or it is being written).
bool plausible_map(Target& target, const GoType& type, uint64_t address);

// Where a goroutine holds `address`: "argument h of runtime.mapassign_fast64",
// "stack slot 0xc000123450 in main.writer", "register rbx of thread 42";
// `frame` is set to the frame index that holds it. nullopt when nowhere.
struct Holding {
  std::string where;
  size_t frame = 0;
  bool argument = false;  // a DWARF-located map argument of that frame
};
std::optional<Holding> find_map_pointer(Target& target, const Backtrace& backtrace,
                                        const Goroutine& goroutine, const ThreadState* thread,
                                        uint64_t address);

}  // namespace gomapdbg
