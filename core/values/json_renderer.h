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
//   nil (any kind)       null
//   unreadable           {"error": "unreadable string 0x... len 5"}
//   deeper than the cap  {"error": "nested too deep"}
#pragma once

#include <string>
#include <string_view>

#include "memory/memory.h"
#include "types/go_type.h"
#include "values/value_renderer.h"

namespace gomapdbg {

class JsonRenderer {
 public:
  JsonRenderer(const Memory& memory, GoBinary* binary, RenderLimits limits = {})
      : memory_(memory), binary_(binary), limits_(limits), text_(memory, binary, limits) {}

  // Appends the JSON of a value of `type` stored at `bytes`.
  void render(std::string& out, const GoType& type, const uint8_t* bytes, int depth = 0) const;

 private:
  void render_string(std::string& out, uint64_t data, uint64_t len) const;
  void render_elements(std::string& out, const GoType& elem, const uint8_t* bytes, uint64_t count,
                       int depth) const;
  void render_struct(std::string& out, const GoType& type, const uint8_t* p, int depth) const;
  void render_interface(std::string& out, const GoType& type, const uint8_t* p, int depth) const;
  void render_map(std::string& out, const GoType& type, uint64_t address, int depth) const;
  void render_pointer(std::string& out, const GoType& type, uint64_t address, int depth) const;

  const Memory& memory_;
  GoBinary* binary_;
  RenderLimits limits_;
  mutable int derefs_ = 0;  // pointers followed on the path being rendered
  ValueRenderer text_;      // orders nested maps' entries as the text rendering does
};

// A JSON string of `bytes`: escapes quotes, backslashes and control
// characters; each byte that is not part of valid UTF-8 becomes U+FFFD (as
// Go's encoding/json does).
void append_json_string(std::string& out, std::string_view bytes);
std::string json_string(std::string_view bytes);
// Integers as numbers when exactly representable in a double (|v| < 2^53),
// else as decimal strings.
void append_json_int(std::string& out, int64_t value);
void append_json_uint(std::string& out, uint64_t value);
// Go's shortest float form as a number; NaN and infinities as strings.
void append_json_float(std::string& out, double value, int bits);

}  // namespace gomapdbg
