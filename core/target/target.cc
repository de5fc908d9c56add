#include "target/target.h"

#include <vector>

#include "target/executable_match.h"

namespace gomapdbg {

Target::Target(std::shared_ptr<GoBinary> binary, std::shared_ptr<MemoryReader> reader,
               std::optional<FrameInput> frame, std::vector<ThreadInput> threads)
    : binary_(std::move(binary)),
      reader_(std::move(reader)),
      memory_(*reader_),
      frame_(std::move(frame)),
      threads_(std::move(threads)) {
  refuse_non_go(*binary_);
}

std::optional<FrameState> Target::frame_state() const {
  if (selected_state_) return selected_state_;
  if (!frame_ || !binary_->pclntab()) return std::nullopt;
  FrameState state;
  // A caller's PC is a return address: look it up inside the call instruction.
  state.pc = frame_->innermost ? frame_->pc : frame_->pc - 1;
  auto fn = binary_->pclntab()->function(state.pc);
  if (!fn) return std::nullopt;
  auto delta = binary_->pclntab()->sp_delta(*fn, state.pc);
  if (!delta) return std::nullopt;
  const Architecture& arch = architecture();
  state.cfa = frame_->sp + static_cast<uint64_t>(*delta) + arch.return_address_size;
  state.arguments_above_cfa = arch.arguments_above_cfa;
  state.inline_depth = frame_->inline_depth;
  if (frame_->innermost) state.set_registers(arch, frame_->registers);
  return state;
}

std::vector<std::string> Target::warnings() const {
  std::vector<std::string> out;
  if (auto problem = reader_->problem()) out.push_back(*problem);
  if (auto mismatch = executable_mismatch(); mismatch && !mismatch_said_) out.push_back(*mismatch);
  return out;
}

std::optional<std::string> Target::executable_mismatch() const {
  if (core_checked_) return core_mismatch_;
  return memory_mismatch(memory_, binary_->image().file());
}

}  // namespace gomapdbg
