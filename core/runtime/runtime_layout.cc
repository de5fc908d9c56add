#include "runtime/runtime_layout.h"

#include "abi/go_headers.h"
#include "errors.h"
#include "program/go_binary.h"

namespace gomapdbg {

namespace {

// One column of §5.1 / §5.5: the offsets that moved between releases.
struct VersionRow {
  int first_minor, last_minor;  // go1.first_minor .. go1.last_minor
  uint64_t g_size, syscallsp, syscallpc, syscallbp, atomicstatus, goid, waitsince, waitreason,
      lockedm, parent_goid, gopc, startpc, labels;
  uint64_t m_procid, m_gsignal, m_curg, m_id, m_alllink, m_lockedg, m_throwing, m_dying, m_vdsosp;
  uint64_t gobuf_bp;
  uint64_t panic_arg;
};

constexpr uint64_t kNone = ~uint64_t{0};

// clang-format off
constexpr VersionRow kRows[] = {
  //          size sysp sysc sysbp  stat goid since reas lockm parent gopc start labels | procid gsig curg  id  alllink lockedg throwing dying vdsoSP | bp | panic.arg
  {19, 19, 392, 112, 120, kNone, 144, 152, 168, 176, 232, kNone, 296, 312, 360,   72, 80, 192, 232, 336, 352, 244, 268, 800, 48, 8},
  {20, 20, 392, 112, 120, kNone, 144, 152, 168, 176, 232, kNone, 296, 312, 360,   72, 80, 192, 232, 336, 352, 244, 268, kNone, 48, 8},
  {21, 21, 408, 112, 120, kNone, 144, 152, 168, 176, 208, 272,   280, 296, 344,   72, 80, 192, 232, 336, 352, 244, 268, 808, 48, 8},
  {22, 22, 424, 112, 120, kNone, 144, 152, 168, 176, 208, 272,   280, 296, 344,   72, 80, 192, 232, 328, 344, 244, 268, 1120, 48, 8},
  {23, 23, 432, 112, 120, 128,   152, 160, 176, 184, 216, 280,   288, 304, 352,   72, 80, 192, 232, 352, 368, 244, 268, 880, 48, 8},
  {24, 24, 440, 112, 120, 128,   152, 160, 176, 184, 216, 280,   288, 304, 352,   72, 80, 192, 232, 352, 368, 244, 268, 904, 48, 8},
  {25, 25, 440, 104, 112, 120,   144, 152, 168, 176, 208, 272,   280, 296, 344,   64, 72, 184, 224, 344, 360, 236, 260, 896, 40, 8},
  // go1.27 moved only m fields past vdsoPC (cheaprand64, locksHeld) and _panic fields past link.
  {26, 27, 456, 104, 112, 120,   144, 152, 168, 176, 208, 280,   288, 304, 352,   64, 72, 184, 232, 352, 384, 244, 268, 896, 40, 0},
};
// clang-format on

std::optional<uint64_t> opt(uint64_t v) {
  return v == kNone ? std::nullopt : std::optional<uint64_t>(v);
}

const GoField& need(const GoType& type, const char* name) {
  return type.required_field(name, "runtime layout");
}

std::optional<uint64_t> maybe(const GoType& type, const char* name) {
  return type.field_offset(name);
}

std::optional<RuntimeLayout> from_dwarf(GoBinary& binary) {
  if (!binary.dwarf().present()) return std::nullopt;
  const GoType* g = binary.types().by_name("runtime.g");
  const GoType* m = binary.types().by_name("runtime.m");
  const GoType* gobuf = binary.types().by_name("runtime.gobuf");
  if (!g || !m || !gobuf) return std::nullopt;
  RuntimeLayout out;
  out.source = "DWARF";
  out.gobuf.sp = need(*gobuf, "sp").offset;
  out.gobuf.pc = need(*gobuf, "pc").offset;
  out.gobuf.bp = need(*gobuf, "bp").offset;
  out.gobuf.lr = need(*gobuf, "lr").offset;
  if (const GoType* panic = binary.types().by_name("runtime._panic")) {
    out.panic.arg = need(*panic, "arg").offset;
    out.panic.link = need(*panic, "link").offset;
  }
  GLayout& l = out.g;
  l.size = g->size;
  const GoField& stack = need(*g, "stack");
  if (!stack.type) throw LayoutError("unknown runtime layout: runtime.g.stack has no type");
  l.stack_lo = stack.offset + need(*stack.type, "lo").offset;
  l.stack_hi = stack.offset + need(*stack.type, "hi").offset;
  l.m = need(*g, "m").offset;
  l.sched = need(*g, "sched").offset;
  l.syscallsp = need(*g, "syscallsp").offset;
  l.syscallpc = need(*g, "syscallpc").offset;
  l.syscallbp = maybe(*g, "syscallbp");
  l.atomicstatus = need(*g, "atomicstatus").offset;
  l.goid = need(*g, "goid").offset;
  l.waitsince = need(*g, "waitsince").offset;
  l.waitreason = need(*g, "waitreason").offset;
  l.lockedm = need(*g, "lockedm").offset;
  l.parent_goid = maybe(*g, "parentGoid");
  l.tracking_stamp = maybe(*g, "trackingStamp");
  l.gopc = need(*g, "gopc").offset;
  l.startpc = need(*g, "startpc").offset;
  l.labels = need(*g, "labels").offset;
  l.panic = need(*g, "_panic").offset;
  MLayout& ml = out.m;
  ml.g0 = need(*m, "g0").offset;
  ml.procid = need(*m, "procid").offset;
  ml.gsignal = need(*m, "gsignal").offset;
  ml.curg = need(*m, "curg").offset;
  ml.id = need(*m, "id").offset;
  ml.alllink = need(*m, "alllink").offset;
  ml.lockedg = need(*m, "lockedg").offset;
  ml.throwing = need(*m, "throwing").offset;
  ml.dying = need(*m, "dying").offset;
  ml.vdso_sp = maybe(*m, "vdsoSP");
  ml.vdso_pc = maybe(*m, "vdsoPC");
  return out;
}

}  // namespace

std::optional<RuntimeLayout> runtime_layout_for_version(const GoVersion& version) {
  if (version.major != 1) return std::nullopt;
  for (const VersionRow& r : kRows) {
    if (version.minor < r.first_minor || version.minor > r.last_minor) continue;
    RuntimeLayout out;
    out.source = "tables for go1." + std::to_string(version.minor);
    out.gobuf.bp = r.gobuf_bp;
    out.gobuf.lr = r.gobuf_bp - 8;
    out.panic.arg = r.panic_arg;
    out.panic.link = r.panic_arg + kInterfaceSize;  // link follows arg, an eface
    GLayout& l = out.g;
    l.size = r.g_size;
    l.syscallsp = r.syscallsp;
    l.syscallpc = r.syscallpc;
    l.syscallbp = opt(r.syscallbp);
    l.atomicstatus = r.atomicstatus;
    l.goid = r.goid;
    l.waitsince = r.waitsince;
    l.waitreason = r.waitreason;
    l.lockedm = r.lockedm;
    l.parent_goid = opt(r.parent_goid);
    l.gopc = r.gopc;
    l.startpc = r.startpc;
    l.labels = r.labels;
    MLayout& m = out.m;
    m.procid = r.m_procid;
    m.gsignal = r.m_gsignal;
    m.curg = r.m_curg;
    m.id = r.m_id;
    m.alllink = r.m_alllink;
    m.lockedg = r.m_lockedg;
    m.throwing = r.m_throwing;
    m.dying = r.m_dying;
    // vdsoPC follows vdsoSP in runtime.m of every release with a row.
    m.vdso_sp = opt(r.m_vdsosp);
    if (m.vdso_sp) m.vdso_pc = *m.vdso_sp + 8;
    return out;
  }
  return std::nullopt;
}

RuntimeLayout runtime_layout(GoBinary& binary) {
  if (auto l = from_dwarf(binary)) return *l;
  const GoBuildInfo& build = binary.build_info();
  if (auto l = runtime_layout_for_version(build.parsed())) return *l;
  throw LayoutError("no DWARF for runtime.g/runtime.m and no layout table for Go version '" +
                    (build.version.empty() ? std::string("unknown") : build.version) +
                    "' (tables cover go1.19–go1.27)");
}

}  // namespace gomapdbg
