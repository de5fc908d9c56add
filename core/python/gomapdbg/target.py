"""Builds the core's Target for a command: the executable, where memory comes
from, and the selected frame.

Threads (for goroutine commands): the debugger's, or a core file's own when
the core reads it directly.

Memory: a core file whose path the front end knows (GDB, LLDB, standalone)
is read by the C++ core itself (memory-mapped, bounded memory at any map
size); otherwise through the debugger. A live local process is read through
/proc/PID/mem (one syscall per read); a remote one (a gdbserver, qemu-user's
gdbstub) through the debugger. GOMAPDBG_MEMORY=debugger forces the
debugger's own memory API everywhere.
"""

from __future__ import annotations

import os
import time

from gomapdbg.arguments import GOROUTINE_FRAMES, GOROUTINE_IDS, completes, goroutine_id
from gomapdbg.debugger import Debugger
from gomapdbg.loader import core


def memory_mode() -> str:
    mode = os.environ.get("GOMAPDBG_MEMORY", "auto")
    if mode not in ("auto", "debugger", "direct"):
        raise core.UsageError(f"GOMAPDBG_MEMORY={mode!r}: use auto, debugger or direct")
    return mode


def make_target(dbg: Debugger, need_process: bool, need_threads: bool = False, need_frame: bool = True):
    """need_frame=False skips the debugger's selected frame (commands that
    unwind goroutines themselves; GDB may take a while to build frame #0)."""
    exe = dbg.executable()
    if not exe:
        raise core.UsageError("no executable loaded (file PROGRAM first)")
    frame = None
    kwargs = {}
    if dbg.has_process():
        info = dbg.selected_frame() if need_frame else None
        if info is not None:
            frame = core.Frame(info.pc, info.sp, info.innermost, info.registers, info.inline_depth)
        mode = memory_mode()
        pid = local_pid(dbg)
        if (mode != "debugger" or dbg.reads_core_directly()) and dbg.is_core() and dbg.core_path():
            kwargs["core"] = dbg.core_path()  # brings its own threads (NT_PRSTATUS)
            kwargs["selected_tid"] = dbg.selected_thread_id()
            if need_threads:
                kwargs["thread_numbers"] = dbg.thread_numbers()
        elif mode != "debugger" and pid and os.access(f"/proc/{pid}/mem", os.R_OK):
            kwargs["pid"] = pid
        else:
            kwargs["read"] = dbg.read_memory
            if dbg.is_core():
                kwargs["checked_core"] = dbg.core_path()
        if pid:
            # The Go runtime's nanotime() is CLOCK_MONOTONIC: how long goroutines waited.
            kwargs["clock_now"] = time.monotonic_ns()
        if dbg.is_core():
            kwargs["core_mismatch"] = core_mismatch(dbg) or ""
            kwargs["mismatch_said"] = dbg.core_mismatch_said
        if "core" not in kwargs and need_threads:
            kwargs["threads"] = [core.Thread(t.tid, t.registers, t.selected, t.number) for t in dbg.threads()]
    elif need_process:
        raise core.UsageError("no process or core file: run the program, attach, or load a core")
    debug = dbg.debug_file()
    return core.Target(exe, frame=frame, debug_file=debug.path if debug else "", **kwargs)


def local_pid(dbg: Debugger) -> int | None:
    """The live process's pid when /proc/PID/mem on this machine is its
    memory: the process runs the executable. A remote stub's pid is not (a
    gdbserver elsewhere, or qemu-user's, which says 1 for every program and
    whose own pid is the emulator's, the guest at other addresses): then
    memory goes through the debugger."""
    pid = dbg.live_pid()
    exe = dbg.executable()
    if not pid or not exe or dbg.is_core():
        return None
    try:
        return pid if os.path.samefile(f"/proc/{pid}/exe", exe) else None
    except OSError:
        return None


_CORE_MISMATCHES: dict = {}  # (core, executable, their mtimes) -> core.core_mismatch


def core_mismatch(dbg: Debugger) -> str | None:
    """The line saying the debugger's core file was dumped by another program
    or build than its executable (naming both), or None; read once per pair."""
    if not dbg.has_process() or not dbg.is_core():
        return None
    core_file, exe = dbg.core_path(), dbg.executable()
    if not core_file or not exe:
        return None
    try:
        key = (core_file, exe, os.stat(core_file).st_mtime_ns, os.stat(exe).st_mtime_ns)
    except OSError:
        return None
    if key not in _CORE_MISMATCHES:
        try:
            _CORE_MISMATCHES[key] = core.core_mismatch(core_file, exe)
        except core.Error:
            _CORE_MISMATCHES[key] = None  # an unreadable core says so itself
    return _CORE_MISMATCHES[key]


def say_core_mismatch(dbg: Debugger, json: bool) -> None:
    """A core of another program: said before anything else a command
    prints (JSON output carries it in its "warnings" instead)."""
    mismatch = None if json else core_mismatch(dbg)
    dbg.core_mismatch_said = mismatch is not None
    if mismatch:
        dbg.write(f"warning: {mismatch}\n")


def add_frame_options(parser) -> None:
    """--goroutine/--frame: read locals from a frame of the tool's own
    unwinder instead of the debugger's selected frame."""
    goroutine = parser.add_argument(
        "-g",
        "--goroutine",
        type=goroutine_id,
        metavar="GOID",
        help="read locals in this goroutine's stack (default with --frame: the one go bt shows)",
    )
    completes(goroutine, GOROUTINE_IDS)
    frame = parser.add_argument(
        "-f",
        "--frame",
        metavar="N|FUNC",
        help="frame N as go bt numbers it, or the innermost frame of function FUNC "
        "(default with --goroutine: 0)",
    )
    completes(frame, GOROUTINE_FRAMES)


def make_frame_target(dbg: Debugger, args):
    """make_target, with the frame --goroutine/--frame name when given.
    Returns (target, description of that frame or None)."""
    if args.goroutine is None and args.frame is None:
        return make_target(dbg, need_process=True), None
    target = make_target(dbg, need_process=True, need_threads=True, need_frame=False)
    where = core.select_goroutine_frame(target, goroutine=args.goroutine, frame=args.frame or "0")
    return target, where
