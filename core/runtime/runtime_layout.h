// Where the fields of runtime.g, runtime.m and runtime.gobuf live. Read from
// the binary's DWARF when present; otherwise from tables keyed by the Go
// version (go1.19–go1.27, ../shared/reference/go-runtime-layouts.md §5.1,
// §5.2, §5.5), so stripped binaries and their cores still work.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace gomapdbg {

class GoBinary;
struct GoVersion;

struct GobufLayout {
  uint64_t sp = 0, pc = 8, bp = 48;  // bp: 48 up to go1.24, 40 from go1.25 (gobuf.ret removed)
  // lr (used on LR machines; every architecture has the field) sits just
  // before bp in go1.19–go1.27.
  uint64_t lr = 40;
};

struct GLayout {
  uint64_t size = 0;
  uint64_t stack_lo = 0, stack_hi = 8, m = 48, sched = 56;
  uint64_t syscallsp = 0, syscallpc = 0;
  std::optional<uint64_t> syscallbp;  // go1.23+
  uint64_t atomicstatus = 0, goid = 0, waitsince = 0, waitreason = 0, lockedm = 0;
  std::optional<uint64_t> parent_goid;     // go1.21+
  std::optional<uint64_t> tracking_stamp;  // go1.21+, from DWARF only
  uint64_t gopc = 0, startpc = 0, labels = 0;
  uint64_t panic = 32;  // g._panic, the innermost panic (32 in go1.19–go1.27)
};

// runtime._panic: what a panicking goroutine is panicking with. `arg`
// (the value, an eface) is at 8 up to go1.25 (after argp) and at 0 from
// go1.26; `link` (the panic it interrupted) follows it.
struct PanicLayout {
  uint64_t arg = 8, link = 24;
};

struct MLayout {
  uint64_t g0 = 0, procid = 0, gsignal = 0, curg = 0, id = 0, alllink = 0, lockedg = 0;
  uint64_t throwing = 0, dying = 0;
  // Where a thread in the vDSO (time.now, nanotime1) left its Go caller:
  // vdsoSP and vdsoPC, non-zero only during the call (unknown for go1.20
  // without DWARF).
  std::optional<uint64_t> vdso_sp, vdso_pc;
};

struct RuntimeLayout {
  GLayout g;
  MLayout m;
  GobufLayout gobuf;
  PanicLayout panic;
  std::string source;  // "DWARF" or "tables for go1.NN"
};

// Throws LayoutError when there is no DWARF and the Go version is unknown or
// outside the tables.
RuntimeLayout runtime_layout(GoBinary& binary);
// The fallback tables alone (exposed for tests).
std::optional<RuntimeLayout> runtime_layout_for_version(const GoVersion& version);

}  // namespace gomapdbg
