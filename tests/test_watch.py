"""`go watch`: hardware watchpoints record every write of a map, live,
without stopping the program (testprogs/watch_writers: two goroutines
write one map in turns under a lock, a known number of times each). In GDB
and LLDB, for every toolchain: armed at the program's watch line, `go
watch` then shows exactly those writes per goroutine and call site, and it
refuses what it cannot do in one line (a nil map, nothing armed, a core).
The recorder itself is tested against the kernel in core/tests
(write_recorder_test) and tests/test_write_recorder.py; the write log in
crash reports in tests/test_race_corpus.py; the wrapper's --watch in
tests/test_catch_wrappers.py."""

import re

import pytest

from harness import races
from harness.programs import TESTPROGS
from harness.runner import run_program
from harness.toolchains import newest, selected


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
