#include "target/target.h"

#include <algorithm>
#include <vector>

namespace gomapdbg {

Target::Target(std::shared_ptr<GoBinary> binary, std::shared_ptr<MemoryReader> reader,
               std::optional<FrameInput> frame, std::vector<ThreadInput> threads)
    : binary_(std::move(binary)),
      reader_(std::move(reader)),
      memory_(*reader_),
      frame_(std::move(frame)),
      threads_(std::move(threads)) {}

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
  // amd64: the call pushed the return address, so CFA = SP at entry + 8.
  state.cfa = frame_->sp + static_cast<uint64_t>(*delta) + 8;
  if (frame_->innermost) {
    for (size_t i = 0; i < kDwarfRegisterNames.size(); ++i) {
      auto it = frame_->registers.find(kDwarfRegisterNames[i]);
      if (it != frame_->registers.end()) state.registers[i] = it->second;
    }
  }
  return state;
}

std::vector<std::string> Target::warnings() const {
  std::vector<std::string> out;
  if (auto problem = reader_->problem()) out.push_back(*problem);
  if (auto mismatch = executable_mismatch()) out.push_back(*mismatch);
  return out;
}

std::optional<std::string> Target::executable_mismatch() const {
  const LoadSegment* first = nullptr;
  for (const auto& s : binary_->image().file().segments())
    if (s.offset == 0 && s.filesz) first = &s;
  if (!first) return std::nullopt;
  size_t size = std::min<uint64_t>(first->filesz, 4096);
  std::vector<uint8_t> file(size), memory(size);
  if (binary_->image().read(first->vaddr, file.data(), size) != size) return std::nullopt;
  if (memory_.read_prefix(first->vaddr, memory.data(), size) != size) return std::nullopt;
  if (file == memory) return std::nullopt;
  return "the memory at " + hex(first->vaddr) + " differs from " + binary_->path() +
         "'s ELF header: a core of another executable or build?";
}

}  // namespace gomapdbg
