"""`go catch`: stop on the runtime's fatal path and explain it.

Breakpoints go on the entries of runtime.fatal (map misuse, go1.19+),
runtime.throw (runtime failures), runtime.fatalthrow and runtime.fatalpanic
(whichever the binary has); a SIGABRT (GOTRACEBACK=crash) is caught too. At
the first hit per process the catch reads the message — the string argument
of fatal/throw, in RAX (data) and RBX (length) at entry under Go's register
ABI (go1.17+ amd64) — or, at a signal stop, the signal's siginfo, and runs
`go report` (gomapdbg.commands.catch_command.report_caught), which says
what happened: a map fatal with its competing accessors, another fatal
error, a panic with its value, or a signal and who sent it.
Later hits on the same fatal path (fatal → fatalthrow, then the SIGABRT)
pass silently, so the program can be continued to its end.
"""

from __future__ import annotations

from gomapdbg.debugger import Debugger, register_names
from gomapdbg.loader import core

MAX_MESSAGE = 4096
# Go turns these into panics (often recovered); the catch stops at
# runtime.fatalpanic if one is not.
PANIC_SIGNALS = ("SIGSEGV", "SIGBUS", "SIGFPE")


class CatchState:
    """What one debugger session's catch has armed and already reported."""

    def __init__(self):
        self.armed = False
        self.entries: dict[str, int] = {}  # function -> entry address
        self.reported: set[int] = set()  # pids whose fatal was reported

    def function_at(self, pc: int) -> str | None:
        for name, entry in self.entries.items():
            if entry == pc:
                return name
        return None


STATE = CatchState()


def fatal_entries(executable: str) -> dict[str, int]:
    """Entries of the runtime's fatal path (the core's list, which its crash
    report uses too) that the executable has."""
    return dict(core.function_entries(executable, list(core.FATAL_PATH_FUNCTIONS)))


def read_message(dbg: Debugger, function: str) -> str | None:
    """The string argument of fatal/throw at its entry: its pointer and length
    in the first two integer argument registers (RAX/RBX, R0/R1)."""
    if function not in core.FATAL_MESSAGE_FUNCTIONS:
        return None
    frame = dbg.selected_frame()
    if frame is None:
        return None
    pointer, size = register_names(dbg.executable()).arguments[:2]
    data, length = frame.registers.get(pointer), frame.registers.get(size)
    if not data or length is None or not 0 < length <= MAX_MESSAGE:
        return None
    raw = dbg.read_memory(data, length)
    return raw.decode("utf-8", "replace") if raw is not None else None


def should_stop(pid: int) -> bool:
    """Breakpoint condition: stop only at the first fatal of a process."""
    return pid not in STATE.reported
