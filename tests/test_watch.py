"""`go watch`: hardware watchpoints record every write of a map, live,
without stopping the program (testprogs/watch_writers: two goroutines
write one map in turns under a lock, a known number of times each). In GDB
and LLDB, for every toolchain: armed at the program's watch line, `go
watch` then shows exactly those writes per goroutine and call site, and it
refuses what it cannot do in one line (a nil map, nothing armed, a core,
a linux/arm64 program: no thread of it runs on this machine to watch).
The recorder itself is tested against the kernel in core/tests
(write_recorder_test) and tests/test_write_recorder.py; the write log in
crash reports in tests/test_race_corpus.py; the wrapper's --watch in
tests/test_catch_wrappers.py."""

import os
import re
import subprocess

import pytest

from harness import programs, races
from harness.programs import TESTPROGS, Check, Command
from harness.runner import produce_core, run_program
from harness.toolchains import REPO, newest, selected, selected_arm64

# Why go watch refuses a linux/arm64 program, core or live under qemu-user:
# perf_event_open arms this machine's own threads, and none of it runs here.
ARM64_REFUSAL = "need a linux/amd64 process on this machine, and this is a linux/arm64 program"


def write_site() -> str:
    """main.record and the line of its `// write site`, as go watch names it."""
    with open(f"{TESTPROGS}/watch_writers/main.go", encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if re.search(r"//\s*write site$", line):
                return f"main.record main.go:{number}"
    raise AssertionError("watch_writers has no write site")


@pytest.mark.parametrize("debugger", ["gdb", "lldb"])
@pytest.mark.parametrize("toolchain", selected(), ids=lambda t: t.name)
def test_watch_shows_every_write(toolchain, debugger, tmp_path):
    point = races.watch_points("watch_writers")["writers"]
    run_program(
        "watch_writers",
        toolchain,
        debugger,
        "live",
        str(tmp_path),
        watch=(point.expression, point.file, point.line),
        truth_values={"write_site": write_site()},
    )


@pytest.mark.parametrize("debugger", ["gdb", "lldb", "standalone"])
def test_watch_needs_a_live_process(debugger, tmp_path):
    run_program("watch_writers", newest(), debugger, "core", str(tmp_path))


@pytest.mark.parametrize(
    "debugger, mode",
    [("gdb", "core"), ("lldb", "core"), ("standalone", "core"), ("gdb", "live"), ("lldb", "live")],
)
@pytest.mark.parametrize("toolchain", selected_arm64(), ids=lambda t: t.name)
def test_watch_refuses_an_arm64_program(toolchain, debugger, mode, tmp_path):
    """On an arm64 core, and live under qemu-user's gdbstub at the program's
    watch line, the reason is the architecture: no thread of the program
    runs on this machine for a hardware watchpoint."""
    refused = Command("go watch counts", checks=[Check("check-error", ARM64_REFUSAL)])
    run_program("watch_writers", toolchain, debugger, mode, str(tmp_path), commands=[refused])


@pytest.mark.parametrize("toolchain", selected_arm64()[-1:], ids=lambda t: t.name)
def test_standalone_cli_refuses_watch_of_an_arm64_program(toolchain, tmp_path):
    """`gomapdbg watch PROG CORE` names the architecture too, rather than
    sending an arm64 program to GDB or LLDB for a live watch."""
    binary = programs.build("watch_writers", toolchain)
    env = {"GOMAPDBG_MODE": "crash", "GOMAPDBG_TRUTH": str(tmp_path / "truth.txt")}
    core = produce_core(binary, str(tmp_path), env, toolchain.emulator)
    res = subprocess.run(
        [os.path.join(REPO, "scripts", "gomapdbg"), "watch", binary, core, "counts"],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 2 and res.stdout == "", res
    (line,) = res.stderr.splitlines()
    assert line.startswith("gomapdbg watch: ") and ARM64_REFUSAL in line, line
