"""`go report` names what ended a process that did not die of a map fatal
(testprogs/fatal_causes): a panic with its value (a string, an error, a
named integer, a nil map assignment, a nil dereference), a runtime fatal
error with its message (an unlock of an unlocked mutex, a deadlock thrown
by the scheduler with no goroutine), or a SIGABRT sent from outside with
its sender's pid. No map, key or competing accessor is shown for them,
although maps are in reach. On cores with no debugger for every toolchain;
in GDB and LLDB on cores and live under `go catch` for a classic and a
swiss toolchain."""

import pytest

from harness.runner import run_program
from harness.toolchains import distinct, oldest, selected

CASES = [
    "panic_string",
    "panic_error",
    "panic_value",
    "nil_map",
    "nil_deref",
    "unlock",
    "deadlock",
    "sigabrt",
]
DEBUGGER_TOOLCHAINS = {"go1.22.12", "go1.26"}


def run_case(toolchain, debugger, mode, tmp_path, case):
    run_program("fatal_causes", toolchain, debugger, mode, str(tmp_path), program_env={"GOMAPDBG_CASE": case})


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("toolchain", selected(), ids=lambda t: t.name)
def test_core_standalone(toolchain, case, tmp_path):
    run_case(toolchain, "standalone", "core", tmp_path, case)


def debugger_toolchains():
    chosen = [t for t in selected() if t.name in DEBUGGER_TOOLCHAINS]
    return chosen or distinct(oldest())


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("mode", ["core", "live"])
@pytest.mark.parametrize("debugger", ["gdb", "lldb"])
@pytest.mark.parametrize("toolchain", debugger_toolchains(), ids=lambda t: t.name)
def test_in_debugger(toolchain, debugger, mode, case, tmp_path):
    run_case(toolchain, debugger, mode, tmp_path, case)
