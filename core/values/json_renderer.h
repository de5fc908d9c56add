// Renders a Go value from its bytes as JSON (documented in README, mirrored
// by testprogs/internal/truth/json.go). It shows what the text rendering
// (value_renderer.h) shows, under the same caps:
//   bool                 true / false
//   ints, uints          numbers when |v| < 2^53, else decimal strings
//   floats               numbers (Go's shortest form); "NaN", "+Inf", "-Inf"
//   complex              {"real": 1, "imag": -2}
//   string               a JSON string (invalid UTF-8 bytes become U+FFFD);
//                        past the cap {"prefix": "...", "len": N}
//   pointer              "0xc000012345"; with deref depth
//                        {"address": "0x...", "value": V}
//   unsafe.Pointer       "0x..."
//   chan                 {"address": "0x...", "len": 1, "cap": 4}
//   func                 {"func": "main.f", "pc": "0x..."}
//   struct               {"Field": V, ...}; blank fields "_", "_2", ...
//   array, slice         [V, ...]; past the element cap an array is
//                        {"len": N, "elements": [...]}, a slice
//                        {"len": N, "cap": C, "elements": [...]}
//   map                  {"type": T, "address": "0x...", "len": N,
//                         "entries": [{"key": K, "value": V}, ...]}
//                        (entries in the text rendering's order and number)
//   interface            {"type": DYNAMIC TYPE, "value": V}
//   sync.Mutex           {"locked": B, "woken": B, "starving": B, "waiters": N}
//   sync.RWMutex         {"w": MUTEX, "readers": N, "writer": "none"|"waiting"|
//                         "locked", "readerWait": N, "readerCount": N}
//   sync/atomic values   what they hold (values/sync_primitives.h)
//   nil (any kind)       null
//   unreadable           {"error": "unreadable string 0x... len 5"}
//   deeper than the cap  {"error": "nested too deep"}
#pragma once

#include <string>

#include "memory/memory.h"
#include "types/go_type.h"
#include "values/json_sink.h"
#include "values/value_decoder.h"
#include "values/value_renderer.h"  // the text it mirrors

namespace gomapdbg {

// A value decoded (value_decoder.h) into JSON (json_sink.h).
class JsonRenderer {
 public:
  JsonRenderer(const Memory& memory, GoBinary* binary, RenderLimits limits = {})
      : memory_(memory), binary_(binary), limits_(limits) {}

  // Appends the JSON of a value of `type` stored at `bytes`.
  void render(std::string& out, const GoType& type, const uint8_t* bytes) const {
    JsonSink sink(out);
    ValueDecoder(memory_, binary_, limits_, sink).decode(type, bytes);
  }

 private:
  const Memory& memory_;
  GoBinary* binary_;
  RenderLimits limits_;
};

}  // namespace gomapdbg
