"""gomapdbg for LLDB: `command script import lldb/gomapdbg_lldb.py`, then
`go map`, `go print`, `go locals`, `go info`.

LLDB has no Go support; nothing here uses its type system. This file only
adapts LLDB (memory, registers, output, command registration); the commands
themselves live in core/python/gomapdbg.
"""

import os
import re
import sys

import lldb


# `command script import` imports this file as a module: __file__ is its path.
_REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if os.path.join(_REPO, "core", "python") not in sys.path:
    sys.path.insert(0, os.path.join(_REPO, "core", "python"))

# Pure Python: loads without the C++ core, whose load error __lldb_init_module reports.
from gomapdbg.debugger import ThreadInfo, register_names  # noqa: E402
from gomapdbg.debugger import DebugFile, Debugger, FrameInfo  # noqa: E402


def _siginfo(thread):
    data = thread.GetSiginfo().GetData()
    error = lldb.SBError()
    raw = data.ReadRawData(error, 0, min(data.GetByteSize(), 128)) if data.IsValid() else None
    return raw if error.Success() and raw and len(raw) >= 24 else None


def _is_siginfo_of(raw, signo):
    return raw is not None and int.from_bytes(raw[:4], "little") == signo


class LldbDebugger(Debugger):
    name = "lldb"
    can_set_breakpoints = True

    def __init__(self, debugger, exe_ctx, result):
        self._debugger = debugger
        self._target = exe_ctx.GetTarget() if exe_ctx.GetTarget().IsValid() else debugger.GetSelectedTarget()
        self._process = exe_ctx.GetProcess() if exe_ctx.GetProcess().IsValid() else self._target.GetProcess()
        self._frame = exe_ctx.GetFrame()
        self._result = result
        # Without a result object (a breakpoint callback or stop hook), write
        # to LLDB's output file.
        self._stream = _command_line_output(debugger) if result is not None else debugger.GetOutputFile()

    def executable(self):
        if not self._target.IsValid():
            return None
        exe = self._target.GetExecutable()
        return exe.fullpath if exe.IsValid() else None

    def debug_file(self):
        """The executable module's symbol file when it is another file:
        `target symbols add DEBUG` (`-s PROGRAM DEBUG` when the program has no
        GNU build-id), or one LLDB found in target.debug-file-search-paths."""
        if not self._target.IsValid():
            return None
        module = self._target.FindModule(self._target.GetExecutable())
        if not module.IsValid():
            return None
        symbols = module.GetSymbolFileSpec()
        path, exe = symbols.fullpath if symbols.IsValid() else None, module.GetFileSpec().fullpath
        if not path or not exe or path == exe:
            return None
        try:
            if os.path.samefile(path, exe):
                return None
        except OSError:
            pass
        return DebugFile(path, "LLDB's symbol file for it")

    def has_process(self):
        return self._process.IsValid() and self._process.GetState() not in (
            lldb.eStateInvalid,
            lldb.eStateUnloaded,
            lldb.eStateExited,
            lldb.eStateDetached,
        )

    def is_core(self):
        return self._process.IsValid() and self._process.GetPluginName() == "elf-core"

    def core_path(self):
        """The core file of this process. LLDB 16 has no API for it, but its
        elf-core plugin keeps the file memory-mapped: the mapped ELF core
        whose threads are this process's threads."""
        if not self.is_core():
            return None
        tids = {self._process.GetThreadAtIndex(i).GetThreadID() for i in range(self._process.GetNumThreads())}
        exe = self.executable()
        for path in _mapped_core_files():
            key = (path, exe, frozenset(tids))
            if key not in _CORE_MATCHES:
                from gomapdbg.loader import core

                try:
                    _CORE_MATCHES[key] = {t[0] for t in core.core_threads(path, exe)} == tids
                except core.Error:
                    _CORE_MATCHES[key] = False
            if _CORE_MATCHES[key]:
                return path
        return None

    def live_pid(self):
        if not self.has_process() or self.is_core():
            return None
        if self._target.GetPlatform().GetName() != "host":
            return None
        return self._process.GetProcessID() or None

    def read_memory(self, address, size):
        error = lldb.SBError()
        data = self._process.ReadMemory(address, size, error)
        if error.Fail() or data is None or len(data) != size:
            return None
        return bytes(data)

    def selected_frame(self):
        frame = self._frame
        if not frame or not frame.IsValid():
            thread = self._process.GetSelectedThread()
            frame = thread.GetSelectedFrame() if thread.IsValid() else None
        if not frame or not frame.IsValid():
            return None
        thread = frame.GetThread()
        index = frame.GetFrameID()
        # Frames newer than this one that are calls inlined into it share its registers.
        innermost = all(thread.GetFrameAtIndex(i).IsInlined() for i in range(index))
        registers = _read_registers(frame, register_names(self.executable()).frame) if innermost else {}
        depth = 0
        while depth < 64 and thread.GetFrameAtIndex(index + depth).IsInlined():
            depth += 1
        return FrameInfo(
            pc=frame.GetPC(), sp=frame.GetSP(), innermost=innermost, registers=registers, inline_depth=depth
        )

    def threads(self):
        if not self.has_process():
            return []
        # In a breakpoint callback or stop hook the context's thread is the
        # one that stopped; LLDB may not have selected it yet.
        selected = self._frame.GetThread() if self._frame and self._frame.IsValid() else lldb.SBThread()
        if not selected.IsValid():
            selected = self._process.GetSelectedThread()
        selected_id = selected.GetThreadID() if selected.IsValid() else None
        names = register_names(self.executable())
        out = []
        for index in range(self._process.GetNumThreads()):
            thread = self._process.GetThreadAtIndex(index)
            frame = thread.GetFrameAtIndex(0)
            if not frame.IsValid():
                continue
            registers = _read_registers(frame, names.thread)
            out.append(
                ThreadInfo(
                    thread.GetThreadID(), registers, thread.GetThreadID() == selected_id, thread.GetIndexID()
                )
            )
        return out

    def thread_numbers(self):
        if not self.has_process():
            return {}
        threads = (self._process.GetThreadAtIndex(i) for i in range(self._process.GetNumThreads()))
        return {t.GetThreadID(): t.GetIndexID() for t in threads}

    def selected_thread_id(self):
        thread = self._frame.GetThread() if self._frame and self._frame.IsValid() else lldb.SBThread()
        if not thread.IsValid():
            thread = self._process.GetSelectedThread()
        return thread.GetThreadID() if thread.IsValid() else None

    def stop_siginfo(self):
        # The thread whose signal LLDB stopped for: the selected one, else
        # another (a SIGCHLD that arrived with it may be the selected one's).
        signals = self._process.GetUnixSignals()

        def stopped_for(thread):
            return (
                thread.IsValid()
                and thread.GetStopReason() == lldb.eStopReasonSignal
                and signals.GetShouldStop(thread.GetStopReasonDataAtIndex(0))
            )

        thread = self._frame.GetThread() if self._frame and self._frame.IsValid() else lldb.SBThread()
        if not stopped_for(thread):
            thread = self._process.GetSelectedThread()
        if not stopped_for(thread):
            thread = next((t for t in self._process if stopped_for(t)), lldb.SBThread())
        if not thread.IsValid():
            return None
        signo = thread.GetStopReasonDataAtIndex(0)
        raw = _siginfo(thread)
        if not _is_siginfo_of(raw, signo):
            raw = self._siginfo_as_current(thread)
        return raw if _is_siginfo_of(raw, signo) else None

    def _siginfo_as_current(self, thread):
        # lldb-server answers qXfer:siginfo with its current thread's
        # siginfo whichever thread asks (two threads stopped by signals at
        # once): make the thread current for the read, then give the server
        # back the thread it had, so LLDB's own view stays as it was.
        current = re.search(r"QC(?:p[0-9a-f]+\.)?([0-9a-f]+)", self._packet("qC"))
        if not current or "OK" not in self._packet(f"Hg{thread.GetThreadID():x}"):
            return None
        try:
            return _siginfo(thread)
        finally:
            self._packet(f"Hg{current.group(1)}")

    def _packet(self, packet):
        result = lldb.SBCommandReturnObject()
        command = f"process plugin packet send {packet}"
        self._debugger.GetCommandInterpreter().HandleCommand(command, result)
        return result.GetOutput() if result.Succeeded() else ""

    def arm_catch(self, entries):
        """Breakpoints on the fatal functions, a callback that reports, and a
        stop hook for SIGABRT (gomapdbg.catch)."""
        from gomapdbg import catch

        self.disarm_catch()
        for address in entries.values():
            # A file address resolves in the executable's module even before
            # the process runs (a bare load address would stay unresolved).
            bp = self._target.BreakpointCreateBySBAddress(self._target.ResolveFileAddress(address))
            bp.SetScriptCallbackFunction(f"{__name__}._catch_hit")
            bp.AddName(CATCH_BREAKPOINT_NAME)
        interpreter = self._debugger.GetCommandInterpreter()
        result = lldb.SBCommandReturnObject()
        if not _CATCH_HOOK:
            interpreter.HandleCommand(f"target stop-hook add -P {__name__}.CatchStopHook", result)
            _CATCH_HOOK.append(True)
        signals = " ".join(catch.PANIC_SIGNALS)
        interpreter.HandleCommand(f"process handle -p true -s false -n false {signals}", result)

    def disarm_catch(self):
        """Deletes the breakpoints named gomapdbg_catch, and only them."""
        named = lldb.SBBreakpointList(self._target)
        self._target.FindBreakpointsByName(CATCH_BREAKPOINT_NAME, named)
        for bp_id in [named.GetBreakpointAtIndex(i).GetID() for i in range(named.GetSize())]:
            self._target.BreakpointDelete(bp_id)

    def colours_output(self):
        return self._debugger.GetUseColor() and os.isatty(1)

    def output_width(self):
        return self._debugger.GetTerminalWidth() if os.isatty(1) else 0

    def write(self, text):
        # LLDB turns Ctrl-C into an interrupt request, not a SIGINT that
        # Python would see: honour it between output chunks.
        if self._debugger.GetCommandInterpreter().WasInterrupted():
            raise KeyboardInterrupt
        if self._stream is not None:
            self._stream.Write(text.encode("utf-8", "surrogateescape"))
            self._stream.Flush()
        else:
            self._result.Print(text)


def _read_registers(frame, names):
    """The named registers the frame has, as unsigned values."""
    registers = {}
    for name in names:
        value = frame.FindRegister(name)
        if value.IsValid():
            registers[name] = value.GetValueAsUnsigned()
    return registers


_CORE_MATCHES: dict = {}  # (core path, executable, thread ids) -> whether they belong together


def _mapped_core_files():
    """Regular files mapped into this (LLDB's) process that are ELF core
    files (e_type ET_CORE), in map order."""
    paths = []
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                fields = line.split(maxsplit=5)
                if len(fields) == 6 and fields[5].startswith("/"):
                    path = fields[5].rstrip("\n")
                    if path not in paths:
                        paths.append(path)
    except OSError:
        return []
    out = []
    for path in paths:
        try:
            with open(path, "rb") as f:
                header = f.read(18)
        except OSError:
            continue
        if len(header) == 18 and header[:4] == b"\x7fELF" and header[16:18] == b"\x04\x00":
            out.append(path)
    return out


# What `breakpoint list` calls go catch's breakpoints (LLDB allows no '-' in
# breakpoint names).
CATCH_BREAKPOINT_NAME = "gomapdbg_catch"
_CATCH_HOOK: list[bool] = []


def _process_key(process):
    """The process go catch reports once: its pid, or for a remote target,
    whose pid may be the same for every program (qemu-user's stub says 1),
    the thread id of its first thread."""
    if process.GetTarget().GetPlatform().GetName() == "host":
        return process.GetProcessID()
    threads = [process.GetThreadAtIndex(i) for i in range(process.GetNumThreads())]
    first = min(threads, key=lambda t: t.GetIndexID(), default=None)
    return first.GetThreadID() if first is not None else process.GetProcessID()


def _catch_hit(frame, bp_loc, internal_dict):
    """Breakpoint callback on a fatal function: report at the first hit per
    process (returning True stops), pass later hits of the same fatal path."""
    from gomapdbg import catch
    from gomapdbg.commands.catch_command import report_caught

    process = frame.GetThread().GetProcess()
    pid = _process_key(process)
    if not catch.should_stop(pid):
        return False
    debugger = process.GetTarget().GetDebugger()
    dbg = LldbDebugger(debugger, lldb.SBExecutionContext(frame), None)
    report_caught(dbg, pid, catch.STATE.function_at(frame.GetPC()))
    return True


class CatchStopHook:
    """Reports a SIGABRT stop (GOTRACEBACK=crash) the breakpoints missed."""

    def __init__(self, target, extra_args, internal_dict):
        pass

    def handle_stop(self, exe_ctx, stream):
        from gomapdbg import catch
        from gomapdbg.commands.catch_command import report_caught

        thread = exe_ctx.GetThread()
        if (
            catch.STATE.armed
            and thread.IsValid()
            and thread.GetStopReason() == lldb.eStopReasonSignal
            and thread.GetStopReasonDataAtIndex(0) == 6
        ):
            pid = _process_key(exe_ctx.GetProcess())
            dbg = LldbDebugger(exe_ctx.GetTarget().GetDebugger(), exe_ctx, None)
            report_caught(dbg, pid, None, "SIGABRT")
        return True


def _command_line_output(debugger):
    """LLDB's output file when the command runs from LLDB's command line, else
    None (a script's SB API call, whose result object must get the text).

    From the command line, LLDB prints a command's result only when it is
    done, keeping all of it in memory first, and then writes it a line at a
    time, two unbuffered writes per line: 2 million syscalls for a
    million-entry map. Writing to its output file ourselves streams the text
    in the core's 256 KiB chunks instead. The command line is recognised by
    its input handler (which answers Ctrl-D with "quit"); an SB API caller
    without one gets its output in the result as before.
    """
    if not debugger.GetCommandInterpreter().GetIOHandlerControlSequence("d"):
        return None
    out = debugger.GetOutputFile()
    return out if out.IsValid() else None


def _make_command_class(name, run_command, help_text, short_help):
    class GoCommand:
        def __init__(self, debugger, internal_dict):
            pass

        def __call__(self, debugger, command, exe_ctx, result):
            error = run_command(LldbDebugger(debugger, exe_ctx, result), name, command)
            if error:
                result.SetError(error)

        def get_short_help(self):
            return short_help(name)

        def get_long_help(self):
            return help_text(name)

    GoCommand.__name__ = f"Go{name.capitalize()}Command"
    return GoCommand


def __lldb_init_module(debugger, internal_dict):
    try:
        from gomapdbg.commands import COMMANDS, help_text, run_command, short_help
    except ImportError as e:
        print(e)
        return
    # `help go` (and `go` alone) lists each command with its get_short_help.
    debugger.HandleCommand(
        'command container add -h "Go runtime forensics (gomapdbg): Go maps, values, goroutines and crashes." go'
    )
    for name in COMMANDS:
        cls = _make_command_class(name, run_command, help_text, short_help)
        globals()[cls.__name__] = cls
        debugger.HandleCommand(f"command script add -c {__name__}.{cls.__name__} go {name}")
    # Go's runtime preempts goroutines with SIGURG; stopping on each is noise.
    # Through a result object: HandleCommand would print the handle table.
    debugger.GetCommandInterpreter().HandleCommand(
        "process handle -p true -s false -n false SIGURG", lldb.SBCommandReturnObject()
    )
