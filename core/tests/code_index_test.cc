// The code index over hand-assembled functions and a hand-built pclntab:
// map call sites and what their arguments held (across a register copy,
// not across a call or a jump target), references to globals, and the
// call-graph closure with a cycle.
#include "code/code_index.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "arch/x86_decoder.h"
#include "memory/memory.h"
#include "tests/pclntab_builder.h"

namespace gomapdbg {
namespace {

using test::kTextStart;
using test::PclntabBuilder;

constexpr uint64_t kMapType = 0x4a0000, kOtherMapType = 0x4a0100;
constexpr uint64_t kGlobal = 0x5c0000, kOtherGlobal = 0x5c0010;

// Function layout of the synthetic text (offsets from kTextStart).
constexpr uint32_t kF = 0x00, kG = 0x80, kH = 0xc0, kAssign = 0x100, kAccess = 0x110,
                   kDelete = 0x120, kPutSlot = 0x130, kJunk = 0x140, kTextSize = 0x160;

// A few AT&T-named instructions, with RIP-relative displacements and call
// targets worked out from where they land.
class Assembler {
 public:
  explicit Assembler(std::vector<uint8_t>& text) : text_(text) {}
  Assembler& at(uint32_t offset) {
    pos_ = offset;
    return *this;
  }
  uint64_t pc() const { return kTextStart + pos_; }
  Assembler& lea_rax(uint64_t target) { return rip({0x48, 0x8d, 0x05}, target); }
  Assembler& mov_rbx(uint64_t global) { return rip({0x48, 0x8b, 0x1d}, global); }
  Assembler& mov_rcx(uint64_t global) { return rip({0x48, 0x8b, 0x0d}, global); }
  Assembler& mov_rcx_to_rbx() { return bytes({0x48, 0x89, 0xcb}); }
  Assembler& xor_ecx() { return bytes({0x31, 0xc9}); }
  Assembler& xor_ebx() { return bytes({0x31, 0xdb}); }
  Assembler& nop() { return bytes({0x90}); }
  Assembler& ret() { return bytes({0xc3}); }
  Assembler& call(uint32_t offset) { return rel32({0xe8}, offset); }
  Assembler& je(uint32_t offset) { return rel32({0x0f, 0x84}, offset); }
  Assembler& bytes(std::vector<uint8_t> b) {
    std::memcpy(&text_[pos_], b.data(), b.size());
    pos_ += static_cast<uint32_t>(b.size());
    return *this;
  }

 private:
  Assembler& rip(std::vector<uint8_t> opcode, uint64_t target) {
    bytes(opcode);
    return disp32(target - (pc() + 4));
  }
  Assembler& rel32(std::vector<uint8_t> opcode, uint32_t offset) {
    bytes(opcode);
    return disp32(kTextStart + offset - (pc() + 4));
  }
  Assembler& disp32(uint64_t value) {
    uint32_t v = static_cast<uint32_t>(value);
    std::memcpy(&text_[pos_], &v, 4);
    pos_ += 4;
    return *this;
  }
  std::vector<uint8_t>& text_;
  uint32_t pos_ = 0;
};

struct Program {
  std::vector<uint8_t> text = std::vector<uint8_t>(kTextSize, 0xcc);
  std::vector<uint8_t> pclntab;
  uint64_t f_first_call = 0, f_second_call = 0, h_call = 0, h_jump_target_call = 0;
};

// main.f: assigns to the global map (type in RAX, header copied from RCX to
// RBX), then reads it after an unrelated call; main.g and main.h call each
// other; main.h deletes from a map of another type, once straight, once at
// a jump target.
Program build_program() {
  Program p;
  Assembler a(p.text);
  a.at(kF).lea_rax(kMapType).mov_rcx(kGlobal).mov_rcx_to_rbx().xor_ecx();
  p.f_first_call = a.pc();
  a.call(kAssign).lea_rax(kMapType).mov_rbx(kGlobal).call(kG);
  p.f_second_call = a.pc();
  a.call(kAccess).mov_rcx(kOtherGlobal).call(kPutSlot).ret();
  a.at(kG).call(kH).ret();
  a.at(kH).lea_rax(kOtherMapType).mov_rbx(kOtherGlobal).nop();
  p.h_call = a.pc();
  a.call(kDelete).call(kG).lea_rax(kOtherMapType).mov_rbx(kOtherGlobal);
  p.h_jump_target_call = a.pc();
  a.call(kDelete).je(static_cast<uint32_t>(p.h_jump_target_call - kTextStart)).ret();
  for (uint32_t stub : {kAssign, kAccess, kDelete, kPutSlot}) a.at(stub).ret();
  a.at(kJunk).bytes({0x90, 0x06, 0x90});  // 06 is no 64-bit instruction

  PclntabBuilder b;
  b.files = {"/src/main.go"};
  auto line_table = [](uint32_t size) { return PclntabBuilder::pcvalue({{42, size}}); };
  auto file_table = [](uint32_t size) { return PclntabBuilder::pcvalue({{0, size}}); };
  auto add = [&](uint32_t entry, const char* name, uint32_t size) {
    b.funcs.push_back({entry, name, {}, file_table(size), line_table(size)});
  };
  add(kF, "main.f", kG - kF);
  add(kG, "main.g", kH - kG);
  add(kH, "main.h", kAssign - kH);
  add(kAssign, "runtime.mapassign_fast64", 0x10);
  add(kAccess, "runtime.mapaccess1_fast64", 0x10);
  add(kDelete, "runtime.mapdelete", 0x10);
  add(kPutSlot, "internal/runtime/maps.(*Map).PutSlot", 0x10);
  add(kJunk, "main.junk", kTextSize - kJunk);
  p.pclntab = b.build(0xfffffff1, 1, kTextStart, kTextSize);
  return p;
}

class CodeIndexTest : public ::testing::Test {
 protected:
  Program program = build_program();
  Pclntab table{program.pclntab, 0};
  CodeIndex index{amd64_architecture(), table, program.text, kTextStart};

  const MapCallSite& site_at(uint64_t pc) {
    const FunctionCode* f = index.function_containing(pc);
    EXPECT_TRUE(f);
    for (const MapCallSite& s : f->map_calls)
      if (s.pc == pc) return s;
    throw std::runtime_error("no map call at " + hex(pc));
  }
};

TEST_F(CodeIndexTest, FunctionsEndBeforeTheirPadding) {
  const FunctionCode* g = index.function(kTextStart + kG);
  ASSERT_TRUE(g);
  EXPECT_EQ(g->name, "main.g");
  EXPECT_EQ(g->end, kTextStart + kG + 6);  // call rel32, ret
  EXPECT_EQ(g->limit, kTextStart + kH);
  EXPECT_FALSE(g->undecodable_at);
  EXPECT_EQ(index.instruction_starts(kTextStart + kG),
            (std::vector<uint64_t>{kTextStart + kG, kTextStart + kG + 5}));
  // The padding still belongs to the function.
  EXPECT_EQ(index.function_containing(kTextStart + kH - 1), g);
  EXPECT_EQ(index.function_containing(kTextStart + kTextSize), nullptr);
  EXPECT_EQ(index.function_containing(kTextStart - 1), nullptr);
}

TEST_F(CodeIndexTest, ResolvesTheMapAndItsTypeAcrossARegisterCopy) {
  const MapCallSite& s = site_at(program.f_first_call);
  EXPECT_EQ(s.callee_name, "runtime.mapassign_fast64");
  EXPECT_EQ(s.access, MapAccess::Write);
  EXPECT_TRUE(s.entry_point);
  EXPECT_EQ(s.function, "main.f");
  EXPECT_EQ(s.file, "/src/main.go");
  EXPECT_EQ(s.line, 42);
  EXPECT_EQ(s.map_type.kind, ArgumentOrigin::Kind::Address);
  EXPECT_EQ(s.map_type.address, kMapType);
  EXPECT_EQ(s.map_type.set_at, kTextStart + kF);
  EXPECT_EQ(s.map.kind, ArgumentOrigin::Kind::Global);
  EXPECT_EQ(s.map.address, kGlobal);  // mov G(%rip),%rcx; mov %rcx,%rbx; xor %ecx,%ecx
}

TEST_F(CodeIndexTest, ACallInBetweenStopsTheScan) {
  const MapCallSite& s = site_at(program.f_second_call);
  EXPECT_EQ(s.callee_name, "runtime.mapaccess1_fast64");
  EXPECT_EQ(s.access, MapAccess::Read);
  EXPECT_EQ(s.map.kind, ArgumentOrigin::Kind::Unknown);
  EXPECT_NE(s.map.why.find("a call at"), std::string::npos) << s.map.why;
  EXPECT_EQ(s.map_type.kind, ArgumentOrigin::Kind::Unknown);
}

TEST_F(CodeIndexTest, AJumpTargetStopsTheScan) {
  EXPECT_EQ(site_at(program.h_call).map.kind, ArgumentOrigin::Kind::Global);
  const MapCallSite& s = site_at(program.h_jump_target_call);
  EXPECT_EQ(s.map.kind, ArgumentOrigin::Kind::Unknown);
  EXPECT_NE(s.map.why.find("a jump reaches"), std::string::npos) << s.map.why;
}

TEST_F(CodeIndexTest, MethodsOfInternalRuntimeMapsAreNotEntryPoints) {
  const FunctionCode* f = index.function(kTextStart + kF);
  ASSERT_TRUE(f);
  ASSERT_EQ(f->map_calls.size(), 3u);
  const MapCallSite& put = f->map_calls.back();
  EXPECT_EQ(put.callee_name, "internal/runtime/maps.(*Map).PutSlot");
  EXPECT_EQ(put.access, MapAccess::Write);
  EXPECT_FALSE(put.entry_point);
  EXPECT_EQ(put.map.kind, ArgumentOrigin::Kind::Unknown);
}

TEST_F(CodeIndexTest, FunctionsReferringToAGlobal) {
  auto names = [&](uint64_t address, uint64_t size) {
    std::vector<std::string> out;
    for (const FunctionCode* f : index.functions_referring_to(address, size))
      out.push_back(f->name);
    return out;
  };
  EXPECT_EQ(names(kGlobal, 8), (std::vector<std::string>{"main.f"}));
  EXPECT_EQ(names(kOtherGlobal, 8), (std::vector<std::string>{"main.f", "main.h"}));
  EXPECT_EQ(names(kGlobal + 8, 8), std::vector<std::string>{});
  EXPECT_EQ(names(kGlobal, 0x20), (std::vector<std::string>{"main.f", "main.h"}));
  EXPECT_EQ(names(~uint64_t{0} - 4, 8), std::vector<std::string>{});  // no wrap-around
}

TEST_F(CodeIndexTest, MapCallsOnAGlobal) {
  auto sites = index.map_calls_on_global(kGlobal);
  ASSERT_EQ(sites.size(), 1u);
  EXPECT_EQ(sites[0]->pc, program.f_first_call);
  EXPECT_EQ(index.map_calls_on_global(kOtherGlobal).size(), 1u);  // the jump target one is unknown
}

TEST_F(CodeIndexTest, CallGraphClosureIsBoundedByDepthAndCycleSafe) {
  uint64_t f = kTextStart + kF, g = kTextStart + kG, h = kTextStart + kH;
  EXPECT_TRUE(index.map_calls_of_type(f, kOtherMapType, 1).empty());  // f -> g only
  auto found = index.map_calls_of_type(f, kOtherMapType, 2);          // f -> g -> h
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].site->pc, program.h_call);
  EXPECT_EQ(found[0].chain, (std::vector<uint64_t>{f, g, h}));
  // g -> h -> g -> ... ends, and h is searched once.
  auto deep = index.map_calls_of_type(g, kOtherMapType, 1000);
  ASSERT_EQ(deep.size(), 1u);
  EXPECT_EQ(deep[0].chain, (std::vector<uint64_t>{g, h}));
  auto own = index.map_calls_of_type(f, kMapType, 0);
  ASSERT_EQ(own.size(), 1u);
  EXPECT_EQ(own[0].chain, (std::vector<uint64_t>{f}));
  EXPECT_TRUE(index.map_calls_of_type(kTextStart + 1, kMapType, 3).empty());  // not an entry
}

TEST_F(CodeIndexTest, CalleesAreFunctionEntries) {
  const FunctionCode* h = index.function(kTextStart + kH);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->callees, (std::vector<uint64_t>{kTextStart + kG, kTextStart + kDelete}));
}

TEST_F(CodeIndexTest, UndecodableBytesEndTheFunction) {
  const FunctionCode* junk = index.function(kTextStart + kJunk);
  ASSERT_TRUE(junk);
  ASSERT_TRUE(junk->undecodable_at);
  EXPECT_EQ(*junk->undecodable_at, kTextStart + kJunk + 1);
  EXPECT_EQ(junk->instructions, 1u);
}

TEST(CodeIndex, TextThatDoesNotCoverTheFunctionsIsSkipped) {
  Program p = build_program();
  Pclntab table(p.pclntab, 0);
  std::vector<uint8_t> short_text(p.text.begin(), p.text.begin() + kG + 3);  // cut inside main.g
  CodeIndex index(amd64_architecture(), table, short_text, kTextStart);
  const FunctionCode* g = index.function(kTextStart + kG);
  ASSERT_TRUE(g);
  EXPECT_EQ(g->undecodable_at, kTextStart + kG);  // its call is cut off
  const FunctionCode* h = index.function(kTextStart + kH);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->undecodable_at, kTextStart + kH);
  EXPECT_EQ(h->instructions, 0u);
  CodeIndex elsewhere(amd64_architecture(), table, p.text,
                      0x10000000);  // text somewhere else entirely
  EXPECT_TRUE(elsewhere.functions_referring_to(kGlobal, 8).empty());
}

TEST(RegisterOrigin, GivesUpAfterTheScanLimit) {
  std::vector<uint8_t> code = {0x48, 0x8b, 0x1d, 0, 0, 0, 0};  // mov 0(%rip),%rbx
  code.insert(code.end(), kMaxBackwardScan, 0x90);
  std::vector<Instruction> instructions;
  for (size_t pos = 0; pos < code.size();) {
    auto in = decode_x86(std::span(code).subspan(pos), kTextStart + pos);
    ASSERT_TRUE(in);
    instructions.push_back(*in);
    pos += in->length;
  }
  auto origin = register_origin(x86_64_instructions(), instructions, gpr(Gpr::Rbx), {});
  EXPECT_EQ(origin.kind, ArgumentOrigin::Kind::Unknown);
  EXPECT_NE(origin.why.find("not set within"), std::string::npos) << origin.why;
  instructions.erase(instructions.begin() + 1);  // one NOP less: in reach
  EXPECT_EQ(register_origin(x86_64_instructions(), instructions, gpr(Gpr::Rbx), {}).kind,
            ArgumentOrigin::Kind::Global);
  EXPECT_EQ(register_origin(x86_64_instructions(), {}, gpr(Gpr::Rbx), {}).kind,
            ArgumentOrigin::Kind::Unknown);
}

TEST(RegisterOrigin, AnotherWriteStopsTheScan) {
  // mov 0(%rip),%rbx; add $1,%rbx
  std::vector<uint8_t> code = {0x48, 0x8b, 0x1d, 0, 0, 0, 0, 0x48, 0x83, 0xc3, 0x01};
  auto load = decode_x86(code, kTextStart);
  auto add = decode_x86(std::span(code).subspan(7), kTextStart + 7);
  ASSERT_TRUE(load && add);
  std::vector<Instruction> instructions = {*load, *add};
  auto origin = register_origin(x86_64_instructions(), instructions, gpr(Gpr::Rbx), {});
  EXPECT_EQ(origin.kind, ArgumentOrigin::Kind::Unknown);
  EXPECT_EQ(origin.set_at, kTextStart + 7);
  EXPECT_EQ(register_origin(x86_64_instructions(), instructions, gpr(Gpr::Rax), {}).kind,
            ArgumentOrigin::Kind::Unknown);
}

// A type assertion before a map call (go1.26, registry["sessions"].(map[string]int)[k]++):
//   0  lea  T(%rip),%rbx      the asserted type
//   7  cmp  %rbx,%rdx
//  10  je   +2 (to 14)
//  12  jmp  -2 (to 12)        the panic path: nothing falls into 14
//  14  mov  %rbx,%rax         the map's type for the call
//  17  call ...
// The block at 14 has one way in, the je: the scan goes on from it to the LEA.
TEST(RegisterOrigin, GoesOnFromTheOnlyJumpIntoABlock) {
  std::vector<uint8_t> code = {0x48, 0x8d, 0x1d, 0x10, 0, 0, 0,  // lea 0x10(%rip),%rbx
                               0x48, 0x39, 0xda,                 // cmp %rbx,%rdx
                               0x74, 0x02,                       // je 14
                               0xeb, 0xfe,                       // jmp 12
                               0x48, 0x89, 0xd8,                 // mov %rbx,%rax
                               0xe8, 0,    0,    0,    0};       // call
  std::vector<Instruction> instructions;
  std::vector<Branch> branches;
  for (size_t pos = 0; pos < code.size();) {
    auto in = decode_x86(std::span(code).subspan(pos), kTextStart + pos);
    ASSERT_TRUE(in);
    if (in->flow == Flow::Jump || in->flow == Flow::ConditionalJump)
      branches.push_back({in->branch_target, instructions.size()});
    instructions.push_back(*in);
    pos += in->length;
  }
  std::sort(branches.begin(), branches.end());
  size_t call = instructions.size() - 1;
  auto origin = register_origin(x86_64_instructions(), instructions, call, gpr(Gpr::Rax), branches);
  EXPECT_EQ(origin.kind, ArgumentOrigin::Kind::Address) << origin.why;
  EXPECT_EQ(origin.address, kTextStart + 7 + 0x10);
  // With a second way in (the jmp at 12 retargeted to 14), nothing is known.
  branches.push_back({kTextStart + 14, 3});
  std::sort(branches.begin(), branches.end());
  EXPECT_EQ(
      register_origin(x86_64_instructions(), instructions, call, gpr(Gpr::Rax), branches).kind,
      ArgumentOrigin::Kind::Unknown);
}

}  // namespace
}  // namespace gomapdbg
