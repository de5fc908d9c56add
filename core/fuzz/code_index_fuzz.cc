// The x86-64 and AArch64 decoders and the code index (code/): the input is
// a u32 length, that many bytes of .gopclntab, then the text its functions
// point into (at the table's textStart). Every offset of the text is
// decoded as x86-64, every 4-byte word as AArch64; the index is built for
// both architectures and queried as go report will.
#include <cstring>

#include "arch/arm64_decoder.h"
#include "arch/x86_decoder.h"
#include "code/code_index.h"
#include "errors.h"

using namespace gomapdbg;

namespace {

void decode_everywhere(std::span<const uint8_t> text, uint64_t address) {
  for (size_t at = 0; at < text.size(); ++at) {
    auto in = decode_x86(text.subspan(at), address + at);
    if (in && (in->length == 0 || in->length > text.size() - at)) __builtin_trap();
  }
  // Every whole word is an AArch64 instruction, ADRP pairs completed in order.
  InstructionStream stream(aarch64_instructions(), text, address);
  while (auto in = stream.next())
    if (in->length != 4) __builtin_trap();
  if (text.size() - (stream.position() - address) >= 4) __builtin_trap();
}

void query(const CodeIndex& index) {
  size_t n = 0;
  for (const FunctionCode& f : index.functions()) {
    if (++n > 32) break;
    index.instruction_starts(f.entry);
    index.function_containing(f.entry + 1);
    for (const DataReference& r : f.data_references) index.functions_referring_to(r.target, 8);
    for (const MapCallSite& s : f.map_calls) {
      index.map_calls_on_global(s.map.address);
      index.map_calls_of_type(f.entry, s.map_type.address, 4);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 4) return 0;
  uint32_t table_size;
  std::memcpy(&table_size, data, 4);
  table_size = static_cast<uint32_t>(std::min<size_t>(table_size, size - 4));
  std::vector<uint8_t> table_bytes(data + 4, data + 4 + table_size);
  std::span<const uint8_t> text(data + 4 + table_size, size - 4 - table_size);
  decode_everywhere(text, 0x401000);
  try {
    Pclntab table(std::move(table_bytes), 0);
    for (const Architecture* arch : architectures()) {
      CodeIndex index(*arch, table, std::vector<uint8_t>(text.begin(), text.end()),
                      table.text_start());
      query(index);
    }
  } catch (const Error&) {
  }
  return 0;
}
