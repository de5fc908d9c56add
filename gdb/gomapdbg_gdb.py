"""gomapdbg for GDB: `source gdb/gomapdbg_gdb.py`, then `go map`, `go print`,
`go locals`, `go goroutines`, ...; `print m` shows a Go map's contents.

This file only adapts GDB (memory, registers, output, command registration,
the pretty-printer); the commands themselves live in core/python/gomapdbg.
"""

import os
import struct
import sys

import gdb


def _here():
    """This file's path; `source` in GDB may leave __file__ pointing elsewhere."""


_REPO = os.path.dirname(os.path.dirname(os.path.abspath(_here.__code__.co_filename)))
if os.path.join(_REPO, "core", "python") not in sys.path:
    sys.path.insert(0, os.path.join(_REPO, "core", "python"))

# Pure Python: loads without the C++ core, whose load error _register reports.
from gomapdbg.debugger import ThreadInfo, register_names  # noqa: E402
from gomapdbg.debugger import DebugFile, Debugger, FrameInfo  # noqa: E402


class GdbDebugger(Debugger):
    name = "gdb"
    can_set_breakpoints = True

    def executable(self):
        """GDB's exec file: the program (after `symbol-file DEBUG`,
        Progspace.filename is DEBUG's)."""
        progspace = gdb.current_progspace()
        exe = getattr(progspace, "executable_filename", None)  # GDB 14
        return exe or _info_target_file("exec file") or progspace.filename

    def debug_file(self):
        """Where GDB reads the program's symbols from, when not the program:
        a separate debug file GDB found itself (debug-file-directory,
        .build-id/xx/yyyy.debug, debuglink), the file of `symbol-file`, or
        a Go binary added with `add-symbol-file`."""
        exe = self.executable()
        if not exe:
            return None
        progspace = gdb.current_progspace()
        objfiles = [o for o in progspace.objfiles() if o.is_valid()]
        for objfile in objfiles:
            owner = objfile.owner
            if owner is not None and owner.is_valid() and _same_file(owner.filename, exe):
                return DebugFile(objfile.filename, "GDB's separate debug file for it")
        if progspace.filename and not _same_file(progspace.filename, exe):
            return DebugFile(progspace.filename, "GDB's symbol-file")
        for objfile in objfiles:
            name = objfile.filename
            # Skips the vDSO ("system-supplied DSO at 0x...") and shared libraries (no Go build ID).
            if objfile.owner is None and name and os.path.isabs(name) and not _same_file(name, exe):
                if _has_go_build_id(name):
                    return DebugFile(name, "GDB's add-symbol-file")
        return None

    def _inferior(self):
        return gdb.selected_inferior()

    def has_process(self):
        return self._inferior().pid != 0 and gdb.selected_thread() is not None

    def is_core(self):
        connection = getattr(self._inferior(), "connection", None)
        return connection is not None and connection.type == "core"

    def core_path(self):
        return _info_target_file("core dump file")

    def live_pid(self):
        connection = getattr(self._inferior(), "connection", None)
        if connection is None or connection.type != "native":
            return None
        return self._inferior().pid or None

    def read_memory(self, address, size):
        try:
            return self._inferior().read_memory(address, size).tobytes()
        except (gdb.MemoryError, gdb.error, OverflowError):
            return None

    def selected_frame(self):
        try:
            frame = gdb.selected_frame()
        except gdb.error:
            return None
        innermost = _in_newest_physical_frame(frame)
        registers = _read_registers(frame, register_names(self.executable()).frame) if innermost else {}
        sp = int(frame.read_register(register_names(self.executable()).sp)) & 0xFFFFFFFFFFFFFFFF
        return FrameInfo(
            pc=frame.pc(), sp=sp, innermost=innermost, registers=registers, inline_depth=_inline_depth(frame)
        )

    def threads(self):
        try:
            selected_thread = gdb.selected_thread()
        except gdb.error:
            return []
        names = register_names(self.executable())
        try:
            selected_frame = gdb.selected_frame()
        except gdb.error:
            selected_frame = None
        out = []
        try:
            for thread in self._inferior().threads():
                if not thread.is_valid():
                    continue
                thread.switch()
                try:
                    frame = gdb.newest_frame()
                except gdb.error:
                    continue
                registers = _read_registers(frame, names.thread)
                out.append(ThreadInfo(_tid(thread), registers, thread == selected_thread, thread.num))
        finally:
            if selected_thread is not None and selected_thread.is_valid():
                selected_thread.switch()
                if selected_frame is not None and selected_frame.is_valid():
                    selected_frame.select()
        return out

    def thread_numbers(self):
        return {_tid(t): t.num for t in self._inferior().threads() if t.is_valid()}

    def selected_thread_id(self):
        try:
            thread = gdb.selected_thread()
        except gdb.error:
            return None
        if thread is None:
            return None
        return _tid(thread)

    def stop_siginfo(self):
        # $_siginfo is the kernel's siginfo_t of the selected thread's stop.
        try:
            info = gdb.parse_and_eval("$_siginfo")
            signo, errno, code = (int(info[f]) for f in ("si_signo", "si_errno", "si_code"))
            fields = info["_sifields"]
            if code <= 0:  # sent by a process: si_pid, si_uid
                kill = fields["_kill"]
                tail = struct.pack("<iI", int(kill["si_pid"]), int(kill["si_uid"]) & 0xFFFFFFFF)
            else:
                tail = struct.pack("<Q", int(fields["_sigfault"]["si_addr"]) & 0xFFFFFFFFFFFFFFFF)
        except (gdb.error, ValueError):
            return None
        return struct.pack("<iii4x", signo, errno, code) + tail

    def arm_catch(self, entries):
        _arm_catch(entries)

    def disarm_catch(self):
        _disarm_catch()

    def colours_output(self):
        return bool(gdb.parameter("style enabled")) and os.isatty(1)

    def output_width(self):
        return (gdb.parameter("width") or 0) if os.isatty(1) else 0  # None: unlimited

    def write(self, text):
        gdb.write(text)


def _tid(thread):
    """The OS thread id (LWP) of a GDB thread."""
    return thread.ptid[1] or thread.ptid[2] or thread.ptid[0]


def _in_newest_physical_frame(frame):
    """Whether FRAME shares the newest frame's registers: it is that frame,
    or only calls inlined into its function are newer."""
    newer = frame.newer()
    while newer is not None:
        if newer.type() != gdb.INLINE_FRAME:
            return False
        newer = newer.newer()
    return True


def _inline_depth(frame):
    """How many calls inlined into its physical frame's function FRAME is
    (0: the function itself): GDB's inline frames from FRAME outwards."""
    depth = 0
    while frame is not None and frame.type() == gdb.INLINE_FRAME and depth < 64:
        depth += 1
        frame = frame.older()
    return depth


def _read_registers(frame, names):
    """The named registers the frame has, as unsigned 64-bit values."""
    registers = {}
    for name in names:
        try:
            registers[name] = int(frame.read_register(name)) & 0xFFFFFFFFFFFFFFFF
        except (gdb.error, ValueError):
            pass
    return registers


def _info_target_file(kind):
    """The file `info target` names for "core dump file" or "exec file".
    GDB 13: "Local core dump file:" then "\t`/path/core', file type ...";
    older GDBs put both on one line."""
    try:
        lines = gdb.execute("info target", to_string=True).splitlines()
    except gdb.error:
        return None
    for i, line in enumerate(lines):
        if kind not in line:
            continue
        for candidate in lines[i : i + 2]:
            if "`" in candidate:
                return candidate.split("`", 1)[1].split("'", 1)[0]
    return None


def _same_file(a, b):
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a == b


_GO_BUILD_IDS: dict = {}  # (path, mtime) -> whether the file has a Go build ID


def _has_go_build_id(path):
    try:
        key = (path, os.stat(path).st_mtime_ns)
    except OSError:
        return False
    if key not in _GO_BUILD_IDS:
        from gomapdbg.loader import core

        try:
            _GO_BUILD_IDS[key] = bool(core.build_ids(path)[0])
        except core.Error:
            _GO_BUILD_IDS[key] = False
    return _GO_BUILD_IDS[key]


class _FatalBreakpoint(gdb.Breakpoint):
    """A breakpoint on a runtime fatal function (go catch); stops only at the
    first fatal of a process, the stop handler reports it."""

    def __init__(self, function, address):
        super().__init__(f"*{address:#x}", internal=True)
        self.function = function

    def stop(self):
        from gomapdbg import catch

        return catch.should_stop(_process_key())


def _process_key():
    """The process go catch reports once: its pid, or for a remote target,
    whose pid may be the same for every program (qemu-user's stub says 1),
    the LWP of its first thread."""
    inferior = gdb.selected_inferior()
    connection = getattr(inferior, "connection", None)
    if connection is None or connection.type == "native":
        return inferior.pid
    threads = [t for t in inferior.threads() if t.is_valid()]
    return _tid(min(threads, key=lambda t: t.num)) if threads else inferior.pid


_CATCH_BREAKPOINTS: list = []
_CATCH_CONNECTED: list = []


def _on_stop(event):
    from gomapdbg import catch
    from gomapdbg.commands.catch_command import report_caught

    if not catch.STATE.armed:
        return
    pid = _process_key()
    if isinstance(event, gdb.BreakpointEvent):
        hits = [b for b in event.breakpoints if isinstance(b, _FatalBreakpoint)]
        if hits:
            report_caught(GdbDebugger(), pid, hits[0].function)
    elif isinstance(event, gdb.SignalEvent) and event.stop_signal == "SIGABRT":
        report_caught(GdbDebugger(), pid, None, "SIGABRT")


def _arm_catch(entries):
    from gomapdbg import catch

    _disarm_catch()
    for function, address in entries.items():
        _CATCH_BREAKPOINTS.append(_FatalBreakpoint(function, address))
    gdb.execute(f"handle {' '.join(catch.PANIC_SIGNALS)} nostop noprint pass", to_string=True)
    if not _CATCH_CONNECTED:
        gdb.events.stop.connect(_on_stop)
        _CATCH_CONNECTED.append(True)


def _disarm_catch():
    for bp in _CATCH_BREAKPOINTS:
        if bp.is_valid():
            bp.delete()
    _CATCH_BREAKPOINTS.clear()


def _register():
    try:
        from gomapdbg.commands import COMMANDS, complete_command, help_text, run_command, short_help
    except ImportError as e:
        gdb.write(f"{e}\n", gdb.STDERR)
        return False

    debugger = GdbDebugger()

    class GoPrefix(gdb.Command):
        """Go runtime forensics (gomapdbg): Go maps, values, goroutines and crashes.
        'help go COMMAND' shows a command's arguments and options."""

        def __init__(self):
            super().__init__("go", gdb.COMMAND_DATA, gdb.COMPLETE_COMMAND, True)

        def invoke(self, argument, from_tty):
            if argument.strip():
                raise gdb.GdbError(f'Undefined go command: "{argument.split()[0]}".  Try "help go".')
            gdb.execute("help go", from_tty)

    GoPrefix()

    for name in COMMANDS:

        class GoCommand(gdb.Command):
            # GDB's `help go` lists each command's first line.
            __doc__ = f"{short_help(name)}\n\n{help_text(name)}"

            def __init__(self, command=name):
                super().__init__("go " + command, gdb.COMMAND_DATA)
                self.command = command

            def invoke(self, argument, from_tty):
                error = run_command(debugger, self.command, argument)
                if error:
                    raise gdb.GdbError(error)

            def complete(self, text, word):
                if word is None:
                    return []  # GDB only asks for word-break characters: its defaults do
                return _completions_of_word(complete_command(debugger, self.command, text), text, word)

        GoCommand()
    return True


def _completions_of_word(candidates, text, word):
    """GDB completes `word`, the end of the last word as typed (quotes
    included) after its word-break characters ('-', '.', ...): the
    candidates are whole words, cut to what replaces `word`."""
    from gomapdbg.completion import last_token

    token = last_token(text)
    cut = len(token) - len(word)
    return [c[cut:] for c in candidates if cut >= 0]


# Largest element count asked of the core when `set print elements` is unlimited.
_UNLIMITED_ELEMENTS = 1 << 20
# Entries a map shows as a frame argument (bt, frame, info frame): GDB prints
# arguments in summary form there (`set print frame-arguments scalars`, the
# default), and a frame line is no place for 200 entries.
_FRAME_ARGUMENT_ELEMENTS = 3


def _map_type_names(gdb_type):
    """The Go type names of a map value, outermost first (main.Index,
    map[string]int), or None when it is not a map.

    Go's DWARF describes map[K]V as a typedef of a pointer to the runtime's
    header struct (hash<K,V> for classic maps, map<K,V> for swiss ones); a
    named map type is a typedef of that typedef or of the pointer itself."""
    names = []
    t = gdb_type
    for _ in range(8):
        t = t.unqualified()
        if t.code != gdb.TYPE_CODE_TYPEDEF:
            break
        if t.name:
            names.append(t.name)
        t = t.target()
    if not names or t.code != gdb.TYPE_CODE_PTR:
        return None
    header = t.target().unqualified()
    if any(n.startswith("map[") for n in names) or (header.name or "").startswith(("hash<", "map<")):
        return names
    return None


def _is_sync_map(gdb_type):
    """Whether a value is a sync.Map itself (the struct; a *sync.Map stays a pointer)."""
    t = gdb_type.unqualified()
    # Go's DWARF names the struct and a typedef of it "sync.Map".
    return t.name == "sync.Map" and t.strip_typedefs().code == gdb.TYPE_CODE_STRUCT


class _GoMapPrinter:
    """Prints a Go map as the core renders it inline: map[K]V{k: v, ...},
    entries in the order Go's fmt prints them, at most `set print elements`
    of them (a few in a frame line). A sync.Map the same way, from its own
    address: sync.Map{k: v, ...}."""

    def __init__(self, debugger, value, names, sync_map=False):
        self._debugger = debugger
        self._value = value
        self._names = names
        self._sync_map = sync_map

    def _limit(self):
        """`set print elements`, or a short limit in a frame line: GDB prints
        frame arguments in summary mode (print_options()["summary"], GDB 13)."""
        options = gdb.print_options() if hasattr(gdb, "print_options") else {}
        limit = options.get("max_elements", gdb.parameter("print elements"))
        # Unlimited: None or 0 from gdb.parameter, UINT_MAX from print_options.
        limit = _UNLIMITED_ELEMENTS if not limit or limit < 0 else min(limit, _UNLIMITED_ELEMENTS)
        return min(limit, _FRAME_ARGUMENT_ELEMENTS) if options.get("summary") else limit

    def to_string(self):
        from gomapdbg.loader import core  # loaded: the printer is registered only then
        from gomapdbg.target import make_target

        try:
            if self._sync_map:
                address = int(self._value.address) & 0xFFFFFFFFFFFFFFFF
            else:
                address = int(self._value.cast(self._value.type.strip_typedefs())) & 0xFFFFFFFFFFFFFFFF
            if address == 0:
                return "nil"
            # Without a process GDB shows the executable's static data; so does the core.
            target = make_target(self._debugger, need_process=False)
            error = None
            for name in self._names:  # the named type first, then its map[K]V
                try:
                    return core.render_value(target, address, name, self._limit())
                except core.NotFoundError as e:
                    error = e
            raise error
        except (core.Error, gdb.error, gdb.MemoryError) as e:
            return f"<gomapdbg: {e}>"
        except Exception as e:  # noqa: BLE001 - never let a traceback reach the user
            return f"<gomapdbg: internal error: {type(e).__name__}: {e}>"


def _register_pretty_printer():
    import gdb.printing

    debugger = GdbDebugger()

    class GoMapPrettyPrinter(gdb.printing.PrettyPrinter):
        """Go maps and sync.Maps through the gomapdbg core ('disable pretty-printer global gomapdbg')."""

        def __init__(self):
            super().__init__("gomapdbg", [gdb.printing.SubPrettyPrinter("map")])

        def __call__(self, value):
            if not self.enabled or not self.subprinters[0].enabled:
                return None
            if _is_sync_map(value.type) and value.address is not None:
                return _GoMapPrinter(debugger, value, ["sync.Map"], sync_map=True)
            names = _map_type_names(value.type)
            return _GoMapPrinter(debugger, value, names) if names else None

    gdb.printing.register_pretty_printer(None, GoMapPrettyPrinter(), replace=True)


# True while gomapdbg holds `auto-load python-scripts` off for a Go program (see below).
_PYTHON_AUTO_LOAD_OFF: list = []
_SAID_GO_SCRIPT: list = []


def _decline_go_runtime_script(event):
    """Keeps GDB from auto-loading the Go runtime-gdb.py a new objfile names,
    without GDB's ten-line safe-path warning, and says so once.

    GDB has no per-file refusal (a safe-path entry only allows), but it
    calls this before it auto-loads the objfile's scripts, so `auto-load
    python-scripts` goes off until the next prompt. Not sooner: on the
    command line (`gdb PROG CORE`) GDB auto-loads every objfile's scripts
    only after the core's, just before -ex. So in batch mode the Python
    scripts of libraries the program loads later stay off too (for a Go
    program, at most the libstdc++ printers of a cgo one). Needs the plugin
    loaded before the program (a system or home gdbinit, -iex); with -ex it
    comes too late and GDB warns."""
    from gomapdbg.runtime_gdb_script import named_script

    script = named_script(event.new_objfile.filename)
    if script is None:
        return
    if not _PYTHON_AUTO_LOAD_OFF:
        if not gdb.parameter("auto-load python-scripts"):
            return  # the user's own setting: nothing auto-loads, nothing to say
        gdb.execute("set auto-load python-scripts off", to_string=True)
        _PYTHON_AUTO_LOAD_OFF.append(True)
    if os.path.exists(script) and not _SAID_GO_SCRIPT:
        _SAID_GO_SCRIPT.append(True)
        gdb.write(
            f"gomapdbg: not auto-loading {script} (Go's map printer would override gomapdbg's; "
            "`source` it to use it anyway)\n"
        )


def _restore_python_auto_load():
    if _PYTHON_AUTO_LOAD_OFF:
        _PYTHON_AUTO_LOAD_OFF.clear()
        gdb.execute("set auto-load python-scripts on", to_string=True)


if _register():
    _register_pretty_printer()
    gdb.events.new_objfile.connect(_decline_go_runtime_script)
    gdb.events.before_prompt.connect(_restore_python_auto_load)
