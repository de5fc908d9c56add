"""Crash cores as production leaves them, of testprogs/crash_writers built
with every toolchain:

- a stripped program (objcopy --strip-all of the build) whose DWARF and
  symbols come from its unstripped twin or from what objcopy
  --only-keep-debug kept: `scripts/gomapdbg --debug-file`, GDB's
  `symbol-file` and its own search of debug-file-directory by build-id,
  LLDB's `target symbols add`. Every command prints exactly what it prints
  with the unstripped program itself, whose report names what the
  program's truth says; `go info` names the debug file and the build IDs
  the toolchain's own tools read; another build (`-ldflags='-s -w'`) is
  refused in one line;
- compressed cores (zstd, lz4, xz, as systemd-coredump stores them):
  reported exactly like the plain core, the temporary file gone afterwards,
  also after an error or an interrupt;
- `scripts/gomapdbg-catch --coredumpctl` on a systemd-coredump entry, with
  a stand-in coredumpctl (tests/harness/fake_coredumpctl: systemd-coredump
  does not run in containers or CI);
- a -trimpath build: the file names the runtime itself reports
  (runtime.Caller) in `go bt`, and `go info` saying the build was trimmed.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import signal
import subprocess
import time

import pytest

from harness import checks, production, programs
from harness.programs import Check
from harness.checks.report import check_report
from harness.runner import core_session, produce_core
from harness.session import facts, run_session, substitute, without_thread_numbers
from harness.toolchains import REPO, Toolchain, distinct, newest, selected
from harness.truth import read_truth

GOMAPDBG = os.path.join(REPO, "scripts", "gomapdbg")
CATCH = os.path.join(REPO, "scripts", "gomapdbg-catch")
FAKE_COREDUMPCTL = os.path.join(REPO, "tests", "harness", "fake_coredumpctl")
# A crash is a race: in a few percent of runs the report cannot name the
# other accessor (see test_crash_report). A core is kept once the
# unstripped program's report of it agrees with the truth.
ATTEMPTS = 3

# Commands whose output must not change with where the DWARF comes from.
COMMANDS = [
    "go report --json",
    "go report --entries 3",
    "go map main.ints --limit 4",
    "go locals --frame main.writeInts",
    "go bt",
    "go goroutines --user",
]


@dataclasses.dataclass
class Crash:
    unstripped: str
    stripped: str
    core: str  # dumped by the stripped program
    truth: str
    reference: list[str]  # COMMANDS' outputs with the unstripped program (standalone)


_crashes: dict[tuple[str, str], Crash] = {}


def session(tc: Toolchain, front_end: str, binary: str, core: str, truth: str, commands, work, **extra):
    work.mkdir(parents=True, exist_ok=True)
    return run_session(front_end, core_session(tc, binary, core, truth, commands, **extra), str(work))


def crash(tc: Toolchain, tmp_path_factory, ldflags: str = "") -> Crash:
    """The stripped build of crash_writers crashed (two writers), made once
    per toolchain and flags, with the unstripped program's outputs."""
    key = (tc.name, ldflags)
    if key in _crashes:
        return _crashes[key]
    unstripped, stripped = production.build_pair("crash_writers", tc, ldflags)
    failures = []
    for attempt in range(ATTEMPTS):
        work = tmp_path_factory.mktemp(f"crash-{tc.name}")
        truth = str(work / "truth.txt")
        core = produce_core(stripped, str(work), {"GOMAPDBG_MODE": "crash", "GOMAPDBG_TRUTH": truth})
        reference, _ = session(tc, "standalone", unstripped, core, truth, COMMANDS, work / "reference")
        problems = check_report(reference[0], read_truth(truth))
        if not problems:
            _crashes[key] = Crash(unstripped, stripped, core, truth, reference)
            return _crashes[key]
        failures.append("\n".join(problems))
    raise AssertionError(
        f"no core whose report agrees with the truth in {ATTEMPTS} crashes:\n" + "\n".join(failures)
    )


def differences(got: list[str], want: list[str], what: str) -> list[str]:
    out = []
    for command, g, w in zip(COMMANDS, got, want):
        g, w = without_thread_numbers(g), without_thread_numbers(w)
        if g != w:
            out.append(
                f"`{command}` {what} differs from the unstripped program's:\n--- got\n{g[:2000]}\n--- want\n{w[:2000]}"
            )
    return out


def info_lines(tc: Toolchain, program: str, debug: str, origin: str) -> list[str]:
    """`go info` of a stripped program with a debug file, from the build IDs
    the Go toolchain and readelf read."""
    match = f"same Go build ID {production.go_build_id(tc, program)}"
    gnu = production.gnu_build_id(program)
    if gnu:
        match += f" and GNU build-id {gnu}"
    return [
        f"executable: {program}",
        f"debug file: {debug} ({origin}; {match})",
        f"go version: {tc.version_prefix}[...]",
        "dwarf: present, version [...], from the debug file",
        "symbols: present, from the debug file",
        "source paths: as on the build machine (not built with -trimpath)",
    ]


def lldb_symbols_add(program: str, debug: str) -> str:
    """What an LLDB user types: the plain form matches by UUID, which a Go
    program has only with a GNU build-id (go1.24+ by default); -s names
    the module otherwise."""
    if production.gnu_build_id(program):
        return f"target symbols add {debug}"
    return f"target symbols add -s {program} {debug}"


FRONT_ENDS = {
    # how the debug file is given -> (front end, its setup, what go info says of it)
    "standalone": ("standalone", lambda c, debug: {"debug_file": debug}, "given with --debug-file"),
    "gdb": ("gdb", lambda c, debug: {"setup": [f"symbol-file {debug}"]}, "GDB's symbol-file"),
    "gdb-add-symbol-file": (
        "gdb",
        lambda c, debug: {"setup": [f"add-symbol-file {debug}"]},
        "GDB's add-symbol-file",
    ),
    "lldb": (
        "lldb",
        lambda c, debug: {"setup": [lldb_symbols_add(c.stripped, debug)]},
        "LLDB's symbol file for it",
    ),
}


@pytest.mark.parametrize("given", list(FRONT_ENDS))
@pytest.mark.parametrize("toolchain", selected(), ids=lambda t: t.name)
def test_debug_file(toolchain, given, tmp_path, tmp_path_factory):
    """A stripped program with its unstripped twin as the debug file: the
    same output as the unstripped program, and go info says where the
    DWARF came from and how it matched."""
    c = crash(toolchain, tmp_path_factory)
    front_end, setup, origin = FRONT_ENDS[given]
    outputs, transcript = session(
        toolchain,
        front_end,
        c.stripped,
        c.core,
        c.truth,
        COMMANDS + ["go info"],
        tmp_path,
        **setup(c, c.unstripped),
    )
    failures = differences(outputs, c.reference, f"in {given} with the debug file")
    failures += checks.check_lines(outputs[-1], info_lines(toolchain, c.stripped, c.unstripped, origin))
    assert not failures, "\n\n".join(failures[:4]) + f"\n\ntranscript:\n{transcript[-3000:]}"


@pytest.mark.parametrize("toolchain", selected(), ids=lambda t: t.name)
def test_unstripped_program_on_the_stripped_core(toolchain, tmp_path_factory):
    """The reference itself: the unstripped twin is the program that dumped
    the core (no warning about another build: strip changed only the
    section headers and the segments' file sizes), and its report names
    what the truth says (crash checked it); go info says the DWARF is in
    the executable."""
    c = crash(toolchain, tmp_path_factory)
    text = "\n".join(c.reference)
    assert (
        "was dumped by" not in text
        and "another executable or build" not in text
        and '"warnings":[]' in c.reference[0]
    ), text[:3000]
    work = tmp_path_factory.mktemp("info")
    outputs, _ = session(toolchain, "standalone", c.unstripped, c.core, c.truth, ["go info"], work)
    assert not checks.check_lines(
        outputs[0], [f"executable: {c.unstripped}", "dwarf: present, version [...], in the executable"]
    ), outputs[0]
    assert "debug file:" not in outputs[0]


@pytest.mark.parametrize("toolchain", selected(), ids=lambda t: t.name)
def test_debug_only_file(toolchain, tmp_path, tmp_path_factory):
    """What objcopy --only-keep-debug keeps (no code) serves as well: code,
    data and pclntab come from the program, DWARF and symbols from it."""
    c = crash(toolchain, tmp_path_factory)
    debug = production.debug_only(c.unstripped)
    outputs, transcript = session(
        toolchain,
        "standalone",
        c.stripped,
        c.core,
        c.truth,
        COMMANDS + ["go info"],
        tmp_path,
        debug_file=debug,
    )
    failures = differences(outputs, c.reference, "with the --only-keep-debug file")
    failures += checks.check_lines(
        outputs[-1], info_lines(toolchain, c.stripped, debug, "given with --debug-file")
    )
    assert not failures, "\n\n".join(failures[:4])


@pytest.mark.parametrize("front_end", ["gdb", "lldb"])
@pytest.mark.parametrize("toolchain", selected(), ids=lambda t: t.name)
def test_debugger_finds_debug_file_by_build_id(toolchain, front_end, tmp_path, tmp_path_factory):
    """The debugger finds the separate debug file itself, in its debug file
    directory under .build-id/xx/yyyy.debug (a GNU build-id: go1.24+ by
    default, -B before), and the commands use its DWARF."""
    c = crash(toolchain, tmp_path_factory, production.gnu_build_id_ldflags(toolchain))
    directory = tmp_path / "debug"
    target = production.build_id_path(str(directory), c.stripped)
    os.makedirs(os.path.dirname(target))
    shutil.copy(production.debug_only(c.unstripped), target)
    early = {
        "gdb": [f"set debug-file-directory {directory}"],
        "lldb": [f"settings set target.debug-file-search-paths {directory}"],
    }[front_end]
    origin = {"gdb": "GDB's separate debug file for it", "lldb": "LLDB's symbol file for it"}[front_end]
    outputs, transcript = session(
        toolchain,
        front_end,
        c.stripped,
        c.core,
        c.truth,
        COMMANDS + ["go info"],
        tmp_path / "s",
        early_setup=early,
    )
    failures = differences(outputs, c.reference, f"in {front_end} with the build-id debug file")
    failures += checks.check_lines(outputs[-1], info_lines(toolchain, c.stripped, target, origin))
    assert not failures, "\n\n".join(failures[:4]) + f"\n\ntranscript:\n{transcript[-3000:]}"


_other_builds: dict[str, tuple[str, str, str]] = {}


def other_build(tc: Toolchain, tmp_path_factory) -> tuple[str, str, str]:
    """(program, core, truth) of crash_writers built with -ldflags='-s -w':
    stripped by the linker, so another build than the default one."""
    if tc.name not in _other_builds:
        program = programs.build("crash_writers", tc, "-s -w")
        work = tmp_path_factory.mktemp(f"sw-{tc.name}")
        truth = str(work / "truth.txt")
        core = produce_core(program, str(work), {"GOMAPDBG_MODE": "crash", "GOMAPDBG_TRUTH": truth})
        _other_builds[tc.name] = (program, core, truth)
    return _other_builds[tc.name]


@pytest.mark.parametrize("front_end", ["standalone", "gdb", "lldb"])
@pytest.mark.parametrize("toolchain", selected(), ids=lambda t: t.name)
def test_another_build_is_refused(toolchain, front_end, tmp_path, tmp_path_factory):
    """The unstripped program is not the debug file of a -s -w build: one
    line naming both Go build IDs (as `go tool buildid` reads them)."""
    c = crash(toolchain, tmp_path_factory)
    program, core, truth = other_build(toolchain, tmp_path_factory)
    want = (
        f"{c.unstripped} is another build: Go build ID {production.go_build_id(toolchain, c.unstripped)}, "
        f"the program's is {production.go_build_id(toolchain, program)}"
    )
    if front_end == "standalone":
        res = subprocess.run(
            [GOMAPDBG, "report", program, core, "--debug-file", c.unstripped],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert res.returncode == 1 and res.stdout == "", res
        assert res.stderr == f"go report: {want}\n", res.stderr
        return
    if front_end == "gdb":
        setup = [f"symbol-file {c.unstripped}"]
    else:
        # With -s LLDB takes the file whatever its UUID (the GNU build-id, if any).
        setup = [f"target symbols add -s {program} {c.unstripped}"]
    outputs, _ = session(
        toolchain, front_end, program, core, truth, ["go report", "go info"], tmp_path, setup=setup
    )
    for output, command in zip(outputs, ["report", "info"]):
        assert output == f"error: go {command}: {want}", output


# --- stripped builds with nothing beside them ---------------------------------------

# build -> (ldflags, go build flags, the crash_writers case it crashes with)
BARE_BUILDS = {
    "s-w": ("-s -w", (), "struct"),
    "s-w-trimpath": ("-s -w", ("-trimpath",), "faststr"),
}


@pytest.mark.parametrize("build", list(BARE_BUILDS))
@pytest.mark.parametrize("front_end", ["standalone", "gdb", "lldb"])
@pytest.mark.parametrize("toolchain", selected(), ids=lambda t: t.name)
def test_stripped_crash_without_debug_info(toolchain, front_end, build, tmp_path):
    """A production build and its core, no debug file: the report finds the
    map from the map call's code and a validated header, shows its entries
    and names the other writer as the program's truth says; the goroutine
    list shows both writers' frames from pclntab; `go map ADDRESS --type T`
    decodes the map through its runtime type descriptor."""
    ldflags, flags, case = BARE_BUILDS[build]
    program = programs.build("crash_writers", toolchain, ldflags, flags)
    failures = []
    for attempt in range(ATTEMPTS):
        work = tmp_path / f"attempt{attempt}"
        work.mkdir()
        truth_path = str(work / "truth.txt")
        core = produce_core(program, str(work), {"GOMAPDBG_CASE": case, "GOMAPDBG_TRUTH": truth_path})
        truth = read_truth(truth_path)
        commands = [
            "go report --json",
            "go goroutines --user",
            f"go map {truth.values['map']} --type {truth.values['type']} --limit 4",
        ]
        outputs, _ = session(toolchain, front_end, program, core, truth_path, commands, work / "session")
        problems = check_report(outputs[0], truth, symbols=False)
        if problems:  # a race leaves the other writer's evidence only most of the time
            failures.append("\n".join(problems))
            continue
        for accessor in (truth.values["accessor0"], truth.values["accessor1"]):
            assert re.search(rf"^[ *] goroutine {accessor} \[.*\]: ", outputs[1], re.M), outputs[1]
        assert outputs[2].startswith(f"{truth.values['map']} as {truth.values['type']}: "), outputs[2]
        layout = rf"^layout: {toolchain.map_layout} \(go[^)]+\), len [1-9]"
        assert re.search(layout, outputs[2], re.M), outputs[2]
        return
    raise AssertionError(f"no report agreeing with the truth in {ATTEMPTS} crashes:\n" + "\n".join(failures))


# --- compressed cores --------------------------------------------------------------

DECOMPRESSING = re.compile(r"gomapdbg: decompressing (\S+) \((\w+)\) into (\S+) \(removed when done\)")


def gomapdbg(*args, tmpdir=None, env=None, **kwargs) -> subprocess.CompletedProcess:
    full_env = dict(os.environ, **(env or {}))
    if tmpdir:
        full_env["GOMAPDBG_TMPDIR"] = str(tmpdir)
    return subprocess.run(
        [GOMAPDBG, *args],
        capture_output=True,
        text=True,
        timeout=600,
        env=full_env,
        stdin=subprocess.DEVNULL,
        **kwargs,
    )


@pytest.mark.parametrize("toolchain", selected(), ids=lambda t: t.name)
def test_compressed_cores(toolchain, tmp_path, tmp_path_factory):
    """zstd, lz4 and xz cores (told apart by their magic bytes: the xz one
    has no suffix) print exactly what the plain core prints, on stdout; one
    line on stderr says where the decompressed core went, and it is gone
    afterwards."""
    c = crash(toolchain, tmp_path_factory)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    variants = {"json": ["--json"], "text": ["--entries", "3"]}
    plain = {name: gomapdbg("report", c.unstripped, c.core, *rest) for name, rest in variants.items()}
    for res in plain.values():
        assert res.returncode == 0 and res.stderr == "", res.stderr
    assert not check_report(plain["json"].stdout, read_truth(c.truth)), plain["json"].stdout[:2000]
    names = {"zstd": "core.zst", "lz4": "core.lz4", "xz": "core-xz"}
    failures = []
    for tool, name in names.items():
        compressed = production.compress(tool, c.core, str(tmp_path / name))
        for variant, rest in variants.items():
            res = gomapdbg("report", c.unstripped, compressed, *rest, tmpdir=scratch)
            lines = res.stderr.splitlines()
            m = DECOMPRESSING.fullmatch(lines[0]) if len(lines) == 1 else None
            if res.returncode != 0 or not m or m.group(1) != compressed or m.group(2) != tool:
                failures.append(f"{name}: exit {res.returncode}, stderr {res.stderr!r}")
                continue
            if os.path.dirname(m.group(3)) != str(scratch) or os.path.exists(m.group(3)):
                failures.append(
                    f"{name}: the decompressed core {m.group(3)} is still there or not in {scratch}"
                )
            if res.stdout != plain[variant].stdout:
                failures.append(
                    f"{name}: `report {' '.join(rest)}` differs from the plain core's:\n{res.stdout[:1500]}"
                )
        assert not os.listdir(scratch), os.listdir(scratch)
    assert not failures, "\n\n".join(failures)


def test_compressed_core_errors(tmp_path, tmp_path_factory):
    """A damaged compressed core, a missing tool: one line each saying so,
    and no temporary file left."""
    tc = newest()
    c = crash(tc, tmp_path_factory)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    whole = production.compress("zstd", c.core, str(tmp_path / "whole.zst"))
    damaged = tmp_path / "damaged.zst"
    with open(whole, "rb") as f, open(damaged, "wb") as out:
        out.write(f.read()[: os.path.getsize(whole) // 2])
    res = gomapdbg("report", c.unstripped, str(damaged), tmpdir=scratch)
    lines = res.stderr.splitlines()
    assert res.returncode == 1 and len(lines) == 2 and DECOMPRESSING.fullmatch(lines[0]), res.stderr
    assert re.fullmatch(
        rf"gomapdbg report: cannot decompress {re.escape(str(damaged))} with zstd: .+", lines[1]
    ), lines
    assert not os.listdir(scratch)
    # No zstd on PATH (scripts/gomapdbg runs /usr/bin/python3 by its path).
    res = gomapdbg("report", c.unstripped, whole, tmpdir=scratch, env={"PATH": str(tmp_path / "nowhere")})
    assert res.returncode == 1, res
    assert res.stderr == (
        f"gomapdbg report: {whole} is zstd-compressed and the zstd tool is missing (apt-get install zstd)\n"
    ), res.stderr
    assert not os.listdir(scratch)


SLOW_ZSTD = """#!/bin/sh
# A zstd that writes a little and then takes its time (the test interrupts it).
printf 'partial core' >&1
exec sleep 120
"""


def _default_sigint():
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_interrupted_decompression_leaves_nothing(how, tmp_path, tmp_path_factory):
    """Interrupted while decompressing: the temporary file goes, the tool is
    stopped, and one line says the command was interrupted."""
    tc = newest()
    c = crash(tc, tmp_path_factory)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "zstd").write_text(SLOW_ZSTD)
    (tools / "zstd").chmod(0o755)
    whole = production.compress("zstd", c.core, str(tmp_path / "core.zst"))
    env = dict(os.environ, GOMAPDBG_TMPDIR=str(scratch), PATH=f"{tools}:{os.environ['PATH']}")
    proc = subprocess.Popen(
        [GOMAPDBG, "report", c.unstripped, whole],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        stdin=subprocess.DEVNULL,
        # As at a terminal: a runner that started the suite in the background
        # (SIGINT ignored, inherited) must not make Ctrl-C a no-op here.
        preexec_fn=_default_sigint,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(os.path.getsize(scratch / n) for n in os.listdir(scratch)):
        time.sleep(0.05)
    assert os.listdir(scratch), "the decompression never started"
    started = time.monotonic()
    proc.send_signal(how)
    stdout, stderr = proc.communicate(timeout=60)
    assert time.monotonic() - started < 30, "the interrupt did not stop the slow tool"
    assert proc.returncode == 130 and stdout == "", (proc.returncode, stdout, stderr)
    assert stderr.splitlines()[-1] == "gomapdbg report: interrupted", stderr
    assert not os.listdir(scratch), os.listdir(scratch)
    sleeping = subprocess.run(["pgrep", "-f", f"sleep 120"], capture_output=True, text=True).stdout.split()
    for pid in sleeping:  # the slow tool must be gone: only this test's would sleep 120 in {tools}
        try:
            assert str(tools) not in open(f"/proc/{pid}/environ").read(), f"the slow zstd {pid} still runs"
        except FileNotFoundError:
            pass


# --- systemd-coredump (coredumpctl) -------------------------------------------------


def coredump_store(tmp_path, c: Crash, comm: str) -> str:
    """A coredumpctl store with an older entry of another program and the
    newest one: the stripped program's core, zstd-compressed and named as
    systemd-coredump names it."""
    store = tmp_path / "coredump"
    store.mkdir()
    now = int(time.time() * 1e6)
    pid = 4242
    name = f"core.{comm}.0.0123456789abcdef0123456789abcdef.{pid}.{now}.zst"
    production.compress("zstd", c.core, str(store / name))
    entries = [
        {
            "COREDUMP_PID": 17,
            "COREDUMP_UID": 0,
            "COREDUMP_GID": 0,
            "COREDUMP_SIGNAL": 11,
            "COREDUMP_TIMESTAMP": now - 60_000_000,
            "COREDUMP_COMM": comm,
            "COREDUMP_EXE": "/usr/bin/gone-since",
            "COREDUMP_FILENAME": str(store / "core.old.zst"),
        },
        {
            "COREDUMP_PID": pid,
            "COREDUMP_UID": 0,
            "COREDUMP_GID": 0,
            "COREDUMP_SIGNAL": 6,
            "COREDUMP_TIMESTAMP": now,
            "COREDUMP_COMM": comm,
            "COREDUMP_EXE": c.stripped,
            "COREDUMP_CMDLINE": c.stripped,
            "COREDUMP_FILENAME": str(store / name),
        },
    ]
    (store / "entries.json").write_text(json.dumps(entries))
    return str(store)


def coredumpctl_toolchains() -> list[Toolchain]:
    """One toolchain without a GNU build-id and one with (the wrapper's
    LLDB command differs), of those selected."""
    chosen = [t for t in selected() if t.name in ("go1.22.12", "go1.26")]
    return chosen or distinct(newest())


# What `go report` says of a crash_writers core (its spec's core checks).
REPORT_LINES = [
    "verdict: concurrent map [...] on map[...] @ {value:map} (main.[...]): goroutine [...] threw[...]",
    "fatal error: concurrent map [...]",
    "competing accessors:",
]


@pytest.mark.parametrize("debugger", ["gdb", "lldb"])
@pytest.mark.parametrize("toolchain", coredumpctl_toolchains(), ids=lambda t: t.name)
def test_catch_coredumpctl(toolchain, debugger, tmp_path, tmp_path_factory):
    """scripts/gomapdbg-catch --coredumpctl COMM: the newest entry's core
    (dumped by coredumpctl into a temporary directory, removed afterwards)
    and executable, reported in the debugger with the debug file."""
    c = crash(toolchain, tmp_path_factory)
    comm = os.path.basename(c.stripped)[:15]
    store = coredump_store(tmp_path, c, comm)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    env = dict(
        os.environ,
        FAKE_COREDUMP_STORE=store,
        PATH=f"{FAKE_COREDUMPCTL}:{os.environ['PATH']}",
        TMPDIR=str(scratch),
    )
    args = [CATCH, "--coredumpctl", comm, "--debug-file", c.unstripped] + (
        ["--lldb"] if debugger == "lldb" else []
    )
    res = subprocess.run(args, env=env, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    truth = read_truth(c.truth)
    fill = {"layout": toolchain.map_layout, "version": toolchain.version_prefix}
    problems = checks.check_lines(res.stdout, [substitute(line, fill, truth) for line in REPORT_LINES])
    assert not problems, f"{problems}\n--- stdout\n{res.stdout[-4000:]}\n--- stderr\n{res.stderr[-2000:]}"
    assert "go report:" not in res.stdout + res.stderr, res.stdout[-3000:]
    said = [line for line in res.stderr.splitlines() if line.startswith("gomapdbg-catch:")]
    assert len(said) == 1 and f"process 4242 ({c.stripped})" in said[0], res.stderr
    assert not os.listdir(scratch), os.listdir(scratch)
    # Nothing matching: coredumpctl's own words, in one line.
    res = subprocess.run(
        [CATCH, "--coredumpctl", "no-such-program"], env=env, capture_output=True, text=True, timeout=120
    )
    assert (
        res.returncode == 1
        and res.stderr == "gomapdbg-catch: coredumpctl info no-such-program: No coredumps found.\n"
    ), res.stderr
    # The older entry's executable is gone.
    res = subprocess.run([CATCH, "--coredumpctl", "17"], env=env, capture_output=True, text=True, timeout=120)
    assert (
        res.returncode == 1 and "the executable of process 17, /usr/bin/gone-since, is gone" in res.stderr
    ), res.stderr
    assert not os.listdir(scratch), os.listdir(scratch)


# --- -trimpath -----------------------------------------------------------------------

TRIMPATH_COMMANDS = [
    (
        "go info",
        [
            "go version: {version}[...]",
            "build settings: {value:build_settings}",
            "source paths: trimmed (-trimpath=true): [...] (main.main: {value:file_main_main})",
        ],
    ),
    (
        "go bt 1",
        [
            "#[...] in main.main at {value:file_main_main}:[...]",
            "#[...] in runtime.main at {value:file_runtime_main}:[...]",
            "#[...] in runtime.goexit at {value:file_runtime_goexit}:[...]",
        ],
    ),
    ("go bt", ["#[...] in main.writeInts at {value:file_main_main}:[...]"]),
]


@pytest.mark.parametrize("front_end", ["standalone", "gdb", "lldb"])
@pytest.mark.parametrize("toolchain", selected(), ids=lambda t: t.name)
def test_trimpath(toolchain, front_end, tmp_path):
    """-trimpath: file names as the build recorded them (module paths, and
    the standard library's by package), exactly as runtime.Caller reports
    them in the program; go info says the build was trimmed; the report
    still names what the truth says."""
    binary = programs.build("crash_writers", toolchain, flags=("-trimpath",))
    commands = [c for c, _ in TRIMPATH_COMMANDS] + ["go report --json"]
    failures = []
    for attempt in range(ATTEMPTS):
        work = tmp_path / f"attempt{attempt}"
        work.mkdir()
        truth_path = str(work / "truth.txt")
        core = produce_core(binary, str(work), {"GOMAPDBG_MODE": "crash", "GOMAPDBG_TRUTH": truth_path})
        outputs, transcript = session(toolchain, front_end, binary, core, truth_path, commands, work / "s")
        truth = read_truth(truth_path)
        truth.values.update(facts(transcript))
        assert "/" in truth.values["file_main_main"] and not truth.values["file_main_main"].startswith("/")
        fill = {"layout": toolchain.map_layout, "version": toolchain.version_prefix}
        problems = []
        for (command, lines), output in zip(TRIMPATH_COMMANDS, outputs):
            got = checks.evaluate(
                output,
                [Check("check", t) for t in lines],
                truth,
                toolchain.map_layout,
                lambda t: substitute(t, fill, truth),
            )
            problems += [f"`{command}`: {p}\n{output[:1500]}" for p in got]
        if problems:
            raise AssertionError("\n\n".join(problems))  # not a race: no second try
        problems = check_report(outputs[-1], truth)
        os.unlink(core)
        if not problems:
            return
        failures.append("\n".join(problems))
    raise AssertionError(f"no correct report in {ATTEMPTS} crashes:\n" + "\n\n".join(failures))
