"""Builds the core's Target for a command: the executable, where memory comes
from, and the selected frame.

Threads (for goroutine commands): the debugger's, or a core file's own when
the core reads it directly.

Memory: a core file whose path the front end knows (GDB, LLDB, standalone)
is read by the C++ core itself (memory-mapped, bounded memory at any map
size); otherwise through the debugger. A live local process is read through
/proc/PID/mem (one syscall per read). GOMAPDBG_MEMORY=debugger forces the
debugger's own memory API everywhere.
"""

from __future__ import annotations

import os
import time

from gomapdbg.arguments import goroutine_id
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
            frame = core.Frame(info.pc, info.sp, info.innermost, info.registers)
        mode = memory_mode()
        pid = dbg.live_pid()
        if (mode != "debugger" or dbg.reads_core_directly()) and dbg.is_core() and dbg.core_path():
            kwargs["core"] = dbg.core_path()  # brings its own threads (NT_PRSTATUS)
            kwargs["selected_tid"] = dbg.selected_thread_id()
        elif mode != "debugger" and pid and not dbg.is_core() and os.access(f"/proc/{pid}/mem", os.R_OK):
            kwargs["pid"] = pid
        else:
            kwargs["read"] = dbg.read_memory
            if dbg.is_core():
                kwargs["checked_core"] = dbg.core_path()
        if pid and not dbg.is_core():
            # The Go runtime's nanotime() is CLOCK_MONOTONIC: how long goroutines waited.
            kwargs["clock_now"] = time.monotonic_ns()
        if "core" not in kwargs and need_threads:
            kwargs["threads"] = [core.Thread(t.tid, t.registers, t.selected) for t in dbg.threads()]
    elif need_process:
        raise core.UsageError("no process or core file: run the program, attach, or load a core")
    debug = dbg.debug_file()
    return core.Target(exe, frame=frame, debug_file=debug.path if debug else "", **kwargs)


def add_frame_options(parser) -> None:
    """--goroutine/--frame: read locals from a frame of the tool's own
    unwinder instead of the debugger's selected frame."""
    parser.add_argument(
        "-g",
        "--goroutine",
        type=goroutine_id,
        metavar="GOID",
        help="read locals in this goroutine's stack (default with --frame: the one go bt shows)",
    )
    parser.add_argument(
        "-f",
        "--frame",
        metavar="N|FUNC",
        help="frame N as go bt numbers it, or the innermost frame of function FUNC "
        "(default with --goroutine: 0)",
    )


def make_frame_target(dbg: Debugger, args):
    """make_target, with the frame --goroutine/--frame name when given.
    Returns (target, description of that frame or None)."""
    if args.goroutine is None and args.frame is None:
        return make_target(dbg, need_process=True), None
    target = make_target(dbg, need_process=True, need_threads=True, need_frame=False)
    where = core.select_goroutine_frame(target, goroutine=args.goroutine, frame=args.frame or "0")
    return target, where
