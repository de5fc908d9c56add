// What the executable's machine code does with the crashed map (the code
// index, code/code_index.h): which functions refer to the map's global and
// call map functions on it ("code that touches this map"), and, for the
// accessor search, which map calls a frame's function makes on this map (by
// its global) or on maps of its type, itself or in the functions it calls.
#pragma once

#include <optional>
#include <unordered_map>
#include <vector>

#include "code/code_index.h"
#include "crash/competing_accessors.h"
#include "crash/crash_report.h"
#include "crash/map_locator.h"
#include "target/target.h"

namespace gomapdbg {

class StaticMapFacts : public MapCode {
 public:
  // Calls this many levels deep count as the frame's own (a handler that
  // calls the helper that writes the map).
  static constexpr int kCallDepth = 2;

  StaticMapFacts(Target& target, const LocatedMap& map);

  std::vector<CodeTouch> touches(uint64_t entry) const override;
  std::vector<uint64_t> referenced_globals(uint64_t entry) const override;

  // For a map held in a global: every function whose code refers to the
  // global, with its map calls on it (empty for other maps).
  std::vector<StaticAccessor> static_accessors() const;

  std::optional<uint64_t> global() const { return global_; }
  std::optional<uint64_t> type_descriptor() const { return descriptor_; }

 private:
  std::optional<CodeTouch> touch(const MapCallSite& site, const std::string& via) const;

  const CodeIndex& index_;
  const Pclntab* pclntab_;
  std::optional<uint64_t> global_;      // the global's own address (its 8-byte slot)
  std::optional<uint64_t> descriptor_;  // the map type's runtime descriptor
  mutable std::unordered_map<uint64_t, std::vector<CodeTouch>> touches_;
};

// The map a frame handed to the map function it called, when the map
// function's own arguments are gone: the call's map argument was loaded
// from a global (its current value), or it is the only map of the call's
// type that the calling frame's variables, or the globals its code refers
// to, reach. `bt` is the goroutine's backtrace (innermost first).
std::optional<LocatedMap> map_from_call_site(Target& target, const Backtrace& bt);

}  // namespace gomapdbg
