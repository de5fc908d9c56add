"""The interface a debugger front end implements for the shared commands."""

from __future__ import annotations

import abc
import dataclasses
import os


@dataclasses.dataclass(frozen=True)
class RegisterNames:
    """The registers the core wants from a debugger for the executable's
    architecture: the innermost frame's (for DWARF locations), every thread's
    (those and the TLS base, for goroutine commands), the stack pointer, and
    Go's integer argument registers in order."""

    goarch: str
    frame: tuple[str, ...]
    thread: tuple[str, ...]
    sp: str
    arguments: tuple[str, ...]


_REGISTER_NAMES: dict = {}  # (executable, mtime) -> RegisterNames


def register_names(executable: str) -> RegisterNames:
    """The architecture's register names, from the core (read once per build)."""
    from gomapdbg.loader import core

    try:
        key = (executable, os.stat(executable).st_mtime_ns)
    except OSError:
        key = (executable, None)
    if key not in _REGISTER_NAMES:
        names = core.register_names(executable)
        _REGISTER_NAMES[key] = RegisterNames(
            names["goarch"],
            tuple(names["frame"]),
            tuple(names["thread"]),
            names["sp"],
            tuple(names["arguments"]),
        )
    return _REGISTER_NAMES[key]


@dataclasses.dataclass
class FrameInfo:
    """The selected stack frame as the debugger unwound it."""

    pc: int
    sp: int
    innermost: bool
    registers: dict[str, int]
    # How many calls inlined into its physical frame's function the frame is
    # (0: the function itself), as the debugger's inline frames tell.
    inline_depth: int = 0


@dataclasses.dataclass
class DebugFile:
    """A separate file holding the program's DWARF and symbols (the
    unstripped build of a stripped program, or what objcopy --only-keep-debug
    kept of it); the core checks that it is the same build."""

    path: str
    origin: str  # how it was found, for `go info`: "given with --debug-file", "GDB's symbol-file"


@dataclasses.dataclass
class ThreadInfo:
    """One OS thread: its LWP id, the registers of its innermost frame (those
    register_names(...).thread lists, when the debugger has them) and the
    debugger's own number for it (GDB's `info threads` Id, LLDB's index id)."""

    tid: int
    registers: dict[str, int]
    selected: bool = False
    number: int | None = None


class Debugger(abc.ABC):
    """What the commands need from GDB or LLDB, and nothing more."""

    name: str = "debugger"
    # Whether arm_catch and disarm_catch work here (`go catch`).
    can_set_breakpoints: bool = False
    # Whether the running command said first that the core is of another
    # program (gomapdbg.target.say_core_mismatch): its output leaves it out.
    core_mismatch_said: bool = False

    @abc.abstractmethod
    def executable(self) -> str | None:
        """Path of the main executable, or None if none is loaded."""

    def debug_file(self) -> DebugFile | None:
        """The file with the program's debug info, when it is not the
        executable itself (a stripped program's separate debug file)."""
        return None

    @abc.abstractmethod
    def has_process(self) -> bool:
        """True when there is a live process or a core file to read."""

    @abc.abstractmethod
    def is_core(self) -> bool:
        """True when the memory comes from a core file."""

    def core_path(self) -> str | None:
        """The core file's path when the debugger can tell, else None."""
        return None

    def reads_core_directly(self) -> bool:
        """True when no debugger is there to read the core (standalone)."""
        return False

    @abc.abstractmethod
    def live_pid(self) -> int | None:
        """PID of a live process on this machine, else None."""

    @abc.abstractmethod
    def read_memory(self, address: int, size: int) -> bytes | None:
        """All `size` bytes at `address`, or None if any is unreadable."""

    @abc.abstractmethod
    def selected_frame(self) -> FrameInfo | None:
        """The selected frame, or None without a process."""

    def threads(self) -> list[ThreadInfo]:
        """Every thread of the process or core; the selection is left as it was."""
        return []

    def thread_numbers(self) -> dict[int, int]:
        """The debugger's own thread numbers by OS thread id (for a core the
        C++ core reads itself, whose threads come from the file); none
        without a debugger."""
        return {}

    def selected_thread_id(self) -> int | None:
        """The OS thread id of the selected thread (a core read directly
        brings its own threads; this keeps the debugger's selection)."""
        return None

    def stop_siginfo(self) -> bytes | None:
        """The siginfo_t (its first 24+ bytes, as the kernel lays it out) of
        the signal the selected thread stopped with, or None."""
        return None

    def arm_catch(self, entries: dict[str, int]) -> None:
        """Breakpoints on these function entries (name -> address) that report
        the first fatal error of a process (gomapdbg.catch), replacing any
        armed before. Only where can_set_breakpoints."""
        raise NotImplementedError(f"{self.name} cannot set breakpoints")

    def disarm_catch(self) -> None:
        """Removes the breakpoints of arm_catch. Only where can_set_breakpoints."""
        raise NotImplementedError(f"{self.name} cannot set breakpoints")

    def use_colour(self) -> bool:
        """Whether text output is coloured: as the debugger colours its own,
        and never with NO_COLOR set (to anything, https://no-color.org)."""
        return "NO_COLOR" not in os.environ and self.colours_output()

    def colours_output(self) -> bool:
        """Whether the debugger colours its own output now: its setting is on
        and its output is a terminal."""
        return False

    def output_width(self) -> int:
        """The terminal's columns, where long text lines break; 0 (not a
        terminal, or an unlimited width) never breaks them."""
        return 0

    @abc.abstractmethod
    def write(self, text: str) -> None:
        """Writes command output."""
