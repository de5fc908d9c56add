"""`go report` on real crash cores of testprogs/crash_writers: two
goroutines racing on one map until the runtime throws, in every case the
issue names (fast64, faststr, struct keys, delete, clear, iterate, read vs
write) and a forged writing flag with no second writer. The report must name
the message, the map the program recorded, the throwing goroutine and the
other accessor (none for the forged flag) — with no debugger (every case and
toolchain) and in GDB and LLDB (three cases, every toolchain)."""

import pytest

from harness.runner import run_program
from harness.toolchains import selected

ALL_CASES = ["fast64", "faststr", "struct", "delete", "clear", "iterate", "read", "forged"]
DEBUGGER_CASES = ["fast64", "read", "forged"]


@pytest.mark.parametrize("case", ALL_CASES)
@pytest.mark.parametrize("toolchain", selected(), ids=lambda t: t.name)
def test_report_standalone(toolchain, case, tmp_path):
    run_program(
        "crash_writers", toolchain, "standalone", "core", str(tmp_path), program_env={"GOMAPDBG_CASE": case}
    )


@pytest.mark.parametrize("case", DEBUGGER_CASES)
@pytest.mark.parametrize("debugger", ["gdb", "lldb"])
@pytest.mark.parametrize("toolchain", selected(), ids=lambda t: t.name)
def test_report_in_debugger(toolchain, debugger, case, tmp_path):
    run_program(
        "crash_writers", toolchain, debugger, "core", str(tmp_path), program_env={"GOMAPDBG_CASE": case}
    )


@pytest.mark.parametrize("case", DEBUGGER_CASES)
@pytest.mark.parametrize("debugger", ["gdb", "lldb"])
@pytest.mark.parametrize("toolchain", selected(), ids=lambda t: t.name)
def test_catch_on_launch(toolchain, debugger, case, tmp_path):
    """Launched under the debugger with `go catch on`: it stops at the throw
    and `go report` names the same facts live."""
    run_program(
        "crash_writers", toolchain, debugger, "live", str(tmp_path), program_env={"GOMAPDBG_CASE": case}
    )
