#include "binary/dwarf_location.h"

#include <dwarf.h>

#include <cstring>

namespace gomapdbg {

void FrameState::set_registers(const Architecture& arch,
                               const std::map<std::string, uint64_t>& by_name) {
  for (size_t i = 0; i < arch.dwarf_registers.size() && i < registers.size(); ++i) {
    auto it = by_name.find(arch.dwarf_registers[i]);
    if (it != by_name.end()) registers[i] = it->second;
  }
}

namespace {

struct Op {
  uint8_t atom = 0;
  uint64_t number = 0;
  Dwarf_Op* raw = nullptr;  // libdw's op, needed to resolve DW_OP_addrx
};

bool read_uleb(const uint8_t*& p, const uint8_t* end, uint64_t& out) {
  out = 0;
  for (int shift = 0; p < end && shift < 64; shift += 7) {
    uint8_t b = *p++;
    out |= uint64_t{b & 0x7fu} << shift;
    if (!(b & 0x80)) return true;
  }
  return false;
}

bool read_sleb(const uint8_t*& p, const uint8_t* end, uint64_t& out) {
  out = 0;
  int shift = 0;
  for (; p < end && shift < 64;) {
    uint8_t b = *p++;
    out |= uint64_t{b & 0x7fu} << shift;
    shift += 7;
    if (!(b & 0x80)) {
      if (shift < 64 && (b & 0x40)) out |= ~uint64_t{0} << shift;
      return true;
    }
  }
  return false;
}

// Go writes single location expressions as DW_FORM_block1, which libdw only
// accepts as a location before DWARF 4; decode those bytes here.
bool decode_block(Dwarf_Block block, std::vector<Op>& ops) {
  const uint8_t* p = block.data;
  const uint8_t* end = block.data + block.length;
  while (p < end) {
    Op op;
    op.atom = *p++;
    bool ok = true;
    if (op.atom == DW_OP_addr) {
      if (end - p < 8) return false;
      std::memcpy(&op.number, p, 8);
      p += 8;
    } else if ((op.atom >= DW_OP_breg0 && op.atom <= DW_OP_breg31) || op.atom == DW_OP_fbreg ||
               op.atom == DW_OP_consts) {
      ok = read_sleb(p, end, op.number);
    } else if (op.atom == DW_OP_plus_uconst || op.atom == DW_OP_piece || op.atom == DW_OP_constu ||
               op.atom == DW_OP_regx) {
      ok = read_uleb(p, end, op.number);
    } else if (op.atom == DW_OP_call_frame_cfa || op.atom == DW_OP_plus || op.atom == DW_OP_minus ||
               (op.atom >= DW_OP_reg0 && op.atom <= DW_OP_reg31) || op.atom == DW_OP_stack_value) {
      // no operands
    } else {
      return false;
    }
    if (!ok) return false;
    ops.push_back(op);
  }
  return true;
}

bool location_ops(Dwarf_Attribute* attribute, uint64_t pc, std::vector<Op>& ops) {
  switch (dwarf_whatform(attribute)) {
    case DW_FORM_block1:
    case DW_FORM_block2:
    case DW_FORM_block4:
    case DW_FORM_block: {
      Dwarf_Block block;
      return dwarf_formblock(attribute, &block) == 0 && decode_block(block, ops);
    }
    default:
      break;
  }
  Dwarf_Op* raw = nullptr;
  size_t n = 0;
  if (dwarf_getlocation_addr(attribute, pc, &raw, &n, 1) <= 0) return false;
  for (size_t i = 0; i < n; ++i) ops.push_back({raw[i].atom, raw[i].number, &raw[i]});
  return true;
}

std::optional<uint64_t> address_operand(Dwarf_Attribute* attribute, const Op& op) {
  if (op.atom == DW_OP_addr) return op.number;
  Dwarf_Attribute result;
  Dwarf_Addr address = 0;
  if (op.raw && dwarf_getlocation_attr(attribute, op.raw, &result) == 0 &&
      dwarf_formaddr(&result, &address) == 0)
    return address;
  return std::nullopt;
}

std::optional<VariableLocation> evaluate_ops(Dwarf_Attribute* attribute, const std::vector<Op>& ops,
                                             const FrameState& frame, uint64_t size,
                                             const Memory& memory, std::string& why) {
  std::vector<uint64_t> stack;
  VariableLocation out;
  std::optional<uint64_t> pending_register;  // DW_OP_regN awaiting its piece
  bool pieces = false;
  auto reg = [&](unsigned n) -> std::optional<uint64_t> {
    if (n < frame.registers.size() && frame.registers[n]) return frame.registers[n];
    return std::nullopt;
  };
  for (const Op& op : ops) {
    uint8_t atom = op.atom;
    if ((atom >= DW_OP_reg0 && atom <= DW_OP_reg31) || atom == DW_OP_regx) {
      unsigned n = atom == DW_OP_regx ? static_cast<unsigned>(op.number) : atom - DW_OP_reg0;
      pending_register = reg(n);
      if (!pending_register) {
        why = "held in register " + std::to_string(n) + ", not available in this frame";
        return std::nullopt;
      }
      continue;
    }
    if (atom >= DW_OP_breg0 && atom <= DW_OP_breg31) {
      auto value = reg(atom - DW_OP_breg0);
      if (!value) {
        why = "based on a register not available in this frame";
        return std::nullopt;
      }
      stack.push_back(*value + static_cast<int64_t>(op.number));
      continue;
    }
    switch (atom) {
      case DW_OP_addr:
      case DW_OP_addrx:
      case DW_OP_GNU_addr_index: {
        auto a = address_operand(attribute, op);
        if (!a) {
          why = "unreadable address operand";
          return std::nullopt;
        }
        stack.push_back(*a);
        break;
      }
      case DW_OP_call_frame_cfa:
        stack.push_back(frame.cfa);
        break;
      case DW_OP_fbreg:  // Go's frame base is always DW_OP_call_frame_cfa
        stack.push_back(frame.cfa + static_cast<int64_t>(op.number));
        break;
      case DW_OP_plus_uconst:
        if (stack.empty()) return std::nullopt;
        stack.back() += op.number;
        break;
      case DW_OP_consts:
      case DW_OP_constu:
        stack.push_back(op.number);
        break;
      case DW_OP_plus:
      case DW_OP_minus: {
        if (stack.size() < 2) return std::nullopt;
        uint64_t b = stack.back();
        stack.pop_back();
        stack.back() = atom == DW_OP_plus ? stack.back() + b : stack.back() - b;
        break;
      }
      case DW_OP_piece: {
        pieces = true;
        // Pieces beyond the value's size would be cut off anyway; a corrupt
        // piece size must not become a huge allocation.
        if (op.number > size || out.bytes.size() + op.number > size) {
          why = "location pieces are larger than the value";
          return std::nullopt;
        }
        std::vector<uint8_t> piece(op.number, 0);
        if (pending_register) {
          if (!piece.empty())
            std::memcpy(piece.data(), &*pending_register, std::min<size_t>(8, piece.size()));
          pending_register.reset();
        } else if (!stack.empty()) {
          memory.read(stack.back(), piece.data(), piece.size());
          stack.pop_back();
        } else {
          why = "part of the value is optimized out";
          return std::nullopt;
        }
        out.bytes.insert(out.bytes.end(), piece.begin(), piece.end());
        break;
      }
      default:
        why = "unsupported DWARF location operation " + std::to_string(atom);
        return std::nullopt;
    }
  }
  if (pieces) {
    out.bytes.resize(size);
    return out;
  }
  if (pending_register) {
    out.bytes.assign(size, 0);
    if (size) std::memcpy(out.bytes.data(), &*pending_register, std::min<size_t>(8, size));
    return out;
  }
  if (stack.empty()) {
    why = "empty location expression";
    return std::nullopt;
  }
  out.address = stack.back();
  return out;
}

}  // namespace

std::optional<VariableLocation> evaluate_location(Dwarf_Attribute* attribute,
                                                  const FrameState& frame, uint64_t size,
                                                  const Memory& memory, std::string& why) {
  std::vector<Op> ops;
  if (!location_ops(attribute, frame.pc, ops) || ops.empty()) {
    why = "optimized out at this PC";
    return std::nullopt;
  }
  return evaluate_ops(attribute, ops, frame, size, memory, why);
}

std::optional<VariableLocation> evaluate_spilled_argument(Dwarf_Attribute* attribute,
                                                          const FrameState& frame, uint64_t size,
                                                          const Memory& memory, std::string& why) {
  Dwarf_Addr base = 0, start = 0, end = 0;
  Dwarf_Op* raw = nullptr;
  size_t n = 0;
  ptrdiff_t offset = 0;
  constexpr int kMaxEntries = 4096;  // location lists are short; the DWARF is untrusted
  for (int i = 0; i < kMaxEntries; ++i) {
    offset = dwarf_getlocations(attribute, offset, &base, &start, &end, &raw, &n);
    if (offset <= 0) break;
    bool stack_home = n > 0;
    std::vector<Op> ops;
    for (size_t k = 0; k < n && stack_home; ++k) {
      stack_home = raw[k].atom == DW_OP_fbreg || raw[k].atom == DW_OP_piece;
      ops.push_back({raw[k].atom, raw[k].number, &raw[k]});
    }
    if (stack_home) return evaluate_ops(attribute, ops, frame, size, memory, why);
  }
  why = "optimized out at this PC (no stack home for the spilled argument)";
  return std::nullopt;
}

std::optional<VariableLocation> evaluate_location_block(const uint8_t* data, size_t length,
                                                        const FrameState& frame, uint64_t size,
                                                        const Memory& memory, std::string& why) {
  std::vector<Op> ops;
  Dwarf_Block block{length, const_cast<unsigned char*>(data)};
  if (!decode_block(block, ops) || ops.empty()) {
    why = "optimized out at this PC";
    return std::nullopt;
  }
  return evaluate_ops(nullptr, ops, frame, size, memory, why);
}

}  // namespace gomapdbg
