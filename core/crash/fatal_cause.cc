#include "crash/fatal_cause.h"

#include <elf.h>

#include <csignal>

#include "abi/go_headers.h"
#include "errors.h"
#include "maps/map_functions.h"
#include "target/variables.h"
#include "values/value_access.h"
#include "values/value_renderer.h"

namespace gomapdbg {

namespace {

// A panic chain longer than this is damaged memory, not a program.
constexpr size_t kMaxPanics = 8;
constexpr uint64_t kMaxMessage = 4096;

bool has_frame(const Backtrace& bt, const char* function) {
  for (const Frame& f : bt.frames)
    if (f.function == function) return true;
  return false;
}

bool throws(const Backtrace& bt) {
  for (const Frame& f : bt.frames)
    if (is_fatal_function(f.function) && f.function != "runtime.fatalpanic") return true;
  return false;
}

// The `s` argument of the runtime.fatal/throw frame, through DWARF.
std::optional<std::string> message_argument(Target& target, const Backtrace& bt) {
  if (!target.binary().dwarf().present()) return std::nullopt;
  for (const Frame& f : bt.frames) {
    if (f.function != "runtime.fatal" && f.function != "runtime.throw") continue;
    auto s = find_live_in_frame(target, f.dwarf_state(), "s");
    if (!s || s->type->kind != GoKind::String) continue;
    auto [data, len] = load_string(s->bytes.data());
    if (!len || len > kMaxMessage) continue;
    std::string text(len, '\0');
    if (target.memory().read_prefix(data, text.data(), len) == len) return text;
  }
  return std::nullopt;
}

bool in_read_only_data(Target& target, uint64_t address) {
  for (const LoadSegment& seg : target.binary().image().file().segments())
    if (!(seg.flags & PF_W) && !(seg.flags & PF_X) && address >= seg.vaddr &&
        address < seg.vaddr + seg.memsz)
      return true;
  return false;
}

bool printable(const std::string& text) {
  for (unsigned char c : text)
    if (c < 0x20 && c != '\t') return false;
  return !text.empty();
}

// Without DWARF for `s` (or where its location list ends before the PC):
// the string the fatal/throw frame keeps for its printing closure, a
// (pointer, length) pair in the frame whose pointer is into the
// executable's read-only data (where Go keeps string constants).
std::optional<std::string> message_in_frame(Target& target, const Backtrace& bt) {
  for (const Frame& f : bt.frames) {
    if (!is_fatal_function(f.function) || f.function == "runtime.fatalthrow") continue;
    if (!f.cfa || f.cfa <= f.sp || f.cfa - f.sp > 4096) continue;
    std::vector<uint64_t> words((f.cfa - f.sp) / 8);
    words.resize(target.memory().read_prefix(f.sp, words.data(), words.size() * 8) / 8);
    for (size_t i = 0; i + 1 < words.size(); ++i) {
      uint64_t data = words[i], len = words[i + 1];
      if (!len || len > kMaxMessage || !in_read_only_data(target, data)) continue;
      std::string text(len, '\0');
      if (target.memory().read_prefix(data, text.data(), len) == len && printable(text))
        return text;
    }
  }
  return std::nullopt;
}

// The map function that called the fatal function directly (its message
// follows from which one it is).
std::optional<MapAccess> map_caller_of_fatal(const Backtrace& bt) {
  for (size_t i = 0; i + 1 < bt.frames.size(); ++i) {
    if (!is_fatal_function(bt.frames[i].function)) continue;
    size_t caller = i + 1;
    while (caller < bt.frames.size() && is_fatal_function(bt.frames[caller].function)) ++caller;
    if (caller < bt.frames.size()) return map_access(bt.frames[caller].function);
    return std::nullopt;
  }
  return std::nullopt;
}

void classify_throw(Target& target, const Backtrace& bt, const FatalInputs& inputs,
                    FatalCause& cause) {
  if (inputs.message && !inputs.message->empty()) {
    cause.message = *inputs.message;
    cause.message_source = "the catch";
  } else if (auto s = message_argument(target, bt)) {
    cause.message = *s;
    cause.message_source = "argument s of runtime.fatal";
  } else if (auto kept = message_in_frame(target, bt)) {
    cause.message = *kept;
    cause.message_source = "the string the fatal frame holds";
  } else if (auto access = map_caller_of_fatal(bt)) {
    cause.message = fatal_message_for(*access);
    cause.message_source = "the map function that called fatal";
  }
  cause.kind = is_map_fatal(cause.message) ? FatalKind::MapMisuse : FatalKind::RuntimeFatal;
}

// A panic value as Go prints it: a string (errors and Stringers were turned
// into their text before the runtime printed them) as is, anything else in
// gomapdbg's rendering.
std::string panic_value_text(Target& target, uint64_t eface) {
  uint8_t raw[kInterfaceSize];
  if (target.memory().read_prefix(eface, raw, sizeof raw) != sizeof raw)
    return "<unreadable panic value at " + hex(eface) + ">";
  InterfaceWords words = load_interface(raw);
  if (!words.first) return "nil";
  GoBinary& binary = target.binary();
  const GoType* type = binary.dynamic_type(words.first, target.memory());
  if (!type || type->kind == GoKind::Invalid) return "<panic value of unknown type>";
  try {
    DynamicValue value = read_dynamic_value(
        target.memory(), type, binary.runtime_types().direct_iface(words.first, target.memory()),
        words.data);
    if (type->kind == GoKind::String && type->name == "string") {
      auto [data, len] = load_string(value.bytes.data());
      std::string text(std::min(len, kMaxMessage), '\0');
      size_t got = target.memory().read_prefix(data, text.data(), text.size());
      text.resize(got);
      if (len > got) text += "...+" + std::to_string(len - got) + " bytes";
      return text;
    }
    std::string out;
    ValueRenderer(target.memory(), &binary).render(out, *type, value.bytes.data());
    return out;
  } catch (const Error& e) {
    return "<unreadable " + type->name + " panic value: " + e.what() + ">";
  }
}

std::vector<std::string> panic_values(Target& target, const RuntimeSnapshot& snapshot,
                                      const Goroutine& g) {
  const RuntimeLayout& layout = snapshot.layout();
  std::vector<std::string> newest_first;
  uint64_t p = 0;
  target.memory().read_prefix(g.g + layout.g.panic, &p, 8);
  for (size_t i = 0; p && i < kMaxPanics; ++i) {
    newest_first.push_back(panic_value_text(target, p + layout.panic.arg));
    uint64_t link = 0;
    if (target.memory().read_prefix(p + layout.panic.link, &link, 8) != 8 || link == p) break;
    p = link;
  }
  return {newest_first.rbegin(), newest_first.rend()};
}

// Signals that stop a process under a debugger though nothing happened to
// the program: the debugger's own (breakpoints, steps, interrupts) and
// those the Go runtime takes in its stride (a child exited, preemption,
// profiling, a resized terminal).
bool harmless_stop(int32_t signo) {
  switch (signo) {
    case SIGTRAP:
    case SIGINT:
    case SIGSTOP:
    case SIGTSTP:
    case SIGCONT:
    case SIGCHLD:
    case SIGURG:
    case SIGPROF:
    case SIGVTALRM:
    case SIGWINCH:
      return true;
    default:
      return false;
  }
}

// The signal that started the crash: the outermost one the thread was
// handling (those above it are the runtime's own, raised while dying).
std::optional<SignalInfo> handled_signal(Target& target, const Backtrace& bt) {
  for (auto it = bt.signals.rbegin(); it != bt.signals.rend(); ++it)
    if (auto info = read_siginfo(target.memory(), it->siginfo)) return info;
  return std::nullopt;
}

}  // namespace

const char* fatal_kind_name(FatalKind kind) {
  switch (kind) {
    case FatalKind::None:
      return "none";
    case FatalKind::MapMisuse:
      return "map";
    case FatalKind::RuntimeFatal:
      return "runtime";
    case FatalKind::Panic:
      return "panic";
    case FatalKind::Signal:
      return "signal";
  }
  return "?";
}

FatalCause classify_fatal(Target& target, const RuntimeSnapshot& snapshot, const Goroutine* thrower,
                          const Backtrace& stack, const FatalInputs& inputs) {
  FatalCause cause;
  if (has_frame(stack, "runtime.fatalpanic")) {
    cause.kind = FatalKind::Panic;
    if (thrower) cause.panics = panic_values(target, snapshot, *thrower);
    return cause;
  }
  if (throws(stack) || (inputs.message && !inputs.message->empty())) {
    classify_throw(target, stack, inputs, cause);
    return cause;
  }
  std::optional<SignalInfo> signal = inputs.signal;
  if (signal && harmless_stop(signal->signo)) signal.reset();
  if (!signal) signal = handled_signal(target, stack);
  if (signal) {
    cause.kind = FatalKind::Signal;
    cause.signal = signal;
    cause.message = signal_name(signal->signo);
    cause.signal_origin = signal_origin(*signal, inputs.pid);
  }
  return cause;
}

}  // namespace gomapdbg
