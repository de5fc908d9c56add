// What ended (or stopped) the process, before anything is said about maps:
// the runtime threw (fatal/throw with its message), a goroutine panicked
// (the value it panicked with), or a signal killed it (who sent it). Only a
// throw whose message is one of the map fatals makes a map report.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "runtime/goroutines.h"
#include "target/target.h"
#include "unwind/signal_frame.h"

namespace gomapdbg {

enum class FatalKind {
  None,          // a live process stopped elsewhere: nothing has gone wrong yet
  MapMisuse,     // fatal error: concurrent map writes (and the other map fatals)
  RuntimeFatal,  // any other fatal error / throw
  Panic,         // an unrecovered panic
  Signal,        // a signal the runtime does not turn into a panic (SIGABRT, SIGQUIT, ...)
};
const char* fatal_kind_name(FatalKind kind);

struct FatalCause {
  FatalKind kind = FatalKind::None;
  // The runtime's message (throws), else "" when it could not be read.
  std::string message;
  // Where the message came from: "the catch", "argument s of runtime.fatal",
  // "the map function that called fatal".
  std::string message_source;
  // The panic values, as Go prints them, the first panic first (later ones
  // were raised while it was running its deferred calls).
  std::vector<std::string> panics;
  std::optional<SignalInfo> signal;
  std::string signal_origin;  // "sent by process 4242 (uid 0) with kill"
};

// What the front end knows that memory does not say (the catch read the
// message at the breakpoint; the debugger stopped on a signal and has its
// siginfo).
struct FatalInputs {
  std::optional<std::string> message;
  std::optional<SignalInfo> signal;
  int64_t pid = 0;  // the process's own pid, when known (a signal it sent itself)
};

// Classifies from the thrower's stack (or, without a thrower, the crashing
// thread's) and the inputs.
FatalCause classify_fatal(Target& target, const RuntimeSnapshot& snapshot, const Goroutine* thrower,
                          const Backtrace& stack, const FatalInputs& inputs);

}  // namespace gomapdbg
