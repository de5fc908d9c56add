#include "arch/arm64_decoder.h"

#include <cstring>

namespace gomapdbg {

namespace {

// Bits hi..lo of `w`.
constexpr uint32_t bits(uint32_t w, unsigned hi, unsigned lo) {
  return (w >> lo) & ((uint32_t{1} << (hi - lo + 1)) - 1);
}
constexpr bool bit(uint32_t w, unsigned n) { return (w >> n) & 1; }
// `value` as a signed `width`-bit number.
constexpr int64_t sign_extend(uint64_t value, unsigned width) {
  return static_cast<int64_t>(value << (64 - width)) >> (64 - width);
}

constexpr uint32_t kXzrOrSp = 31;

class Effects {
 public:
  Effects(uint32_t w, Instruction& out) : w_(w), out_(out) {}

  uint32_t rd() const { return bits(w_, 4, 0); }
  uint32_t rn() const { return bits(w_, 9, 5); }
  uint32_t rt2() const { return bits(w_, 14, 10); }
  uint32_t rs() const { return bits(w_, 20, 16); }

  // A register operand where 31 is XZR: writing it writes nothing.
  void write(uint32_t r) {
    if (r != kXzrOrSp) out_.writes |= register_bit(static_cast<RegisterNumber>(r));
  }
  // A register operand where 31 is SP.
  void write_or_sp(uint32_t r) { out_.writes |= register_bit(static_cast<RegisterNumber>(r)); }
  void any() { out_.writes_any = true; }
  void flow(Flow f) { out_.flow = f; }
  // A branch `words` instructions away from this one.
  void branch(Flow f, int64_t words) {
    out_.flow = f;
    out_.branch_target = out_.address + static_cast<uint64_t>(words * 4);
  }
  void transfer(Transfer t, uint32_t dest, uint32_t source = 0) {
    out_.transfer = t;
    out_.dest = static_cast<RegisterNumber>(dest);
    out_.source = static_cast<RegisterNumber>(source);
  }
  // An immediate offset from `base` that an ADRP before it may complete.
  void pairable(uint32_t base, uint64_t offset, Transfer when_paired, uint32_t dest) {
    out_.base = static_cast<RegisterNumber>(base);
    out_.offset = offset;
    out_.when_paired = when_paired;
    out_.dest = static_cast<RegisterNumber>(dest);
  }
  Instruction& out() { return out_; }

 private:
  uint32_t w_;
  Instruction& out_;
};

// C4.1.86 Data Processing -- Immediate.
void data_processing_immediate(uint32_t w, Effects& e) {
  uint32_t rd = e.rd();
  switch (bits(w, 25, 23)) {
    case 0b000:
    case 0b001: {  // ADR, ADRP
      int64_t imm = sign_extend((bits(w, 23, 5) << 2) | bits(w, 30, 29), 21);
      e.write(rd);
      if (rd == kXzrOrSp) return;
      Instruction& out = e.out();
      if (bit(w, 31)) {
        out.page = (out.address & ~uint64_t{0xfff}) + static_cast<uint64_t>(imm * 4096);
        out.dest = static_cast<RegisterNumber>(rd);
      } else {
        out.pc_target = out.address + static_cast<uint64_t>(imm);
        e.transfer(Transfer::Address, rd);
      }
      return;
    }
    case 0b010: {  // ADD/SUB (immediate): Rd is SP unless flags are set
      bool sets_flags = bit(w, 29);
      sets_flags ? e.write(rd) : e.write_or_sp(rd);
      bool add64 = bit(w, 31) && !bit(w, 30) && !sets_flags;
      uint32_t imm12 = bits(w, 21, 10);
      if (add64 && imm12 == 0) e.transfer(Transfer::Copy, rd, e.rn());  // MOV to/from SP
      if (add64 && !bit(w, 22)) e.pairable(e.rn(), imm12, Transfer::Address, rd);
      return;
    }
    case 0b011:  // ADDG, SUBG
      return e.write_or_sp(rd);
    case 0b100:  // AND, ORR, EOR (Rd may be SP), ANDS (Rd=31 is XZR)
      return bits(w, 30, 29) == 0b11 ? e.write(rd) : e.write_or_sp(rd);
    default:  // MOVN/MOVZ/MOVK, bitfield, extract
      return e.write(rd);
  }
}

// C4.1.87 Branches, Exception Generating and System instructions.
void branch_system(uint32_t w, Effects& e) {
  if ((w & 0xFF000000) == 0x54000000) {    // B.cond, BC.cond
    bool always = bits(w, 3, 1) == 0b111;  // AL, NV
    return e.branch(always ? Flow::Jump : Flow::ConditionalJump, sign_extend(bits(w, 23, 5), 19));
  }
  if ((w & 0x7C000000) == 0x14000000) {  // B, BL
    bool link = bit(w, 31);
    if (link) e.write(30);
    return e.branch(link ? Flow::Call : Flow::Jump, sign_extend(bits(w, 25, 0), 26));
  }
  if ((w & 0x7E000000) == 0x34000000)  // CBZ, CBNZ
    return e.branch(Flow::ConditionalJump, sign_extend(bits(w, 23, 5), 19));
  if ((w & 0x7E000000) == 0x36000000)  // TBZ, TBNZ
    return e.branch(Flow::ConditionalJump, sign_extend(bits(w, 18, 5), 14));
  if ((w & 0xFF000000) == 0xD4000000) {  // exception generation
    switch (bits(w, 23, 21)) {
      case 0b000:  // SVC (HVC, SMC): Linux returns in X0 and keeps the rest
        return e.write(0);
      case 0b001:  // BRK
      case 0b010:  // HLT
        return e.flow(Flow::Trap);
      default:
        return e.any();
    }
  }
  if ((w & 0xFFC00000) == 0xD5000000) {  // system: MRS and SYSL (L=1) write Rt
    if (bit(w, 21)) e.write(e.rd());
    return;
  }
  if ((w & 0xFE000000) == 0xD6000000 && bits(w, 20, 16) == 0b11111) {  // branch (register)
    switch (bits(w, 24, 21)) {
      case 0b0000:  // BR, BRAAZ, BRABZ
      case 0b1000:  // BRAA, BRAB
        return e.flow(Flow::IndirectJump);
      case 0b0001:  // BLR, BLRAAZ, BLRABZ
      case 0b1001:  // BLRAA, BLRAB
        e.write(30);
        return e.flow(Flow::IndirectCall);
      case 0b0010:  // RET, RETAA, RETAB
      case 0b0100:  // ERET, ERETAA, ERETAB
      case 0b0101:  // DRPS
        return e.flow(Flow::Return);
      default:
        break;
    }
  }
  e.any();
}

// Load/store exclusive, ordered (LDAR/STLR) and compare-and-swap.
void exclusive(uint32_t w, Effects& e) {
  bool o2 = bit(w, 23), load = bit(w, 22), o1 = bit(w, 21);
  if (o2 && o1) return e.write(e.rs());  // CAS: the old value into Rs
  if (!o2 && o1 && !bit(w, 31)) {        // CASP: into Rs, Rs+1
    e.write(e.rs());
    return e.write(e.rs() + 1 == kXzrOrSp ? kXzrOrSp : e.rs() + 1);
  }
  if (load) {  // LDXR, LDAXR, LDAR, LDLAR; LDXP, LDAXP (o1)
    e.write(e.rd());
    if (o1) e.write(e.rt2());
  } else if (!o2) {  // STXR, STLXR, STXP, STLXP: the status into Ws
    e.write(e.rs());
  }
}

// Load/store register, all addressing forms (C4.1.88: op0=xx11).
void load_store_register(uint32_t w, Effects& e) {
  uint32_t size = bits(w, 31, 30), opc = bits(w, 23, 22), rt = e.rd();
  bool simd = bit(w, 26);
  bool load = !simd && opc != 0 && !(size == 0b11 && opc == 0b10);  // not a store, not PRFM
  if (bit(w, 24)) {                                                 // unsigned immediate, scaled
    unsigned scale = simd && (opc & 2) ? 4 : size;
    bool load64 = !simd && size == 0b11 && opc == 0b01;  // LDR Xt
    e.pairable(e.rn(), uint64_t{bits(w, 21, 10)} << scale,
               load64 ? Transfer::LoadGlobal : Transfer::None, rt);
    if (load) e.write(rt);
    return;
  }
  if (!bit(w, 21)) {  // unscaled, post-index, unprivileged, pre-index
    if (load) e.write(rt);
    if (bits(w, 10, 10)) e.write_or_sp(e.rn());  // 01 post-index, 11 pre-index
    return;
  }
  switch (bits(w, 11, 10)) {
    case 0b00:  // atomic memory operations (LDADD, SWP, LDAPR): the old value into Rt
      return simd ? e.any() : e.write(rt);
    case 0b10:  // register offset
      if (load) e.write(rt);
      return;
    default:  // LDRAA, LDRAB: bit 11 is the writeback
      e.write(rt);
      if (bit(w, 11)) e.write_or_sp(e.rn());
      return;
  }
}

// C4.1.88 Loads and Stores.
void load_store(uint32_t w, Effects& e) {
  if (!bit(w, 31) && bits(w, 29, 28) == 0 && bit(w, 26)) {  // SIMD structures
    if (bit(w, 23)) e.write_or_sp(e.rn());                  // post-index
    return;
  }
  if ((w & 0x3F000000) == 0x08000000) return exclusive(w, e);
  if ((w & 0x3B000000) == 0x18000000) {  // load register (literal)
    Instruction& out = e.out();
    out.pc_target = out.address + static_cast<uint64_t>(sign_extend(bits(w, 23, 5), 19) * 4);
    uint32_t opc = bits(w, 31, 30);
    if (bit(w, 26) || opc == 0b11) return;  // into a SIMD register, PRFM
    e.write(e.rd());
    if (opc == 0b01 && e.rd() != kXzrOrSp) e.transfer(Transfer::LoadGlobal, e.rd());
    return;
  }
  if ((w & 0x38000000) == 0x28000000) {  // load/store pair
    bool load = bit(w, 22);
    if (load && !bit(w, 26)) {
      e.write(e.rd());
      e.write(e.rt2());
    }
    if (bit(w, 23)) e.write_or_sp(e.rn());  // 01 post-index, 11 pre-index
    return;
  }
  if ((w & 0x3F200C00) == 0x19000000) {  // LDAPUR, STLUR (unscaled, ordered)
    if (bits(w, 23, 22) != 0) e.write(e.rd());
    return;
  }
  if ((w & 0x38000000) == 0x38000000) return load_store_register(w, e);
  e.any();  // memory tags, memory copy and set, and the rest
}

// C4.1.89 Data Processing -- Register.
void data_processing_register(uint32_t w, Effects& e) {
  uint32_t rd = e.rd();
  if ((w & 0x1FE00000) == 0x1A400000) return;  // CCMN, CCMP: flags only
  if ((w & 0x1FE00000) == 0x1A000000) {        // ADC, SBC; RMIF, SETF write flags only
    if (bits(w, 15, 10) == 0) e.write(rd);
    return;
  }
  if ((w & 0x1F200000) == 0x0B200000) {  // ADD/SUB (extended register): Rd may be SP
    return bit(w, 29) ? e.write(rd) : e.write_or_sp(rd);
  }
  e.write(rd);
  // MOV Xd, Xm: ORR Xd, XZR, Xm with no shift.
  bool orr64 = (w & 0xFFE0FFE0) == 0xAA0003E0;
  if (orr64 && e.rs() != kXzrOrSp && rd != kXzrOrSp) e.transfer(Transfer::Copy, rd, e.rs());
}

// C4.1.90 Data Processing -- Scalar Floating-Point and Advanced SIMD: only
// the moves and conversions into a general register write one.
void simd_fp(uint32_t w, Effects& e) {
  if ((w & 0x5F20FC00) == 0x1E200000) {  // conversion between FP and integer
    uint32_t opcode = bits(w, 18, 16);
    if (opcode != 0b010 && opcode != 0b011 && opcode != 0b111) e.write(e.rd());
    return;
  }
  if ((w & 0x5F200000) == 0x1E000000) {         // conversion between FP and fixed-point
    if (bits(w, 18, 17) == 0) e.write(e.rd());  // FCVTZS, FCVTZU
    return;
  }
  if ((w & 0x9FE08400) == 0x0E000400) {  // Advanced SIMD copy: SMOV, UMOV
    uint32_t imm4 = bits(w, 14, 11);
    if (!bit(w, 29) && (imm4 == 0b0101 || imm4 == 0b0111)) e.write(e.rd());
  }
}

}  // namespace

Instruction decode_arm64_word(uint32_t w, uint64_t address) {
  Instruction out;
  out.address = address;
  out.length = 4;
  Effects e(w, out);
  uint32_t op0 = bits(w, 28, 25);
  if ((op0 & 0b1110) == 0b1000)
    data_processing_immediate(w, e);
  else if ((op0 & 0b1110) == 0b1010)
    branch_system(w, e);
  else if ((op0 & 0b0101) == 0b0100)
    load_store(w, e);
  else if ((op0 & 0b0111) == 0b0101)
    data_processing_register(w, e);
  else if ((op0 & 0b0111) == 0b0111)
    simd_fp(w, e);
  else if (bits(w, 31, 16) == 0)  // UDF #imm16
    e.flow(Flow::Trap);
  else  // SME, SVE, unallocated
    e.any();
  return out;
}

std::optional<Instruction> decode_arm64(std::span<const uint8_t> bytes, uint64_t address) {
  if (bytes.size() < 4) return std::nullopt;
  uint32_t w = 0;
  std::memcpy(&w, bytes.data(), 4);  // A64 code is little-endian
  return decode_arm64_word(w, address);
}

}  // namespace gomapdbg
