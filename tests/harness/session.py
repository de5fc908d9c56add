"""Runs one debugger session on a test program and splits its output by command.

Both debuggers are driven from inside, by a small Python driver that the
debugger itself runs (gdb -batch -x gdb_driver.py; LLDB through its SB API in
lldb_driver.py; with no debugger at all, scripts/gomapdbg's code path in
standalone_driver.py, on core files): it loads the plugin, stops the program (live at the #break
line, or on its core file), fills in the templates from the truth file the
program wrote, and runs each command after a marker line.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import queue
import re
import shutil
import subprocess
import tempfile
import threading
import time

from harness.toolchains import REPO

MARKER = "<<<gomapdbg-command {}>>>"
DONE = "<<<gomapdbg-driver-done>>>"
# What the debugger itself says (not gomapdbg), e.g. the core's signalled thread.
FACT = "<<<gomapdbg-fact {}={}>>>"
_FACT_RE = re.compile(r"^<<<gomapdbg-fact (\w+)=(.*)>>>$", re.M)
_MARKER_RE = re.compile(r"^<<<gomapdbg-command (\d+)>>>$", re.M)
SESSION_TIMEOUT = 600
# Registers a checkpoint reports (the flags register is named per debugger).
GENERAL_REGISTERS = (
    "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
    "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rip",
)  # fmt: skip


def lldb_python_path() -> str:
    """Where LLDB's own Python module lives (Debian's dist-packages link to it is broken)."""
    out = subprocess.run(["lldb-16", "-P"], capture_output=True, text=True, check=True, timeout=60)
    return out.stdout.strip()


@dataclasses.dataclass
class SessionSpec:
    binary: str
    mode: str  # "live" (launched), "attach" (started outside, `pid`) or "core"
    commands: list[str]
    truth: str  # path of the truth file (written by the program)
    layout: str  # expected map layout, for {layout}
    version: str  # expected version prefix, for {version}
    grow_function: str = ""  # for {grow_function}
    growth_file: str = ""  # for {growth_file}: {growth_line}
    growth_line: int = 0
    core: str | None = None
    pid: int | None = None
    break_file: str | None = None
    break_line: int | None = None
    break_function: str | None = None
    catch: bool = False
    # Live, before the race: stop at watch_file:watch_line, `go watch
    # watch_expression` (a hardware write log of the map), then go on under
    # `go catch` (the corpus of realistic races, testprogs/races).
    watch_expression: str | None = None
    watch_file: str | None = None
    watch_line: int | None = None
    env: dict[str, str] = dataclasses.field(default_factory=dict)
    # Debugger commands before the program is loaded (`set debug-file-directory
    # DIR`) and after it and its core are (`symbol-file DEBUG`, `target
    # symbols add DEBUG`); their output comes before the first command's.
    early_setup: list[str] = dataclasses.field(default_factory=list)
    setup: list[str] = dataclasses.field(default_factory=list)
    # Standalone: the separate debug file (scripts/gomapdbg --debug-file).
    debug_file: str | None = None
    # Read-only test hooks (live mode): a FIFO the driver waits on at each
    # checkpoint (before the first command and after each one), files for
    # the program's stdout and stderr (stdout_file + ".err"), and whether to
    # detach at the end and let the program run alone to its end.
    checkpoints: str | None = None
    stdout_file: str | None = None
    finish: bool = False
    # A program of another architecture than this machine's (arm64): the
    # debugger is GDB_FOR[goarch]; live, the program runs under `emulator`
    # (qemu-user) with its gdbstub, which holds it at its first instruction
    # until the debugger connects to `remote` (a Unix socket) instead of
    # launching it (attach: connecting to a stub started before the session).
    goarch: str = "amd64"
    emulator: list[str] = dataclasses.field(default_factory=list)
    remote: str | None = None


# The GDB that reads a program of each architecture.
GDB_FOR = {"amd64": "gdb", "arm64": "gdb-multiarch"}
STUB_TIMEOUT = 30


def start_under_stub(
    emulator, binary: str, workdir: str, env: dict[str, str], stdout_file: str | None = None
) -> subprocess.Popen:
    """Starts BINARY under qemu-user's gdbstub (`-g SOCKET`), holding at its
    first instruction until a debugger connects; returns the emulator's
    process with `stub`, the socket's path. A Unix socket in a directory of
    its own: parallel test workers can never pick the same one (a TCP port
    would have to be free, and stay so until qemu binds it)."""
    stub = os.path.join(tempfile.mkdtemp(prefix="gomapdbg-stub-"), "gdb.sock")
    out_path = stdout_file or os.path.join(workdir, "program-stdout.txt")
    with open(out_path, "w") as out, open(out_path + ".err", "w") as err:
        program = subprocess.Popen(
            [*emulator, "-g", stub, binary],
            cwd=workdir,
            env=dict(os.environ, **env, GODEBUG=_without_async_preemption(env.get("GODEBUG"))),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
        )
    program.stub = stub
    deadline = time.monotonic() + STUB_TIMEOUT
    while not os.path.exists(stub):
        if program.poll() is not None or time.monotonic() > deadline:
            stop_stub(program)
            raise AssertionError(
                f"{' '.join(emulator)} -g {stub} {binary} did not listen (exit {program.returncode}): "
                + open(out_path + ".err").read()[-2000:]
            )
        time.sleep(0.01)
    return program


def _without_async_preemption(godebug: str | None) -> str:
    """GODEBUG with asyncpreemptoff=1: qemu-user 7.2's gdbstub deadlocks
    now and then (GDB waiting for a stop, qemu's thread for a packet) when
    the Go runtime's preemption signal (SIGURG) meets a breakpoint stop of
    another thread; measured 3 hangs in 8 GDB sessions of basic_maps with
    it, none in 10 without."""
    return ",".join(filter(None, [godebug, "asyncpreemptoff=1"]))


def stop_stub(program: subprocess.Popen) -> None:
    """Ends a program started for a session (the debugger may have killed it already)."""
    if program.poll() is None:
        program.kill()
    program.wait()
    stub = getattr(program, "stub", None)
    if stub:
        shutil.rmtree(os.path.dirname(stub), ignore_errors=True)


@contextlib.contextmanager
def emulated_program(spec: SessionSpec, workdir: str):
    """A live session's program under an emulator, for the session's time:
    started under its gdbstub (spec.remote) and ended after. Native programs
    and those already started (attach) are left to the debugger."""
    if not spec.emulator or spec.mode != "live" or spec.remote:
        yield
        return
    program = start_under_stub(spec.emulator, spec.binary, workdir, spec.env, spec.stdout_file)
    spec.remote = program.stub
    try:
        yield
    finally:
        stop_stub(program)
        spec.remote = None


def substitute(text: str, spec: dict, truth) -> str:
    """Fills {layout}, {version}, {addr:NAME}, {type:NAME}, {value:NAME},
    {thread:FACT}."""

    def one(m: re.Match) -> str:
        key, _, name = m.group(1).partition(":")
        if key == "layout":
            return spec["layout"]
        if key in ("grow_function", "growth_file"):
            return spec[key]
        if key == "growth_line":
            return str(spec[key])
        if key == "version":
            return spec["version"]
        if key == "addr":
            return hex(truth.maps[name].address)
        if key == "type":
            return truth.maps[name].type
        if key == "value":
            return truth.values[name]
        if key in ("crash_tid", "selected_tid"):
            return truth.values[key]
        if key == "thread":
            return thread_name(truth.values, name)
        raise KeyError(f"unknown template {{{m.group(1)}}}")

    return re.sub(r"\{([a-z_]+(?::[A-Za-z0-9_]+)?)\}", one, text)


def without_thread_numbers(text: str) -> str:
    """The output without the debugger's own thread numbers ("thread 4242
    (#3)" becomes "thread 4242"): what the standalone tool, which has none,
    shows."""
    return re.sub(r"\b(thread \d+) \(#\d+\)", r"\1", text)


def thread_name(values: dict[str, str], fact: str) -> str:
    """How a go command names the thread whose LWP is the fact `fact`
    ("crash_tid"): "thread 4242 (#3)", with the number the debugger's own
    thread listing gives it (the fact `thread_numbers`, "NUMBER:TID ..."),
    or "thread 4242" without a debugger."""
    tid = values[fact]
    numbers = {t: n for n, t in (pair.split(":") for pair in values.get("thread_numbers", "").split())}
    return f"thread {tid}" + (f" (#{numbers[tid]})" if tid in numbers else "")


def split_output(stdout: str, count: int) -> list[str]:
    """The output of each command, by the markers the drivers print."""
    outputs = [""] * count
    stdout = stdout.split(DONE, 1)[0]  # the last command's output ends there
    parts = _MARKER_RE.split(stdout)
    for i in range(1, len(parts) - 1, 2):
        outputs[int(parts[i])] = parts[i + 1].strip("\n")
    return outputs


_CHECKPOINT_RE = re.compile(r"^<<<gomapdbg-checkpoint (\d+) (\d+) (\{.*\})>>>$")


def run_checkpointed_session(
    debugger: str, spec: SessionSpec, workdir: str, on_checkpoint
) -> tuple[list[str], str]:
    """Like run_session, but the driver stops at each checkpoint (the debuggee
    stopped) until on_checkpoint(index, pid, registers) has returned."""
    spec.checkpoints = os.path.join(workdir, "checkpoints.fifo")
    if not os.path.exists(spec.checkpoints):
        os.mkfifo(spec.checkpoints)
    with emulated_program(spec, workdir):
        return _run_checkpointed_session(debugger, spec, workdir, on_checkpoint)


def _run_checkpointed_session(
    debugger: str, spec: SessionSpec, workdir: str, on_checkpoint
) -> tuple[list[str], str]:
    cmd, env = _session_command(debugger, spec, workdir)
    stderr_path = os.path.join(workdir, f"stderr-{debugger}.txt")
    with open(stderr_path, "w") as stderr:
        proc = subprocess.Popen(
            cmd,
            cwd=workdir,
            env=env,
            stdout=subprocess.PIPE,
            stderr=stderr,
            stdin=subprocess.DEVNULL,
            text=True,
            errors="replace",
        )
        timer = threading.Timer(SESSION_TIMEOUT, proc.kill)
        timer.start()
        lines = []
        checkpoints: queue.Queue = queue.Queue()

        def drain():
            # Reads the driver's output without ever stopping, so that it
            # cannot block on a full pipe while the test works on a checkpoint.
            for line in proc.stdout:
                lines.append(line)
                if _CHECKPOINT_RE.match(line.rstrip("\n")):
                    checkpoints.put(line)
            checkpoints.put(None)

        reader = threading.Thread(target=drain, daemon=True)
        reader.start()
        try:
            while (line := checkpoints.get()) is not None:
                m = _CHECKPOINT_RE.match(line.rstrip("\n"))
                on_checkpoint(int(m.group(1)), int(m.group(2)), json.loads(m.group(3)))
                _release(spec.checkpoints, proc, int(m.group(1)))
            reader.join()
            proc.wait()
        finally:
            timer.cancel()
            if proc.poll() is None:
                proc.kill()
    stdout = "".join(lines)
    transcript = f"$ {' '.join(cmd)}\n[exit {proc.returncode}]\n--- stdout\n{stdout}\n--- stderr\n{open(stderr_path).read()}"
    if DONE not in stdout:
        raise AssertionError(f"{debugger} session did not finish:\n{transcript[-6000:]}")
    return split_output(_CHECKPOINT_LINE_RE.sub("", stdout), len(spec.commands)), transcript


def _release(fifo: str, proc: subprocess.Popen, index: int) -> None:
    """Lets the driver go on from checkpoint `index`, unless it has died
    (never blocks on the FIFO)."""
    while True:
        try:
            fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError:  # ENXIO: the driver has not opened it yet
            if proc.poll() is not None:
                return
            time.sleep(0.01)
            continue
        os.write(fd, f"go {index}\n".encode())
        os.close(fd)
        return


def wait_for_release(fifo: str, index: int) -> None:
    """The driver's side of a checkpoint: returns once the test has written
    `go INDEX`. An end of file alone releases nothing: the driver's next
    open can meet the writer of the previous release still open (between its
    write and its close), and that reader then sees only the end of file;
    taking it for a release let the driver run ahead of the test, detach
    and let the debuggee run to its end while the test thought it stopped."""
    want = f"go {index}"
    while True:
        with open(fifo) as f:
            for line in f:
                if line.strip() == want:
                    return


_CHECKPOINT_LINE_RE = re.compile(r"^<<<gomapdbg-checkpoint .*\n", re.M)


def facts(transcript: str) -> dict[str, str]:
    """The debugger facts a driver printed (FACT lines)."""
    return dict(_FACT_RE.findall(transcript))


def run_session(debugger: str, spec: SessionSpec, workdir: str) -> tuple[list[str], str]:
    """Returns (outputs per command, the whole transcript)."""
    with emulated_program(spec, workdir):
        cmd, env = _session_command(debugger, spec, workdir)
        res = subprocess.run(
            cmd,
            cwd=workdir,
            env=env,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=SESSION_TIMEOUT,
            stdin=subprocess.DEVNULL,
        )
    transcript = (
        f"$ {' '.join(cmd)}\n[exit {res.returncode}]\n--- stdout\n{res.stdout}\n--- stderr\n{res.stderr}"
    )
    if DONE not in res.stdout:
        raise AssertionError(f"{debugger} session did not finish:\n{transcript[-6000:]}")
    return split_output(res.stdout, len(spec.commands)), transcript


def _session_command(debugger: str, spec: SessionSpec, workdir: str) -> tuple[list[str], dict[str, str]]:
    """The driver's command line and environment for a session."""
    spec_path = os.path.join(workdir, f"session-{debugger}-{spec.mode}.json")
    with open(spec_path, "w") as f:
        json.dump(dataclasses.asdict(spec), f)
    env = dict(os.environ)
    env.update(spec.env)
    env["GOMAPDBG_SESSION"] = spec_path
    env["GOMAPDBG_REPO"] = REPO
    env["PYTHONPATH"] = os.path.join(REPO, "tests")
    if debugger == "lldb":
        env["PYTHONPATH"] = lldb_python_path() + os.pathsep + env["PYTHONPATH"]
        # liblldb loaded into a plain Python cannot find its server by itself.
        env.setdefault("LLDB_DEBUGSERVER_PATH", "/usr/lib/llvm-16/bin/lldb-server")
    here = os.path.dirname(os.path.abspath(__file__))
    if debugger == "gdb":
        cmd = [
            GDB_FOR[spec.goarch],
            "-nx",
            "-batch",
            "-iex",
            "set debuginfod enabled off",
            "-x",
            os.path.join(here, "gdb_driver.py"),
        ]
    elif debugger == "lldb":
        cmd = ["/usr/bin/python3", os.path.join(here, "lldb_driver.py")]
    else:  # "standalone": the Python module on the core file, no debugger
        cmd = ["/usr/bin/python3", os.path.join(here, "standalone_driver.py")]
    return cmd, env
