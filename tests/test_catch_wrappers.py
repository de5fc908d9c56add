"""scripts/gomapdbg-catch: launch (the program's fate is the wrapper's exit
status), attach to a process started outside the debugger, and dump-core,
in GDB and LLDB, on crash_writers; the verdict names the map the program
recorded and, as the competing writer, the other accessor."""

import os
import re
import signal
import subprocess
import tempfile
import time

import pytest

from harness import programs
from harness.checks.report import race_accessors
from harness.toolchains import REPO, distinct, newest, oldest
from harness.truth import read_truth

WRAPPER = os.path.join(REPO, "scripts", "gomapdbg-catch")
VERDICT = re.compile(
    r"^verdict: (?P<message>concurrent map [a-z ]+) on (?P<type>\S+) @ (?P<address>0x[0-9a-f]+) .*"
    r"goroutine (?P<thrower>\d+) threw.*; competing \w+: goroutine (?P<other>\d+) \((certain|likely)\)$",
    re.M,
)


def check_verdict(output: str, truth_path: str) -> None:
    truth = read_truth(truth_path)
    m = VERDICT.search(output)
    assert m, f"no verdict naming a competing accessor in:\n{output[-3000:]}"
    assert m["address"] == truth.values["map"] and m["type"] == truth.values["type"]
    accessors = {truth.values["accessor0"], truth.values["accessor1"]}
    assert {m["thrower"], m["other"]} == accessors, (m.group(0), accessors)


def toolchains():
    """The oldest map implementations of each kind and the newest toolchain."""
    return distinct(oldest("classic"), oldest("swiss"), newest())


@pytest.mark.parametrize("debugger", ["gdb", "lldb"])
@pytest.mark.parametrize("toolchain", toolchains(), ids=lambda t: t.name)
def test_launch_returns_the_programs_fate(toolchain, debugger, tmp_path):
    binary = programs.build("crash_writers", toolchain)
    truth = str(tmp_path / "truth.txt")
    env = dict(os.environ, GOMAPDBG_TRUTH=truth, GOMAPDBG_CASE="fast64")
    args = [WRAPPER] + (["--lldb"] if debugger == "lldb" else []) + [binary]
    res = subprocess.run(args, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert res.returncode == 2, f"exit {res.returncode} (the runtime's fatal exits 2)\n{res.stdout[-3000:]}"
    check_verdict(res.stdout, truth)


@pytest.mark.parametrize("debugger", ["gdb", "lldb"])
@pytest.mark.parametrize("toolchain", toolchains(), ids=lambda t: t.name)
def test_attach_to_a_running_process(toolchain, debugger, tmp_path):
    binary = programs.build("crash_writers", toolchain)
    truth = str(tmp_path / "truth.txt")
    env = dict(os.environ, GOMAPDBG_TRUTH=truth, GOMAPDBG_CASE="fast64", GOMAPDBG_DELAY="4s")
    res = attach_wrapper(binary, env, truth, tmp_path, debugger, [])
    check_verdict(res.stdout, truth)


def attach_wrapper(binary, env, truth, cwd, debugger, options) -> subprocess.CompletedProcess:
    """Starts the program, waits for its truth (written before its race
    starts), and runs the wrapper attached to it with `options`."""
    program = subprocess.Popen([binary], env=env, cwd=cwd, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            if os.path.exists(truth) and open(truth).read().endswith("\n"):
                break
            time.sleep(0.05)
        args = [WRAPPER] + (["--lldb"] if debugger == "lldb" else []) + options + ["--pid", str(program.pid)]
        return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300)
    finally:
        if program.poll() is None:
            program.send_signal(signal.SIGKILL)
        program.wait()


@pytest.mark.parametrize("debugger", ["gdb", "lldb"])
def test_dump_core_then_report(debugger, tmp_path):
    binary = programs.build("crash_writers", newest())
    truth = str(tmp_path / "truth.txt")
    env = dict(os.environ, GOMAPDBG_TRUTH=truth, GOMAPDBG_CASE="delete")
    args = [WRAPPER] + (["--lldb"] if debugger == "lldb" else []) + ["--dump-core", binary]
    res = subprocess.run(args, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert res.returncode == 134, res.stdout[-2000:] + res.stderr[-2000:]
    check_verdict(res.stdout, truth)


WRITE_LOG_VERDICT = re.compile(
    r"^verdict: concurrent map writes on map\[string\]int @ (?P<address>0x[0-9a-f]+) \(main\.visits\): "
    r"goroutine (?P<thrower>\d+) threw.*; competing write: goroutine (?P<other>\d+) \(certain\)$",
    re.M,
)


def check_write_log_verdict(output: str, truth_path: str) -> None:
    """The HTTP race of testprogs/races named from the write log: the map,
    and two of the connection goroutines the program recorded."""
    truth = read_truth(truth_path)
    m = WRITE_LOG_VERDICT.search(output)
    assert m, f"no verdict naming a certain writer in:\n{output[-3000:]}"
    assert m["address"] == truth.values["map"]
    accessors = race_accessors(truth)
    assert {int(m["thrower"]), int(m["other"])} <= accessors, (m.group(0), accessors)
    assert "write log: the write that overlapped the thrower's" in output, _write_log_section(output)


def _write_log_section(output: str) -> str:
    """The report from its verdict to the goroutine groups: the accessors
    with their evidence and the write log (what a failure needs shown)."""
    start = output.find("verdict:")
    end = output.find("goroutines:", start)
    return output[start : end if end > 0 else start + 6000]


@pytest.mark.parametrize("debugger", ["gdb", "lldb"])
@pytest.mark.parametrize("toolchain", toolchains(), ids=lambda t: t.name)
def test_launch_with_the_write_log(toolchain, debugger, tmp_path):
    """--watch main.visits: armed at main.main (the global exists there),
    the HTTP handlers' race is named from the write log."""
    binary = programs.build("races", toolchain)
    truth = str(tmp_path / "truth.txt")
    env = dict(os.environ, GOMAPDBG_TRUTH=truth, GOMAPDBG_CASE="http")
    args = [WRAPPER] + (["--lldb"] if debugger == "lldb" else []) + ["--watch", "main.visits", binary]
    res = subprocess.run(args, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert res.returncode == 2, f"exit {res.returncode}\n{res.stdout[-3000:]}"
    check_write_log_verdict(res.stdout, truth)


@pytest.mark.parametrize("debugger", ["gdb", "lldb"])
def test_attach_with_the_write_log(debugger, tmp_path):
    """--pid P --watch main.visits: armed where the attach stops the process,
    before it releases the race (GOMAPDBG_WAIT_TRACER)."""
    binary = programs.build("races", newest())
    empty_logs = []
    for attempt in range(3):
        work = tmp_path / f"attempt{attempt}"
        work.mkdir()
        truth = str(work / "truth.txt")
        env = dict(os.environ, GOMAPDBG_TRUTH=truth, GOMAPDBG_CASE="http", GOMAPDBG_WAIT_TRACER="1")
        res = attach_wrapper(binary, env, truth, work, debugger, ["--watch", "main.visits"])
        # Twice in CI (never in 120 runs here) the attached recorder logged
        # no write at all: a known gap, retried and counted, not hidden.
        if "; 0 writes recorded)" in res.stdout:
            empty_logs.append(_write_log_section(res.stdout))
            continue
        check_write_log_verdict(res.stdout, truth)
        return
    raise AssertionError("the write log recorded no write in 3 attaches:\n" + "\n".join(empty_logs))


def test_write_log_as_an_unprivileged_user():
    """The same in GDB run by an unprivileged user (uid 65534) on that
    user's own process, at kernel.perf_event_paranoid 2: user-space
    hardware breakpoints are allowed, so the write log names the writer."""
    with open("/proc/sys/kernel/perf_event_paranoid") as f:
        paranoid = int(f.read())
    assert paranoid <= 2, f"perf_event_paranoid is {paranoid}: unprivileged perf events are off here"
    binary = programs.build("races", newest())
    with tempfile.TemporaryDirectory() as work:  # pytest's tmp_path is root's alone
        os.chmod(work, 0o777)
        truth = os.path.join(work, "truth.txt")
        env = dict(os.environ, GOMAPDBG_TRUTH=truth, GOMAPDBG_CASE="http", HOME=work)
        nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        args = nobody + [WRAPPER, "--watch", "main.visits", binary]
        res = subprocess.run(args, env=env, cwd=work, capture_output=True, text=True, timeout=300)
        assert res.returncode == 2, f"exit {res.returncode}\n{res.stdout[-3000:]}\n{res.stderr[-2000:]}"
        check_write_log_verdict(res.stdout, truth)


def test_help_names_every_option_the_wrapper_parses():
    """--help is help (exit 0, a usage line), not the script's source; every
    option its argument parser accepts is described; no arguments is a usage error."""
    shown = subprocess.run([WRAPPER, "--help"], capture_output=True, text=True, timeout=30)
    assert shown.returncode == 0 and shown.stdout.startswith("usage: gomapdbg-catch "), shown
    assert "#" not in shown.stdout and "$" not in shown.stdout
    with open(WRAPPER) as f:
        parsed = set(re.findall(r"^\s+(--[a-z-]+)\)", f.read(), re.M))
    assert {"--lldb", "--watch", "--at", "--pid", "--core", "--dump-core", "--debug-file"} <= parsed
    described = set(re.findall(r"^\s+(--[a-z-]+)", shown.stdout, re.M))
    assert parsed - {"--lldb"} <= described, parsed - described
    assert "--lldb" in shown.stdout
    bare = subprocess.run([WRAPPER], capture_output=True, text=True, timeout=30)
    assert bare.returncode == 2 and bare.stderr.startswith("usage: gomapdbg-catch ")
