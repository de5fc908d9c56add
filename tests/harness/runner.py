"""Runs a test program's spec in one debugger and mode, and checks it."""

from __future__ import annotations

import dataclasses
import os
import resource
import shutil
import signal
import subprocess
import time

from harness import checks, programs
from harness.json_schema import schema_failures
from harness.session import SessionSpec, facts, run_session, start_under_stub, stop_stub, substitute
from harness.toolchains import Toolchain
from harness.truth import read_truth

CRASH_TIMEOUT = 300


def _allow_core():
    resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))


def produce_core(binary: str, workdir: str, env: dict[str, str], emulator: tuple[str, ...] = ()) -> str:
    """Runs the program (under `emulator`, if any) until it dies by SIGABRT
    (GOTRACEBACK=crash) and returns its core file, which the kernel writes to
    the working directory; under qemu-user, the guest core qemu writes there
    itself (qemu_PROGRAM_DATE-TIME_PID.core, an ELF core of the guest)."""
    pattern = open("/proc/sys/kernel/core_pattern").read().strip()
    if pattern.startswith("|") or "/" in pattern:
        raise AssertionError(
            f"kernel.core_pattern is {pattern!r}: cores must land in the working directory "
            "(scripts/setup sets it to 'core')"
        )
    _clear_cores(workdir)
    if emulator:
        # The kernel would also dump the emulator itself (an x86-64 core of
        # ~200 MB): a directory in the way of its `core` keeps it from that
        # (it unlinks an old core file first, but cannot a directory).
        os.mkdir(os.path.join(workdir, "core"))
    full_env = dict(os.environ, GOTRACEBACK="crash", **env)
    res = subprocess.run(
        [*emulator, binary],
        cwd=workdir,
        env=full_env,
        preexec_fn=_allow_core,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=CRASH_TIMEOUT,
        stdin=subprocess.DEVNULL,
    )
    if emulator:
        shutil.rmtree(os.path.join(workdir, "core"))
    # qemu-user dies of the guest's signal too: SIGABRT either way.
    if res.returncode != -signal.SIGABRT:
        raise AssertionError(f"{binary} exited {res.returncode}, expected SIGABRT:\n{res.stderr[-3000:]}")
    cores = [n for n in os.listdir(workdir) if _is_core_name(n, emulator)]
    if not cores:
        raise AssertionError(f"{binary} died by SIGABRT but left no core in {workdir}")
    return os.path.join(workdir, cores[0])


def _is_core_name(name: str, emulator: tuple[str, ...]) -> bool:
    if emulator:
        return name.startswith("qemu_") and name.endswith(".core")
    return name == "core" or name.startswith("core.")


def _clear_cores(workdir: str) -> None:
    """Removes the cores an earlier crash left in WORKDIR (each crash needs its own)."""
    for name in os.listdir(workdir):
        path = os.path.join(workdir, name)
        if name.startswith("core") or _is_core_name(name, ("qemu",)):
            if os.path.isdir(path):
                shutil.rmtree(path)
            else:
                os.unlink(path)


_crash_cores: dict[tuple[str, str], tuple[str, str, str]] = {}


def crash_core(name: str, tc: Toolchain, tmp_path_factory) -> tuple[str, str, str]:
    """(binary, core, truth) of program NAME crashed under GOMAPDBG_MODE=crash,
    made once per test run and toolchain (the corruption tests damage copies)."""
    key = (name, tc.name)
    if key not in _crash_cores:
        work = str(tmp_path_factory.mktemp(f"{name}-core-{tc.name}"))
        binary = programs.build(name, tc)
        truth = os.path.join(work, "truth.txt")
        core = produce_core(binary, work, {"GOMAPDBG_MODE": "crash", "GOMAPDBG_TRUTH": truth}, tc.emulator)
        _crash_cores[key] = (binary, core, truth)
    return _crash_cores[key]


def start_for_attach(
    binary: str, workdir: str, env: dict[str, str], truth_path: str, emulator: tuple[str, ...] = ()
) -> subprocess.Popen:
    """Starts the program outside any debugger and returns once it has
    written its truth; GOMAPDBG_WAIT_TRACER asks it to wait for a tracer
    before it does what the test observes. Under an emulator (qemu-user),
    the closest to it: the program started under qemu's gdbstub, which holds
    it at its first instruction until a debugger connects (qemu-user 7.2
    accepts one connection, at the start only); the returned process has
    `stub`, the socket to connect to, and the truth comes once it runs."""
    if emulator:
        return start_under_stub(emulator, binary, workdir, env)
    program = subprocess.Popen(
        [binary],
        cwd=workdir,
        env=dict(os.environ, GOMAPDBG_WAIT_TRACER="1", **env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and program.poll() is None:
        if os.path.exists(truth_path) and open(truth_path).read().endswith("\n"):
            return program
        time.sleep(0.02)
    program.kill()
    program.wait()
    raise AssertionError(
        f"{binary} wrote no truth to {truth_path} before attaching (exit {program.returncode})"
    )


@dataclasses.dataclass
class CellRun:
    """One debugger session of a program's commands, checked: what each
    command printed and what its checks found wrong."""

    commands: list[programs.Command]
    outputs: list[str]
    failures: list[list[str]]  # per command
    transcript_log: str | None  # where the transcript went, when a check failed


def run_program(
    name: str, tc: Toolchain, debugger: str, mode: str, workdir: str, *options, **named
) -> list[str]:
    """Builds NAME (with the spec's ldflags, or `ldflags` instead), runs its
    commands (or `commands` instead) in one debugger session, checks their
    output and returns it (one text per command). `watch` (live): (EXPR, file, line) to stop at
    before the race and `go watch EXPR` there. With check=False the outputs
    come back unchecked (and the core stays, for a second look).
    `truth_values` adds facts to the program's truth (for {value:NAME}).
    The options are run_cell's: extra_env (the debugger's), ldflags,
    program_env, watch, check, truth_values, commands."""
    run = run_cell(name, tc, debugger, mode, workdir, *options, **named)
    failures = [f for per_command in run.failures for f in per_command]
    if failures:
        raise AssertionError(
            f"{len(failures)} check(s) failed (transcript: {run.transcript_log}):\n\n"
            + "\n\n".join(failures[:8])
        )
    return run.outputs


def program_session(
    spec: programs.ProgramSpec,
    binary: str,
    tc: Toolchain,
    mode: str,
    commands: list[str],
    truth_path: str,
    env: dict[str, str],
) -> SessionSpec:
    """A session on BINARY, the program `spec` declares: stopped (live) at its
    #break line or function, or at the throw under `go catch` for #catch."""
    return SessionSpec(
        binary=binary,
        mode=mode,
        commands=commands,
        truth=truth_path,
        layout=tc.map_layout,
        grow_function=tc.grow_function,
        growth_file=tc.growth_stop[0],
        growth_line=tc.growth_stop[1],
        version=tc.version_prefix,
        break_file=spec.source,
        break_line=spec.break_line,
        break_function=spec.break_function,
        catch=spec.catch,
        env=env,
        goarch=tc.goarch,
        emulator=list(tc.emulator),
    )


def live_session(name: str, tc: Toolchain, workdir: str, commands: list[str], **program_env) -> SessionSpec:
    """The session of program NAME launched under the debugger (built first),
    its truth in WORKDIR, PROGRAM_ENV added to its environment."""
    spec = programs.parse_spec(name)
    binary = programs.build(name, tc, spec.ldflags)
    truth_path = os.path.join(workdir, "truth.txt")
    env = {"GOMAPDBG_TRUTH": truth_path, **program_env}
    return program_session(spec, binary, tc, "live", commands, truth_path, env)


def core_session(
    tc: Toolchain, binary: str, core: str, truth: str, commands: list[str], **extra
) -> SessionSpec:
    """The session of BINARY's CORE (the program's truth in TRUTH); EXTRA
    are more SessionSpec fields."""
    return SessionSpec(
        binary=binary,
        mode="core",
        commands=commands,
        truth=truth,
        layout=tc.map_layout,
        version=tc.version_prefix,
        core=core,
        goarch=tc.goarch,
        **extra,
    )


def run_cell(
    name: str,
    tc: Toolchain,
    debugger: str,
    mode: str,
    workdir: str,
    extra_env: dict[str, str] | None = None,
    ldflags: str | None = None,
    program_env: dict[str, str] | None = None,
    watch: tuple[str, str, int] | None = None,
    check: bool = True,
    truth_values: dict[str, str] | None = None,
    commands: list[programs.Command] | None = None,
) -> CellRun:
    """run_program's session and checks, each command's failures apart."""
    spec = programs.parse_spec(name)
    binary = programs.build(name, tc, spec.ldflags if ldflags is None else ldflags)
    if commands is None:
        commands = commands_of(spec, debugger, mode, tc)
    truth_path = os.path.join(workdir, "truth.txt")
    env = {"GOMAPDBG_TRUTH": truth_path, **(program_env or {})}
    core = None
    program = None
    if mode == "core":
        core = produce_core(binary, workdir, dict(env, GOMAPDBG_MODE="crash"), tc.emulator)
    elif mode == "attach":
        program = start_for_attach(binary, workdir, env, truth_path, tc.emulator)
    session = program_session(spec, binary, tc, mode, [c.text for c in commands], truth_path, env)
    session.core = core
    session.remote = getattr(program, "stub", None)
    session.pid = program.pid if program and not session.remote else None
    if watch:
        session.watch_expression, session.watch_file, session.watch_line = watch
    session.env.update(extra_env or {})
    try:
        outputs, transcript = run_session(debugger, session, workdir)
    finally:
        if program:
            stop_stub(program)
    if not check:
        return CellRun(commands, outputs, [[] for _ in commands], None)
    failures = _command_failures(commands, outputs, transcript, truth_path, tc, truth_values)
    log = None
    if any(failures):
        log = os.path.join(workdir, f"transcript-{debugger}-{mode}.txt")
        with open(log, "w") as f:
            f.write(transcript)
    elif core:
        os.unlink(core)  # cores are large; keep the disk clear
    if not any(failures):
        shutil.rmtree(os.path.join(workdir, "__pycache__"), ignore_errors=True)
    return CellRun(commands, outputs, failures, log)


def commands_of(
    spec: programs.ProgramSpec, debugger: str, mode: str, tc: Toolchain
) -> list[programs.Command]:
    """The spec's commands for a cell; an attached process is a live one."""
    commands = spec.commands_for(debugger, "live" if mode == "attach" else mode, tc.map_layout)
    if not commands:
        raise AssertionError(f"{spec.name} has no commands for {debugger}/{mode}")
    return commands


def _command_failures(
    commands: list[programs.Command],
    outputs: list[str],
    transcript: str,
    truth_path: str,
    tc: Toolchain,
    truth_values: dict[str, str] | None,
) -> list[list[str]]:
    """What each command's checks found wrong, with its output's start."""
    truth = read_truth(truth_path)
    truth.values.update(facts(transcript))
    truth.values.update(truth_values or {})  # facts the test knows from the source
    fill_spec = {
        "layout": tc.map_layout,
        "version": tc.version_prefix,
        "grow_function": tc.grow_function,
        "growth_file": tc.growth_stop[0],
        "growth_line": tc.growth_stop[1],
    }
    failures = []
    for command, output in zip(commands, outputs):
        problems = checks.evaluate(
            output, command.checks, truth, tc.map_layout, lambda text: substitute(text, fill_spec, truth)
        )
        problems += schema_failures(command.text, output)
        failures.append(
            [
                f"`{command.text}`: {p}\n--- its output (first 40 lines, cut at 400 characters):\n"
                + "\n".join(line[:400] for line in output.splitlines()[:40])
                for p in problems
            ]
        )
    return failures
