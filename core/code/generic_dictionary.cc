#include "code/generic_dictionary.h"

#include <algorithm>
#include <vector>

#include "arch/architecture.h"
#include "arch/x86_decoder.h"
#include "code/register_origin.h"

namespace gomapdbg {

namespace {

// How much of the caller's code before the call is decoded (Go functions
// rarely exceed it; a longer one gives no dictionary).
constexpr uint64_t kMaxCallerCode = 1 << 20;

}  // namespace

std::optional<uint64_t> dictionary_from_call_site(const Pclntab& table, const Memory& memory,
                                                  const FrameState& frame) {
  // The x86 call site: the return address sits where amd64 saves it.
  const FrameSlot& slot = amd64_architecture().return_address;
  uint64_t slot_address = slot.address(0, frame.cfa);
  if (slot_address > frame.cfa) return std::nullopt;
  auto callee = table.function(frame.pc);
  std::string why;
  uint64_t ret = 0;
  if (!callee || !memory.try_read(slot_address, &ret, sizeof ret, why)) return std::nullopt;
  auto caller = ret ? table.function(ret - 1) : std::nullopt;
  if (!caller || ret - caller->entry > kMaxCallerCode) return std::nullopt;
  std::vector<uint8_t> code(ret - caller->entry);
  if (!memory.try_read(caller->entry, code.data(), code.size(), why)) return std::nullopt;
  std::vector<X86Instruction> before;
  std::vector<uint64_t> targets;
  for (size_t pos = 0; pos < code.size();) {
    auto in = decode_x86(std::span<const uint8_t>(code).subspan(pos), caller->entry + pos);
    if (!in) return std::nullopt;
    if ((in->flow == Flow::Jump || in->flow == Flow::ConditionalJump) &&
        in->branch_target >= caller->entry && in->branch_target < ret)
      targets.push_back(in->branch_target);
    before.push_back(*in);
    pos += in->length;
  }
  // The last instruction must be a direct call of this very function.
  if (before.empty() || before.back().flow != Flow::Call || before.back().next() != ret ||
      before.back().branch_target != callee->entry)
    return std::nullopt;
  before.pop_back();
  std::sort(targets.begin(), targets.end());
  ArgumentOrigin origin = register_origin(before, Gpr::Rax, targets);
  if (origin.kind != ArgumentOrigin::Kind::Address) return std::nullopt;
  return origin.address;
}

}  // namespace gomapdbg
