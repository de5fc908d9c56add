#include "arch/instruction.h"

#include <elf.h>

#include <array>
#include <cstring>

#include "arch/arm64_decoder.h"
#include "arch/x86_decoder.h"

namespace gomapdbg {

namespace {

constexpr std::array<const char*, 16> kX86Registers = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp",
                                                       "rsi", "rdi", "r8",  "r9",  "r10", "r11",
                                                       "r12", "r13", "r14", "r15"};

constexpr std::array<const char*, 32> kAarch64Registers = {
    "x0",  "x1",  "x2",  "x3",  "x4",  "x5",  "x6",  "x7",  "x8",  "x9",  "x10",
    "x11", "x12", "x13", "x14", "x15", "x16", "x17", "x18", "x19", "x20", "x21",
    "x22", "x23", "x24", "x25", "x26", "x27", "x28", "x29", "x30", "sp"};

InstructionSet make_x86_64() {
  InstructionSet s;
  s.name = "x86-64";
  s.registers = kX86Registers;
  s.max_length = kMaxInstructionLength;
  s.alignment = 1;
  s.padding = 0xcc;  // INT3
  s.decode = decode_x86;
  return s;
}

InstructionSet make_aarch64() {
  InstructionSet s;
  s.name = "AArch64";
  s.registers = kAarch64Registers;
  s.max_length = 4;
  s.alignment = 4;
  s.padding = 0;  // UDF #0 words
  s.decode = decode_arm64;
  return s;
}

}  // namespace

void complete_pair(Instruction& in, const Instruction& previous) {
  if (!in.base || !previous.page || *in.base != previous.dest) return;
  in.pc_target = *previous.page + in.offset;
  if (in.when_paired != Transfer::None) in.transfer = in.when_paired;
}

std::optional<RegisterNumber> InstructionSet::register_number(const char* register_name) const {
  for (size_t r = 0; r < registers.size(); ++r)
    if (std::strcmp(registers[r], register_name) == 0) return static_cast<RegisterNumber>(r);
  return std::nullopt;
}

const InstructionSet& x86_64_instructions() {
  static const InstructionSet set = make_x86_64();
  return set;
}

const InstructionSet& aarch64_instructions() {
  static const InstructionSet set = make_aarch64();
  return set;
}

const InstructionSet& instruction_set(const Architecture& arch) {
  return arch.elf_machine == EM_AARCH64 ? aarch64_instructions() : x86_64_instructions();
}

std::optional<Instruction> InstructionStream::next() {
  if (at_end()) return std::nullopt;
  auto in = set_.decode(code_.subspan(pos_), address_ + pos_);
  if (!in) return std::nullopt;
  if (previous_) complete_pair(*in, *previous_);
  pos_ += in->length;
  previous_ = in;
  return in;
}

}  // namespace gomapdbg
