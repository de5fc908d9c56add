#include "arch/x86_decoder.h"

#include <array>
#include <cstring>
#include <initializer_list>
#include <utility>

namespace gomapdbg {

namespace {

// Operand bytes after the opcode, per opcode of a map.
enum Operands : uint8_t {
  kNone = 0,
  kModrm = 1,      // a ModRM byte (with SIB and displacement as it says)
  kIb = 2,         // imm8 / rel8
  kIw = 4,         // imm16 (RET n)
  kIz = 8,         // imm16 with a 66 prefix, else imm32
  kIv = 16,        // MOV r, imm: imm64 with REX.W
  kMoffs = 32,     // A0–A3: an 8-byte address (4 with 67)
  kRel32 = 64,     // CALL, JMP, Jcc rel32: Intel ignores 66 here (AMD and objdump: rel16)
  kInvalid = 128,  // #UD in 64-bit mode, or not an opcode
};

// The one-byte map. Prefixes and the escapes (0F, C4, C5, 62) never reach it.
constexpr std::array<uint8_t, 256> kOneByteMap = [] {
  std::array<uint8_t, 256> t{};
  for (int row = 0; row < 0x40; row += 8) {  // ADD OR ADC SBB AND SUB XOR CMP
    for (int i = 0; i < 4; ++i) t[row + i] = kModrm;
    t[row + 4] = kIb;
    t[row + 5] = kIz;
    t[row + 6] = t[row + 7] = kInvalid;  // PUSH/POP seg, DAA, ...: gone in 64-bit mode
  }
  t[0x60] = t[0x61] = t[0x82] = t[0x9a] = t[0xce] = t[0xd4] = t[0xd5] = t[0xd6] = t[0xea] =
      kInvalid;
  t[0x63] = kModrm;
  t[0x68] = kIz;
  t[0x69] = kModrm | kIz;
  t[0x6a] = kIb;
  t[0x6b] = kModrm | kIb;
  for (int op = 0x70; op <= 0x7f; ++op) t[op] = kIb;
  t[0x80] = t[0x83] = t[0xc0] = t[0xc1] = t[0xc6] = kModrm | kIb;
  t[0x81] = t[0xc7] = kModrm | kIz;
  for (int op = 0x84; op <= 0x8f; ++op) t[op] = kModrm;
  for (int op = 0xa0; op <= 0xa3; ++op) t[op] = kMoffs;
  t[0xa8] = kIb;
  t[0xa9] = kIz;
  for (int op = 0xb0; op <= 0xb7; ++op) t[op] = kIb;
  for (int op = 0xb8; op <= 0xbf; ++op) t[op] = kIv;
  t[0xc2] = t[0xca] = kIw;
  t[0xc8] = kIw | kIb;  // ENTER
  t[0xcd] = kIb;
  for (int op = 0xd0; op <= 0xd3; ++op) t[op] = kModrm;
  for (int op = 0xd8; op <= 0xdf; ++op) t[op] = kModrm;  // x87
  for (int op = 0xe0; op <= 0xe7; ++op) t[op] = kIb;
  t[0xe8] = t[0xe9] = kRel32;
  t[0xeb] = kIb;
  t[0xf6] = t[0xf7] = t[0xfe] = t[0xff] = kModrm;  // F6/F7 /0 and /1 add an immediate
  return t;
}();

// The 0F map (0F 38 and 0F 3A are escapes to their own maps).
constexpr std::array<uint8_t, 256> kTwoByteMap = [] {
  std::array<uint8_t, 256> t{};
  for (auto& op : t) op = kModrm;
  for (int op : {0x04, 0x0a, 0x0c, 0x24, 0x25, 0x26, 0x27, 0x36, 0x39, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f,
                 0x7a, 0x7b, 0xa6, 0xa7})
    t[op] = kInvalid;
  for (int op : {0x05, 0x06, 0x07, 0x08, 0x09, 0x0b, 0x0e, 0x30, 0x31, 0x32, 0x33,
                 0x34, 0x35, 0x37, 0x77, 0xa0, 0xa1, 0xa2, 0xa8, 0xa9, 0xaa})
    t[op] = kNone;
  for (int op = 0xc8; op <= 0xcf; ++op) t[op] = kNone;  // BSWAP
  for (int op = 0x80; op <= 0x8f; ++op) t[op] = kRel32;
  for (int op : {0x0f, 0x70, 0x71, 0x72, 0x73, 0xa4, 0xac, 0xba, 0xc2, 0xc4, 0xc5, 0xc6})
    t[op] = kModrm | kIb;
  return t;
}();

// The opcodes the 0F38 and 0F3A maps assign outside VEX/EVEX (SSSE3 to
// SSE4.2, AES, SHA, GFNI, CLMUL, MOVBE/CRC32, ADX, ...); the rest fault.
constexpr std::array<bool, 256> assigned(std::initializer_list<std::pair<int, int>> ranges) {
  std::array<bool, 256> t{};
  for (auto [from, to] : ranges)
    for (int op = from; op <= to; ++op) t[op] = true;
  return t;
}
constexpr std::array<bool, 256> kMap0F38 = assigned({{0x00, 0x0b},
                                                     {0x10, 0x10},
                                                     {0x14, 0x15},
                                                     {0x17, 0x17},
                                                     {0x1c, 0x1e},
                                                     {0x20, 0x25},
                                                     {0x28, 0x2b},
                                                     {0x30, 0x35},
                                                     {0x37, 0x41},
                                                     {0x80, 0x82},
                                                     {0xc8, 0xcd},
                                                     {0xcf, 0xcf},
                                                     {0xd8, 0xd8},
                                                     {0xdb, 0xdf},
                                                     {0xf0, 0xf1},
                                                     {0xf5, 0xf6},
                                                     {0xf8, 0xfc}});
constexpr std::array<bool, 256> kMap0F3A = assigned({{0x08, 0x0f},
                                                     {0x14, 0x17},
                                                     {0x20, 0x22},
                                                     {0x40, 0x42},
                                                     {0x44, 0x44},
                                                     {0x60, 0x63},
                                                     {0xcc, 0xcc},
                                                     {0xce, 0xcf},
                                                     {0xdf, 0xdf},
                                                     {0xf0, 0xf0}});

constexpr bool is_legacy_prefix(uint8_t b) {
  switch (b) {
    case 0xf0:
    case 0xf2:
    case 0xf3:
    case 0x2e:
    case 0x36:
    case 0x3e:
    case 0x26:
    case 0x64:
    case 0x65:
    case 0x66:
    case 0x67:
      return true;
    default:
      return false;
  }
}

// Bounds-checked reading of the instruction's bytes.
class ByteReader {
 public:
  explicit ByteReader(std::span<const uint8_t> bytes) : bytes_(bytes) {}
  bool ok() const { return ok_; }
  size_t position() const { return pos_; }
  uint8_t peek() {
    if (pos_ >= bytes_.size()) ok_ = false;
    return ok_ ? bytes_[pos_] : 0;
  }
  uint8_t u8() {
    uint8_t b = peek();
    if (ok_) ++pos_;
    return b;
  }
  // A little-endian immediate of `size` bytes (1, 2, 4 or 8), sign-extended.
  int64_t signed_value(size_t size) {
    if (!ok_ || bytes_.size() - pos_ < size) {
      ok_ = false;
      return 0;
    }
    uint64_t v = 0;
    std::memcpy(&v, &bytes_[pos_], size);
    pos_ += size;
    if (size < 8) {
      uint64_t sign = uint64_t{1} << (size * 8 - 1);
      v = (v ^ sign) - sign;
    }
    return static_cast<int64_t>(v);
  }

 private:
  std::span<const uint8_t> bytes_;
  size_t pos_ = 0;
  bool ok_ = true;
};

struct Prefixes {
  bool operand16 = false;  // 66
  bool address32 = false;  // 67
  bool rep = false;        // F3
  bool repne = false;      // F2
  bool lock = false;       // F0
  bool fs_gs = false;      // 64/65: a thread-local operand, not a global
  uint8_t rex = 0;         // 0x40–0x4F when the byte before the opcode is a REX
  bool w() const { return rex & 8; }
  bool r() const { return rex & 4; }
  bool b() const { return rex & 1; }
};

// 0F opcodes that exist only with a mandatory prefix (66, F2 or F3).
bool needs_prefix(uint8_t op, const Prefixes& p) {
  switch (op) {
    case 0x7c:
    case 0x7d:
    case 0xd0:  // HADDPx/HSUBPx, ADDSUBPx: 66 or F2
      return !p.operand16 && !p.repne;
    case 0xd6:
    case 0xe6:  // MOVQ/MOVQ2DQ/MOVDQ2Q, CVT*PD/DQ
      return !p.operand16 && !p.repne && !p.rep;
    case 0xb8:  // POPCNT (without F3 it is JMPE, not in 64-bit mode)
      return !p.rep;
    case 0xf0:  // LDDQU
      return !p.repne;
    default:
      return false;
  }
}

struct ModRm {
  bool present = false;
  uint8_t mod = 3, reg = 0, rm = 0;
  bool rip = false;  // [rip + disp32]
  int64_t disp = 0;
  bool registers() const { return mod == 3; }
};

// Everything the effects of one instruction depend on.
struct Fields {
  Prefixes prefix;
  int map = 0;  // 0: one-byte, 1: 0F, 2: 0F38, 3: 0F3A; VEX/EVEX maps as encoded
  bool vex = false, evex = false;
  uint8_t op = 0;
  ModRm modrm;
  int64_t imm = 0;
  uint8_t modrm_byte() const {
    return static_cast<uint8_t>(modrm.mod << 6 | modrm.reg << 3 | modrm.rm);
  }
};

Prefixes read_prefixes(ByteReader& in) {
  Prefixes p;
  while (in.ok()) {
    uint8_t b = in.peek();
    if (is_legacy_prefix(b)) {
      p.rex = 0;  // a REX not right before the opcode is ignored
      p.operand16 |= b == 0x66;
      p.address32 |= b == 0x67;
      p.rep |= b == 0xf3;
      p.repne |= b == 0xf2;
      p.lock |= b == 0xf0;
      p.fs_gs |= b == 0x64 || b == 0x65;
    } else if ((b & 0xf0) == 0x40) {
      p.rex = b;
    } else {
      break;
    }
    in.u8();
  }
  return p;
}

// ModRM, SIB and displacement. `force_registers`: MOV to/from control and
// debug registers reads mod as 11 whatever it holds.
ModRm read_modrm(ByteReader& in, bool force_registers) {
  ModRm m;
  m.present = true;
  uint8_t byte = in.u8();
  m.mod = byte >> 6;
  m.reg = (byte >> 3) & 7;
  m.rm = byte & 7;
  if (force_registers) m.mod = 3;
  if (m.mod == 3) return m;
  if (m.rm == 4) {
    uint8_t sib = in.u8();
    if (m.mod == 0 && (sib & 7) == 5) m.disp = in.signed_value(4);
  } else if (m.mod == 0 && m.rm == 5) {
    m.rip = true;
    m.disp = in.signed_value(4);
  }
  if (m.mod == 1) m.disp = in.signed_value(1);
  if (m.mod == 2) m.disp = in.signed_value(4);
  return m;
}

// Bytes of immediate an opcode of the one-byte or 0F map takes.
size_t immediate_size(uint8_t operands, const Fields& f) {
  bool operand16 = f.prefix.operand16 && !f.prefix.w();
  size_t size = 0;
  if (operands & kIb) size += 1;
  if (operands & kIw) size += 2;
  if (operands & kIz) size += operand16 ? 2 : 4;
  if (operands & kIv) size += f.prefix.w() ? 8 : operand16 ? 2 : 4;
  if (operands & kMoffs) size += f.prefix.address32 ? 4 : 8;
  if (operands & kRel32) size += 4;
  return size;
}

// Immediates whose size depends on the ModRM byte.
size_t extra_immediate(const Fields& f) {
  bool operand16 = f.prefix.operand16 && !f.prefix.w();
  if (f.map == 0 && f.op == 0xf6 && f.modrm.reg <= 1) return 1;  // TEST r/m8, imm8
  if (f.map == 0 && f.op == 0xf7 && f.modrm.reg <= 1) return operand16 ? 2 : 4;
  // SSE4a EXTRQ/INSERTQ (66 / F2 0F 78) take two imm8.
  if (f.map == 1 && f.op == 0x78 && (f.prefix.operand16 || f.prefix.repne)) return 2;
  return 0;
}

// Encodings the tables accept that the group's ModRM.reg makes invalid.
bool invalid_group(const Fields& f) {
  if (f.map != 0) return false;
  const ModRm& m = f.modrm;
  switch (f.op) {
    case 0x8d:  // LEA needs a memory operand
      return m.registers();
    case 0x8f:  // POP r/m is /0; other values are AMD XOP
      return m.reg != 0;
    case 0xc6:
    case 0xc7:  // MOV /0; XABORT/XBEGIN are C6 F8 / C7 F8
      return !(m.reg == 0 || f.modrm_byte() == 0xf8);
    case 0xfe:
      return m.reg > 1;
    case 0xff:
      return m.reg == 7 || ((m.reg == 3 || m.reg == 5) && m.registers());
    default:
      return false;
  }
}

// VEX map 0F: which implied prefixes (VEX.pp) each opcode exists with, as
// bits 1 << pp (none, 66, F3, F2); 0 means #UD (Intel SDM vol. 2, A.3).
// Data that a linear sweep reads as code hits these.
constexpr uint8_t kPpNone = 1, kPp66 = 2, kPpF3 = 4, kPpF2 = 8, kPpAll = 15;
constexpr std::array<uint8_t, 256> kVexMap1Prefixes = [] {
  std::array<uint8_t, 256> t{};
  auto set = [&t](int from, int to, uint8_t pp) {
    for (int op = from; op <= to; ++op) t[op] = pp;
  };
  set(0x10, 0x11, kPpAll);
  set(0x12, 0x12, kPpAll);
  set(0x13, 0x15, kPpNone | kPp66);
  set(0x16, 0x16, kPpNone | kPp66 | kPpF3);
  set(0x17, 0x17, kPpNone | kPp66);
  set(0x28, 0x29, kPpNone | kPp66);
  set(0x2a, 0x2a, kPpF3 | kPpF2);
  set(0x2b, 0x2b, kPpNone | kPp66);
  set(0x2c, 0x2d, kPpF3 | kPpF2);
  set(0x2e, 0x2f, kPpNone | kPp66);
  set(0x41, 0x47, kPpNone | kPp66);  // mask register logic (AVX-512 kand...)
  set(0x4a, 0x4b, kPpNone | kPp66);
  set(0x50, 0x50, kPpNone | kPp66);
  set(0x51, 0x51, kPpAll);
  set(0x52, 0x53, kPpNone | kPpF3);
  set(0x54, 0x57, kPpNone | kPp66);
  set(0x58, 0x5a, kPpAll);
  set(0x5b, 0x5b, kPpNone | kPp66 | kPpF3);
  set(0x5c, 0x5f, kPpAll);
  set(0x60, 0x6e, kPp66);
  set(0x6f, 0x6f, kPp66 | kPpF3);
  set(0x70, 0x70, kPp66 | kPpF3 | kPpF2);
  set(0x71, 0x76, kPp66);
  set(0x77, 0x77, kPpNone);
  set(0x7c, 0x7d, kPp66 | kPpF2);
  set(0x7e, 0x7f, kPp66 | kPpF3);
  set(0x90, 0x91, kPpNone | kPp66);
  set(0x92, 0x93, kPpNone | kPp66 | kPpF2);
  set(0x98, 0x99, kPpNone | kPp66);
  set(0xae, 0xae, kPpNone);
  set(0xc2, 0xc2, kPpAll);
  set(0xc4, 0xc5, kPp66);
  set(0xc6, 0xc6, kPpNone | kPp66);
  set(0xd0, 0xd0, kPp66 | kPpF2);
  set(0xd1, 0xe5, kPp66);
  set(0xe6, 0xe6, kPp66 | kPpF3 | kPpF2);
  set(0xe7, 0xef, kPp66);
  set(0xf0, 0xf0, kPpF2);
  set(0xf1, 0xfe, kPp66);
  return t;
}();

// Whether a VEX instruction exists with this map, opcode and VEX.pp. Maps
// 0F38 and 0F3A are all 66-prefixed but for the integer (BMI, RORX) and
// newer ranges (AMX, VNNI, NE-CONVERT, SHA512, SM3/SM4), taken as valid.
bool vex_exists(int map, uint8_t op, unsigned pp) {
  if (map == 1) return kVexMap1Prefixes[op] & (1u << pp);
  if (pp == 1 || op >= 0xf0) return true;
  if (map == 2)
    return (op >= 0x49 && op <= 0x5e) || op == 0x72 || op == 0xb0 || op == 0xb1 ||
           (op >= 0xcb && op <= 0xcd) || op == 0xda;
  return op == 0xde;
}

// The VEX and EVEX forms that take an imm8 (besides all of map 0F3A).
bool vex_takes_imm8(int map, uint8_t op) {
  if (map == 3) return true;
  return map == 1 && ((op >= 0x70 && op <= 0x73) || op == 0xc2 || (op >= 0xc4 && op <= 0xc6));
}

// Reads a VEX (C4/C5) or EVEX (62) prefix and the instruction after it.
bool read_vector(ByteReader& in, uint8_t escape, Fields& f) {
  const Prefixes& p = f.prefix;
  // REX, 66, F2, F3 and LOCK before a VEX/EVEX prefix fault.
  if (p.rex || p.operand16 || p.rep || p.repne || p.lock) return false;
  unsigned pp = 0;
  if (escape == 0xc5) {
    pp = in.u8() & 3;
    f.map = 1;
    f.vex = true;
  } else if (escape == 0xc4) {
    f.map = in.u8() & 0x1f;
    pp = in.u8() & 3;
    f.vex = true;
    if (f.map < 1 || f.map > 3) return false;
  } else {
    uint8_t p0 = in.u8(), p1 = in.u8();
    in.u8();
    f.map = p0 & 0x0f;
    f.evex = true;
    // AVX-512 maps 0F, 0F38, 0F3A and the FP16 maps 5 and 6; P1 bit 2 is fixed at 1.
    if (!(f.map >= 1 && f.map <= 3) && f.map != 5 && f.map != 6) return false;
    if (!(p1 & 0x04)) return false;
  }
  f.op = in.u8();
  if (f.vex && !vex_exists(f.map, f.op, pp)) return false;
  if (!(f.vex && f.map == 1 && f.op == 0x77))  // VZEROUPPER/VZEROALL have no ModRM
    f.modrm = read_modrm(in, false);
  if (vex_takes_imm8(f.map, f.op)) f.imm = in.signed_value(1);
  return in.ok();
}

// Reads the opcode and operands of a legacy (non-VEX) instruction.
bool read_legacy(ByteReader& in, uint8_t first, Fields& f) {
  uint8_t operands = 0;
  f.op = first;
  if (first == 0x0f) {
    uint8_t second = in.u8();
    if (second == 0x38 || second == 0x3a) {
      f.map = second == 0x38 ? 2 : 3;
      f.op = in.u8();
      operands = second == 0x38 ? kModrm : kModrm | kIb;
      if (!(second == 0x38 ? kMap0F38 : kMap0F3A)[f.op]) operands = kInvalid;
    } else {
      f.map = 1;
      f.op = second;
      operands = needs_prefix(second, f.prefix) ? uint8_t{kInvalid} : kTwoByteMap[second];
    }
  } else {
    operands = kOneByteMap[first];
  }
  if (!in.ok() || (operands & kInvalid)) return false;
  bool control_registers = f.map == 1 && f.op >= 0x20 && f.op <= 0x23;
  if (operands & kModrm) f.modrm = read_modrm(in, control_registers);
  if (!in.ok() || invalid_group(f)) return false;
  size_t size = immediate_size(operands, f);
  if (size) f.imm = in.signed_value(size);  // ENTER's iw+ib reads as one 3-byte value
  size_t extra = extra_immediate(f);
  if (extra) f.imm = in.signed_value(extra);
  return in.ok();
}

// Register numbers of the ModRM fields and of an opcode's low bits.
unsigned reg_of(const Fields& f) { return f.modrm.reg | (f.prefix.r() ? 8 : 0); }
unsigned rm_of(const Fields& f) { return f.modrm.rm | (f.prefix.b() ? 8 : 0); }
unsigned opcode_reg(const Fields& f) { return (f.op & 7) | (f.prefix.b() ? 8 : 0); }

// Without a REX prefix, byte registers 4–7 are AH, CH, DH, BH.
unsigned byte_reg(unsigned n, const Fields& f) {
  return (!f.prefix.rex && n >= 4 && n <= 7) ? n - 4 : n;
}

class Effects {
 public:
  Effects(const Fields& f, Instruction& out) : f_(f), out_(out) {}
  void write(unsigned n) { out_.writes |= register_bit(static_cast<RegisterNumber>(n & 15)); }
  void write(Gpr r) { write(static_cast<unsigned>(r)); }
  void reg() { write(reg_of(f_)); }
  void reg8() { write(byte_reg(reg_of(f_), f_)); }
  // A destination that is a register only in the register form (mod=11).
  void rm() {
    if (f_.modrm.registers()) write(rm_of(f_));
  }
  void rm8() {
    if (f_.modrm.registers()) write(byte_reg(rm_of(f_), f_));
  }
  void any() { out_.writes_any = true; }
  void flow(Flow flow) { out_.flow = flow; }
  void branch(Flow flow) {
    out_.flow = flow;
    out_.branch_target = out_.next() + static_cast<uint64_t>(f_.imm);
  }
  void transfer(Transfer t, unsigned dest, unsigned source = 0) {
    out_.transfer = t;
    out_.dest = static_cast<RegisterNumber>(dest & 15);
    out_.source = static_cast<RegisterNumber>(source & 15);
  }

 private:
  const Fields& f_;
  Instruction& out_;
};

// ADD OR ADC SBB AND SUB XOR CMP in their six forms (00–3D).
void alu_effects(const Fields& f, Effects& e) {
  bool compare = (f.op >> 3) == 7;
  if (compare) return;
  switch (f.op & 7) {
    case 0:
      return e.rm8();
    case 1:
      return e.rm();
    case 2:
      return e.reg8();
    case 3:
      return e.reg();
    default:
      return e.write(Gpr::Rax);
  }
}

void mov_effects(const Fields& f, const Instruction& out, Effects& e) {
  bool wide = f.prefix.w();
  if (f.op == 0x89) {
    e.rm();
    if (wide && f.modrm.registers()) e.transfer(Transfer::Copy, rm_of(f), reg_of(f));
  } else if (f.op == 0x8b) {
    e.reg();
    if (wide && f.modrm.registers()) e.transfer(Transfer::Copy, reg_of(f), rm_of(f));
    if (wide && out.pc_target && !f.prefix.fs_gs) e.transfer(Transfer::LoadGlobal, reg_of(f));
  } else if (f.op == 0x8d) {
    e.reg();
    if (wide && out.pc_target) e.transfer(Transfer::Address, reg_of(f));
  }
}

// Groups 3 (TEST NOT NEG MUL DIV) and 4/5 (INC DEC CALL JMP PUSH).
void group_effects(const Fields& f, Effects& e) {
  uint8_t reg = f.modrm.reg;
  bool byte = f.op == 0xf6 || f.op == 0xfe;
  if (f.op == 0xf6 || f.op == 0xf7) {
    if (reg == 2 || reg == 3) return byte ? e.rm8() : e.rm();
    if (reg >= 4) {
      e.write(Gpr::Rax);
      if (!byte) e.write(Gpr::Rdx);
    }
    return;
  }
  if (reg <= 1) return byte ? e.rm8() : e.rm();  // INC, DEC
  switch (reg) {
    case 2:
    case 3:
      e.any();
      return e.flow(Flow::IndirectCall);
    case 4:
    case 5:
      return e.flow(Flow::IndirectJump);
    default:
      return e.write(Gpr::Rsp);  // PUSH r/m
  }
}

void one_byte_effects(const Fields& f, const Instruction& out, Effects& e) {
  uint8_t op = f.op;
  if (op < 0x40) return alu_effects(f, e);
  if (op >= 0x50 && op <= 0x57) return e.write(Gpr::Rsp);
  if (op >= 0x58 && op <= 0x5f) {
    e.write(Gpr::Rsp);
    return e.write(opcode_reg(f));
  }
  if (op >= 0x70 && op <= 0x7f) return e.branch(Flow::ConditionalJump);
  if (op >= 0x91 && op <= 0x97) {
    e.write(Gpr::Rax);
    return e.write(opcode_reg(f));
  }
  if (op >= 0xb0 && op <= 0xb7) return e.write(byte_reg(opcode_reg(f), f));
  if (op >= 0xb8 && op <= 0xbf) return e.write(opcode_reg(f));
  if (op >= 0xd8 && op <= 0xdf) {  // x87: only FNSTSW AX writes an integer register
    if (op == 0xdf && f.modrm_byte() == 0xe0) e.write(Gpr::Rax);
    return;
  }
  switch (op) {
    case 0x63:
    case 0x69:
    case 0x6b:
    case 0x8a:
      return op == 0x8a ? e.reg8() : e.reg();
    case 0x68:
    case 0x6a:
    case 0x9c:
    case 0x9d:
      return e.write(Gpr::Rsp);
    case 0x6c:
    case 0x6d:
    case 0x6e:
    case 0x6f:  // INS/OUTS
    case 0xa4:
    case 0xa5:
    case 0xa6:
    case 0xa7:  // MOVS/CMPS
      e.write(Gpr::Rsi);
      e.write(Gpr::Rdi);
      return e.write(Gpr::Rcx);
    case 0xaa:
    case 0xab:
    case 0xae:
    case 0xaf:  // STOS/SCAS
      e.write(Gpr::Rdi);
      return e.write(Gpr::Rcx);
    case 0xac:
    case 0xad:  // LODS
      e.write(Gpr::Rax);
      e.write(Gpr::Rsi);
      return e.write(Gpr::Rcx);
    case 0x80:
    case 0x81:
    case 0x83:
      if (f.modrm.reg == 7) return;  // CMP
      return op == 0x80 ? e.rm8() : e.rm();
    case 0x86:
      e.reg8();
      return e.rm8();
    case 0x87:
      e.reg();
      return e.rm();
    case 0x88:
    case 0x8c:
      return op == 0x88 ? e.rm8() : e.rm();
    case 0x89:
    case 0x8b:
    case 0x8d:
      return mov_effects(f, out, e);
    case 0x8f:
      e.write(Gpr::Rsp);
      return e.rm();
    case 0x90:
      if (f.prefix.b()) {  // 41 90 is XCHG R8, RAX
        e.write(Gpr::Rax);
        e.write(Gpr::R8);
      }
      return;
    case 0x98:
    case 0x9f:
    case 0xa0:
    case 0xa1:
    case 0xd7:
    case 0xe4:
    case 0xe5:
    case 0xec:
    case 0xed:
      return e.write(Gpr::Rax);
    case 0x99:
      return e.write(Gpr::Rdx);
    case 0xc0:
    case 0xc1:
    case 0xd0:
    case 0xd1:
    case 0xd2:
    case 0xd3:
      return (op == 0xc0 || op == 0xd0 || op == 0xd2) ? e.rm8() : e.rm();
    case 0xc2:
    case 0xc3:
    case 0xca:
    case 0xcb:
    case 0xcf:
      e.write(Gpr::Rsp);
      return e.flow(Flow::Return);
    case 0xc6:
      return f.modrm.reg == 7 ? e.write(Gpr::Rax) : e.rm8();
    case 0xc7:
      if (f.modrm.reg != 7) return e.rm();
      e.write(Gpr::Rax);  // XBEGIN: RAX holds the abort status at the fallback
      return e.branch(Flow::ConditionalJump);
    case 0xc8:
    case 0xc9:
      e.write(Gpr::Rsp);
      return e.write(Gpr::Rbp);
    case 0xcc:
    case 0xf1:
    case 0xf4:
      return e.flow(Flow::Trap);
    case 0xcd:
      return e.any();
    case 0xe0:
    case 0xe1:
    case 0xe2:
      e.write(Gpr::Rcx);
      return e.branch(Flow::ConditionalJump);
    case 0xe3:
      return e.branch(Flow::ConditionalJump);
    case 0xe8:
      e.any();
      return e.branch(Flow::Call);
    case 0xe9:
    case 0xeb:
      return e.branch(Flow::Jump);
    case 0xf6:
    case 0xf7:
    case 0xfe:
    case 0xff:
      return group_effects(f, e);
    default:
      return;  // CMP, TEST, stores to memory, flag and string-free control ops
  }
}

// 0F map: integer instructions by opcode; SSE instructions write only XMM
// registers or memory except the few listed as writing a general register.
void two_byte_effects(const Fields& f, Effects& e) {
  uint8_t op = f.op;
  const ModRm& m = f.modrm;
  if (op >= 0x40 && op <= 0x4f) return e.reg();  // CMOVcc
  if (op >= 0x80 && op <= 0x8f) return e.branch(Flow::ConditionalJump);
  if (op >= 0x90 && op <= 0x9f) return e.rm8();  // SETcc
  if (op >= 0xc8) {
    if (op <= 0xcf) return e.write(opcode_reg(f));  // BSWAP
    if (op == 0xd7) return e.reg();                 // PMOVMSKB
    if (op == 0xff) return e.flow(Flow::Trap);      // UD0
    return;
  }
  switch (op) {
    case 0x00:
    case 0x01:
    case 0x02:
    case 0x03:
    case 0x07:
    case 0x34:
    case 0x35:
    case 0x37:
    case 0xaa:
      if (op == 0x01 && f.modrm_byte() == 0xd0) {  // XGETBV
        e.write(Gpr::Rax);
        return e.write(Gpr::Rdx);
      }
      return e.any();  // system instructions
    case 0x05:         // SYSCALL
      e.write(Gpr::Rax);
      e.write(Gpr::Rcx);
      return e.write(Gpr::R11);
    case 0x0b:
    case 0xb9:
      return e.flow(Flow::Trap);
    case 0x1e:  // F3 0F 1E /1 with mod=11 is RDSSP r; FA/FB are ENDBR
      if (f.prefix.rep && m.registers() && m.reg == 1) e.rm();
      return;
    case 0x20:
    case 0x21:
      return e.rm();
    case 0x2c:
    case 0x2d:
    case 0x50:
    case 0xc5:
      return e.reg();  // CVT(T)SS2SI, MOVMSKPS, PEXTRW
    case 0x78:         // VMREAD r/m, r; with 66/F2 it is SSE4a EXTRQ/INSERTQ on XMM
      if (!f.prefix.operand16 && !f.prefix.repne) e.rm();
      return;
    case 0x7e:  // MOVD/MOVQ r/m, xmm; F3 0F 7E is MOVQ xmm, xmm/m64
      if (!f.prefix.rep) e.rm();
      return;
    case 0x31:
    case 0x32:
    case 0x33:  // RDTSC, RDMSR, RDPMC
      e.write(Gpr::Rax);
      return e.write(Gpr::Rdx);
    case 0xa0:
    case 0xa1:
    case 0xa8:
    case 0xa9:
      return e.write(Gpr::Rsp);
    case 0xa2:  // CPUID
      for (Gpr r : {Gpr::Rax, Gpr::Rbx, Gpr::Rcx, Gpr::Rdx}) e.write(r);
      return;
    case 0xa4:
    case 0xa5:
    case 0xab:
    case 0xac:
    case 0xad:
    case 0xb3:
    case 0xbb:
      return e.rm();  // SHLD, SHRD, BTS, BTR, BTC
    case 0xae:        // F3 0F AE /0–/3 mod=11: RDFSBASE, RDGSBASE, WRFSBASE, WRGSBASE
      if (f.prefix.rep && m.registers() && m.reg <= 1) e.rm();
      return;
    case 0xaf:
    case 0xb2:
    case 0xb4:
    case 0xb5:
    case 0xb6:
    case 0xb7:
    case 0xb8:
    case 0xbc:
    case 0xbd:
    case 0xbe:
    case 0xbf:
      return e.reg();  // IMUL, LSS, MOVZX, POPCNT, BSF/TZCNT, BSR/LZCNT, MOVSX
    case 0xb0:
    case 0xb1:
      e.write(Gpr::Rax);
      return op == 0xb0 ? e.rm8() : e.rm();
    case 0xba:
      if (m.reg >= 5) e.rm();  // BTS/BTR/BTC; /4 is BT
      return;
    case 0xc0:
      e.reg8();
      return e.rm8();
    case 0xc1:
      e.reg();
      return e.rm();
    case 0xc7:
      if (m.reg == 1) {  // CMPXCHG8B/16B
        e.write(Gpr::Rax);
        return e.write(Gpr::Rdx);
      }
      return e.rm();  // RDRAND, RDSEED, RDPID
    default:
      return;
  }
}

// 0F38 and 0F3A: SIMD with XMM or memory destinations, except the integer
// helpers at 0F38 F0–FF (MOVBE, CRC32, ADCX/ADOX, ...) and the extracts
// and string compares of 0F3A.
void three_byte_effects(const Fields& f, Effects& e) {
  if (f.map == 2 && f.op >= 0xf0) return e.any();
  if (f.map == 3 && f.op >= 0x14 && f.op <= 0x17) return e.rm();  // PEXTRB/W/D/Q, EXTRACTPS
  if (f.map == 3 && f.op >= 0x60 && f.op <= 0x63) return e.write(Gpr::Rcx);
}

// VEX and EVEX: vector destinations, except these that write an integer
// register (moves and extracts to r32/r64, mask moves, BMI1/BMI2).
void vector_effects(const Fields& f, Effects& e) {
  uint8_t op = f.op;
  switch (f.map) {
    case 1:
      if (op == 0x2c || op == 0x2d || op == 0x50 || op == 0x7e || op == 0xc5 || op == 0xd7 ||
          (op >= 0x90 && op <= 0x93))
        e.any();
      return;
    case 2:
      if (op >= 0xf0) e.any();
      return;
    case 3:
      if ((op >= 0x14 && op <= 0x17) || (op >= 0x60 && op <= 0x63) || op >= 0xf0) e.any();
      return;
    default:  // FP16 maps 5 and 6
      if (op == 0x2c || op == 0x2d || op == 0x7e) e.any();
      return;
  }
}

}  // namespace

const char* gpr_name(Gpr r) {
  static constexpr std::array<const char*, 16> kNames = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp",
                                                         "rsi", "rdi", "r8",  "r9",  "r10", "r11",
                                                         "r12", "r13", "r14", "r15"};
  return kNames[static_cast<unsigned>(r) & 15];
}

std::optional<Instruction> decode_x86(std::span<const uint8_t> bytes, uint64_t address) {
  ByteReader in(bytes.first(std::min(bytes.size(), kMaxInstructionLength)));
  Fields f;
  f.prefix = read_prefixes(in);
  uint8_t first = in.u8();
  if (!in.ok()) return std::nullopt;
  bool vector = first == 0xc4 || first == 0xc5 || first == 0x62;
  if (!(vector ? read_vector(in, first, f) : read_legacy(in, first, f))) return std::nullopt;

  Instruction out;
  out.address = address;
  out.length = static_cast<uint8_t>(in.position());
  if (f.modrm.present && f.modrm.rip) {
    uint64_t target = out.next() + static_cast<uint64_t>(f.modrm.disp);
    out.pc_target = f.prefix.address32 ? target & 0xffffffff : target;
  }
  Effects effects(f, out);
  if (f.vex || f.evex)
    vector_effects(f, effects);
  else if (f.map == 0)
    one_byte_effects(f, out, effects);
  else if (f.map == 1)
    two_byte_effects(f, effects);
  else
    three_byte_effects(f, effects);
  return out;
}

}  // namespace gomapdbg
