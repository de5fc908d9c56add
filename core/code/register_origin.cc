#include "code/register_origin.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "memory/memory.h"

namespace gomapdbg {

namespace {

ArgumentOrigin unknown(std::string why, uint64_t set_at = 0) {
  ArgumentOrigin origin;
  origin.why = std::move(why);
  origin.set_at = set_at;
  return origin;
}

ArgumentOrigin known(ArgumentOrigin::Kind kind, const Instruction& at) {
  ArgumentOrigin origin;
  origin.kind = kind;
  origin.address = at.pc_target.value_or(0);
  origin.set_at = at.address;
  return origin;
}

// Why the scan cannot go back past `in` (empty when it can).
std::string barrier(const Instruction& in) {
  switch (in.flow) {
    case Flow::Call:
    case Flow::IndirectCall:
      return "a call at " + hex(in.address) + " comes before it";
    case Flow::Jump:
    case Flow::IndirectJump:
    case Flow::Return:
    case Flow::Trap:
      return "no straight-line code before it (" + hex(in.address) + " does not fall through)";
    default:
      return "";
  }
}

bool falls_through(const Instruction& in) {
  return in.flow != Flow::Jump && in.flow != Flow::IndirectJump && in.flow != Flow::Return &&
         in.flow != Flow::Trap;
}

// The one jump reaching instruction `index` when nothing falls into it.
std::optional<size_t> only_way_in(std::span<const Instruction> code, size_t index,
                                  std::span<const Branch> branches) {
  uint64_t address = code[index].address;
  auto first = std::lower_bound(branches.begin(), branches.end(), Branch{address, 0});
  if (first == branches.end() || first->target != address) return std::nullopt;
  auto next = first + 1;
  if (next != branches.end() && next->target == address) return std::nullopt;
  if (index > 0 && falls_through(code[index - 1])) return std::nullopt;
  if (first->from >= code.size()) return std::nullopt;  // a jump not known
  return first->from;
}

// The backward scan from the instruction before `i` (whose input we want,
// at address `after`). At the start of a block it goes on from the only
// jump into it, when `branches` names one and nothing falls into it.
ArgumentOrigin scan_back(const InstructionSet& set, std::span<const Instruction> code, size_t i,
                         uint64_t after, RegisterNumber reg, std::span<const Branch> branches,
                         size_t max_instructions) {
  for (size_t steps = 0; steps < max_instructions; ++steps) {
    auto block = std::lower_bound(branches.begin(), branches.end(), Branch{after, 0});
    if (block != branches.end() && block->target == after) {
      auto from = i < code.size() && code[i].address == after ? only_way_in(code, i, branches)
                                                              : std::nullopt;
      if (!from) return unknown("a jump reaches " + hex(after) + ": another path may set it");
      i = *from;  // on from the jump (a jump writes no register)
      after = code[i].address;
      continue;
    }
    if (i == 0) return unknown("it is set before the function's entry");
    const Instruction& in = code[--i];
    if (std::string why = barrier(in); !why.empty()) return unknown(why);
    if (in.may_write(reg)) {
      bool to_reg = !in.writes_any && in.dest == reg;
      if (to_reg && in.transfer == Transfer::Copy) {
        reg = in.source;  // follow the copy back to its source register
      } else if (to_reg && in.transfer == Transfer::LoadGlobal) {
        return known(ArgumentOrigin::Kind::Global, in);
      } else if (to_reg && in.transfer == Transfer::Address) {
        return known(ArgumentOrigin::Kind::Address, in);
      } else {
        return unknown(
            std::string("computed at ") + hex(in.address) + " into " + set.register_name(reg),
            in.address);
      }
    }
    after = in.address;
  }
  return unknown("not set within " + std::to_string(max_instructions) + " instructions");
}

}  // namespace

ArgumentOrigin register_origin(const InstructionSet& set, std::span<const Instruction> before,
                               RegisterNumber reg, std::span<const uint64_t> branch_targets,
                               size_t max_instructions) {
  if (before.empty()) return unknown("it is set before the function's entry");
  // Targets whose jumps are not known: every block start stops the scan.
  std::vector<Branch> blocks;
  for (uint64_t target : branch_targets) blocks.push_back({target, SIZE_MAX});
  return scan_back(set, before, before.size(), before.back().next(), reg, blocks, max_instructions);
}

ArgumentOrigin register_origin(const InstructionSet& set, std::span<const Instruction> code,
                               size_t at, RegisterNumber reg, std::span<const Branch> branches,
                               size_t max_instructions) {
  return scan_back(set, code, at, code[at].address, reg, branches, max_instructions);
}

}  // namespace gomapdbg
