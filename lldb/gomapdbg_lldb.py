"""gomapdbg for LLDB: `command script import lldb/gomapdbg_lldb.py`, then
`go map`, `go print`, `go locals`, `go info`.

LLDB has no Go support; nothing here uses its type system. This file only
adapts LLDB (memory, registers, output, command registration); the commands
themselves live in core/python/gomapdbg.
"""

import os
import sys

import lldb


def _here():
    """This file's path; `source` in GDB may leave __file__ pointing elsewhere."""


_REPO = os.path.dirname(os.path.dirname(os.path.abspath(_here.__code__.co_filename)))
if os.path.join(_REPO, "core", "python") not in sys.path:
    sys.path.insert(0, os.path.join(_REPO, "core", "python"))

_REGISTERS = (
    "rax",
    "rdx",
    "rcx",
    "rbx",
    "rsi",
    "rdi",
    "rbp",
    "rsp",
    "r8",
    "r9",
    "r10",
    "r11",
    "r12",
    "r13",
    "r14",
    "r15",
    "rip",
)


class LldbDebugger:
    name = "lldb"

    def __init__(self, debugger, exe_ctx, result):
        self._debugger = debugger
        self._target = exe_ctx.GetTarget() if exe_ctx.GetTarget().IsValid() else debugger.GetSelectedTarget()
        self._process = exe_ctx.GetProcess() if exe_ctx.GetProcess().IsValid() else self._target.GetProcess()
        self._frame = exe_ctx.GetFrame()
        self._result = result

    def executable(self):
        if not self._target.IsValid():
            return None
        exe = self._target.GetExecutable()
        return exe.fullpath if exe.IsValid() else None

    def has_process(self):
        return self._process.IsValid() and self._process.GetState() not in (
            lldb.eStateInvalid,
            lldb.eStateUnloaded,
            lldb.eStateExited,
            lldb.eStateDetached,
        )

    def is_core(self):
        return self._process.IsValid() and self._process.GetPluginName() == "elf-core"

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
        from gomapdbg import FrameInfo

        frame = self._frame
        if not frame or not frame.IsValid():
            thread = self._process.GetSelectedThread()
            frame = thread.GetSelectedFrame() if thread.IsValid() else None
        if not frame or not frame.IsValid():
            return None
        innermost = frame.GetFrameID() == 0
        registers = {}
        if innermost:
            for name in _REGISTERS:
                value = frame.FindRegister(name)
                if value.IsValid():
                    registers[name] = value.GetValueAsUnsigned()
        return FrameInfo(pc=frame.GetPC(), sp=frame.GetSP(), innermost=innermost, registers=registers)

    def write(self, text):
        self._result.Print(text)


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
    debugger.HandleCommand(
        'command container add -h "Go runtime forensics (gomapdbg): go map, go print, go locals, go info." go'
    )
    for name in COMMANDS:
        cls = _make_command_class(name, run_command, help_text, short_help)
        globals()[cls.__name__] = cls
        debugger.HandleCommand(f"command script add -c {__name__}.{cls.__name__} go {name}")
    # Go's runtime preempts goroutines with SIGURG; stopping on each is noise.
    debugger.HandleCommand("process handle -p true -s false -n false SIGURG")
