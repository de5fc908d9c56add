"""The live write recorder (gomapdbg_core.WriteRecorder) on real Go races:
crash_writers' two goroutines write one map until the runtime throws
`concurrent map writes`, while hardware watchpoints on the map header's
writing flag (classic hmap.flags, swiss Map.writing) and an exec breakpoint
on runtime.fatalthrow record every hit, without stopping the program. The
log must hold the two writers' last writes (in the runtime's map-assign code,
called from main, with two different goroutines in R14) and the throw after
the thrower's last write. Real perf events: a machine without the breakpoint
PMU fails here."""

import bisect
import os
import re
import subprocess
import sys
import tempfile
import textwrap
import time

import pytest

from harness import programs
from harness.toolchains import REPO, Toolchain, newest, selected
from harness.truth import read_truth

sys.path.insert(0, os.path.join(REPO, "build", "python"))
import gomapdbg_core as core  # noqa: E402

# The byte every map write toggles (twice: on entry and on the way out).
WRITING_FLAG_OFFSET = {"classic": 8, "swiss": 34}  # hmap.flags, Map.writing
# Runtime functions that write the flag while assigning (and growing).
MAP_WRITERS = re.compile(
    r"^(runtime\.(mapassign\w*|hashGrow|growWork\w*|mapdelete\w*|mapclear)|internal/runtime/maps\.)"
)


class Symbols:
    """Function names by address, from the executable's symbol table (nm)."""

    def __init__(self, executable: str):
        out = subprocess.run(["nm", "-n", executable], capture_output=True, text=True, check=True).stdout
        self.entries = []
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[1] in ("t", "T"):
                self.entries.append((int(parts[0], 16), parts[2]))
        self.addresses = [a for a, _ in self.entries]

    def name(self, address: int) -> str:
        i = bisect.bisect_right(self.addresses, address) - 1
        return self.entries[i][1] if i >= 0 else "?"


def wait_for_truth(path: str, program: subprocess.Popen) -> None:
    """crash_writers writes its truth file before its delay starts."""
    deadline = time.time() + 60
    while time.time() < deadline and program.poll() is None:
        if os.path.exists(path) and "accessor1" in open(path).read():
            return
        time.sleep(0.02)
    raise AssertionError(f"no truth file from crash_writers (exit {program.poll()})")


def record_race(tc: Toolchain, work: str, extra_env: dict | None = None, preexec=None):
    """Starts crash_writers (fast64), arms the recorder during its delay,
    lets it crash and returns (binary, stderr, exit status, log, fatalthrow entry)."""
    binary = programs.build("crash_writers", tc)
    truth = os.path.join(work, "truth.txt")
    env = dict(os.environ, GOMAPDBG_TRUTH=truth, GOMAPDBG_CASE="fast64", GOMAPDBG_DELAY="2s")
    env.pop("GOMAPDBG_WAIT_TRACER", None)
    env.update(extra_env or {})
    program = subprocess.Popen(
        [binary], env=env, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        wait_for_truth(truth, program)
        header = int(read_truth(truth).values["map"], 16)
        fatalthrow = core.function_entries(binary, ["runtime.fatalthrow"])["runtime.fatalthrow"]
        recorder = core.WriteRecorder(program.pid, header + WRITING_FLAG_OFFSET[tc.family], 1, [fatalthrow])
        assert recorder.exec_addresses_unavailable() == []
        _, stderr = program.communicate(timeout=120)
        log = recorder.log()
        recorder.stop()
        return binary, stderr, program.returncode, log, fatalthrow
    finally:
        if program.poll() is None:
            program.kill()
            program.wait()


def check_race_log(binary: str, stderr: str, status: int, log: dict, fatalthrow: int) -> None:
    assert status == 2 and "fatal error: concurrent map writes" in stderr, (status, stderr[-2000:])
    assert log["lost"] == 0
    symbols = Symbols(binary)
    writes = [s for s in log["samples"] if s["kind"] == "write"]
    throws = [s for s in log["samples"] if s["kind"] == "exec"]
    assert writes, "no write recorded"

    where = {symbols.name(s["ip"]) for s in writes}
    assert all(MAP_WRITERS.match(name) for name in where), where
    assert "runtime.mapassign_fast64" in where, where
    for s in writes:  # called from the program's own writer goroutines
        callers = [symbols.name(a) for a in s["callchain"][1:]]
        assert any(c.startswith("main.") for c in callers), callers

    # Two throwers are possible (both saw the other's flag).
    assert 1 <= len(throws) <= 2, throws
    first = throws[0]
    assert first["ip"] == fatalthrow and first["exec_address"] == fatalthrow
    assert any(MAP_WRITERS.match(symbols.name(a)) for a in first["callchain"][1:]), [
        symbols.name(a) for a in first["callchain"]
    ]

    # Two goroutines (R14 holds g): the thrower, and the writer whose toggle
    # of the flag it saw. The thrower itself may not have written at all (a
    # hit's debug trap keeps the flag set for microseconds, so the other's
    # first check often finds it), or its own toggle may come last: the other
    # set the flag, the thrower toggled it back, and found it clear at its
    # exit check. Either way another goroutine wrote before the throw.
    throwers = {s["registers"]["r14"] for s in throws}
    thrower = first["registers"]["r14"]
    before = [s for s in writes if s["time_ns"] < first["time_ns"]]
    assert before, "no write before the throw"
    if len(throws) == 1:
        others = [s for s in before if s["registers"]["r14"] != thrower]
        assert others, f"no write by another goroutine before the throw (thrower {thrower:#x})"
    goroutines = {s["registers"]["r14"] for s in writes} | throwers
    assert len(goroutines) == 2, sorted(map(hex, goroutines))
    for throw in throws:  # nobody writes once in fatalthrow
        g = throw["registers"]["r14"]
        assert all(s["time_ns"] < throw["time_ns"] for s in writes if s["registers"]["r14"] == g)
    times = [s["time_ns"] for s in log["samples"]]
    assert times == sorted(times)


@pytest.mark.parametrize("toolchain", selected(), ids=lambda t: t.name)
def test_records_the_last_writes_before_concurrent_map_writes(toolchain, tmp_path):
    check_race_log(*record_race(toolchain, str(tmp_path)))


def test_a_gone_process_and_an_unaligned_flag_are_clear_errors(tmp_path):
    program = subprocess.Popen(["true"])
    program.wait()
    with pytest.raises(core.Error, match=rf"^process {program.pid} is gone \(ESRCH\)$"):
        core.WriteRecorder(program.pid, 0x10000, 1)
    with pytest.raises(core.UsageError, match="must be a multiple of its length"):
        core.WriteRecorder(os.getpid(), 0x10001, 2)


NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


def run_as_nobody(script: str, work: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, HOME=work, PYTHONDONTWRITEBYTECODE="1", PYTHONPATH=os.path.join(REPO, "tests"))
    return subprocess.run(
        NOBODY + [sys.executable, "-c", textwrap.dedent(script)],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_an_unprivileged_user_records_its_own_program():
    """At perf_event_paranoid 2 (user-space breakpoints only) an unprivileged
    user records a race of a program it started itself, and is told why it
    may not watch another user's process."""
    with open("/proc/sys/kernel/perf_event_paranoid") as f:
        paranoid = int(f.read())
    assert paranoid <= 2, f"perf_event_paranoid is {paranoid}: unprivileged perf events are off here"
    tc = newest()
    programs.build("crash_writers", tc)  # as root: the unprivileged run reuses it
    work = tempfile.mkdtemp(prefix="gomapdbg-watch-")
    os.chmod(work, 0o777)
    rooted = subprocess.Popen(["sleep", "60"])
    try:
        res = run_as_nobody(
            f"""
            import os, test_write_recorder as t
            from harness.toolchains import by_name
            t.check_race_log(*t.record_race(by_name({tc.name!r}), {work!r}))
            try:
                t.core.WriteRecorder({rooted.pid}, 0x10000, 1)
            except t.core.Error as e:
                print(e)
            """,
            work,
        )
    finally:
        rooted.kill()
        rooted.wait()
        subprocess.run(["rm", "-rf", work], check=False)
    assert res.returncode == 0, res.stderr[-3000:]
    assert res.stdout.strip() == (
        f"cannot set a 1-byte write breakpoint at 0x10000 on thread {rooted.pid} of process {rooted.pid} "
        f"(EACCES): /proc/sys/kernel/perf_event_paranoid is {paranoid} (user-space breakpoints allowed), "
        f"so this user may not trace process {rooted.pid} (another user's, or not dumpable); watch your "
        "own processes or run as root (or with CAP_PERFMON)"
    ), res.stdout
