#include "code/generic_dictionary.h"

#include <algorithm>
#include <vector>

#include "arch/instruction.h"
#include "code/register_origin.h"

namespace gomapdbg {

namespace {

// How much of the caller's code before the call is decoded (Go functions
// rarely exceed it; a longer one gives no dictionary).
constexpr uint64_t kMaxCallerCode = 1 << 20;

// The frame's return address: in its slot once the frame is allocated (or
// always, where the call pushes it), else in the link register, which only
// the innermost frame's registers hold.
std::optional<uint64_t> return_address(const Architecture& arch, const Pclntab& table,
                                       const Memory& memory, const FrameState& frame,
                                       const GoFunc& callee) {
  auto delta = table.sp_delta(callee, frame.pc);
  if (!delta || *delta < 0) return std::nullopt;
  if (*delta == 0 && arch.link_register) {
    auto lr = arch.dwarf_number(arch.link_register);
    if (!lr || *lr >= frame.registers.size()) return std::nullopt;
    return frame.registers[*lr];
  }
  uint64_t sp = frame.cfa - static_cast<uint64_t>(*delta) - arch.return_address_size;
  uint64_t slot = arch.return_address.address(sp, frame.cfa);
  if (slot > frame.cfa) return std::nullopt;
  uint64_t ret = 0;
  std::string why;
  if (!memory.try_read(slot, &ret, sizeof ret, why)) return std::nullopt;
  return ret;
}

}  // namespace

std::optional<uint64_t> dictionary_from_call_site(const Architecture& arch, const Pclntab& table,
                                                  const Memory& memory, const FrameState& frame) {
  const InstructionSet& set = instruction_set(arch);
  auto first_argument = arch.integer_argument_registers.empty()
                            ? std::nullopt
                            : set.register_number(arch.integer_argument_registers[0]);
  auto callee = table.function(frame.pc);
  if (!callee || !first_argument) return std::nullopt;
  auto ret = return_address(arch, table, memory, frame, *callee);
  auto caller = ret && *ret ? table.function(*ret - 1) : std::nullopt;
  if (!caller || *ret - caller->entry > kMaxCallerCode) return std::nullopt;
  std::vector<uint8_t> code(*ret - caller->entry);
  std::string why;
  if (!memory.try_read(caller->entry, code.data(), code.size(), why)) return std::nullopt;
  std::vector<Instruction> before;
  std::vector<uint64_t> targets;
  InstructionStream stream(set, code, caller->entry);
  while (auto in = stream.next()) {
    if ((in->flow == Flow::Jump || in->flow == Flow::ConditionalJump) &&
        in->branch_target >= caller->entry && in->branch_target < *ret)
      targets.push_back(in->branch_target);
    before.push_back(*in);
  }
  if (!stream.at_end()) return std::nullopt;
  // The last instruction must be a direct call of this very function.
  if (before.empty() || before.back().flow != Flow::Call || before.back().next() != *ret ||
      before.back().branch_target != callee->entry)
    return std::nullopt;
  before.pop_back();
  std::sort(targets.begin(), targets.end());
  ArgumentOrigin origin = register_origin(set, before, *first_argument, targets);
  if (origin.kind != ArgumentOrigin::Kind::Address) return std::nullopt;
  return origin.address;
}

}  // namespace gomapdbg
