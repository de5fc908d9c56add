"""`go report` on real crash cores of testprogs/crash_writers: two
goroutines racing on one map until the runtime throws, in every case the
issue names (fast64, faststr, struct keys, delete, clear, iterate, read vs
write), a forged writing flag with no second writer and a map no global
holds. The report must name
the message, the map the program recorded, the throwing goroutine and the
other accessor (none for the forged flag) — for every case and toolchain,
with no debugger on cores, and in GDB and LLDB on cores, launched under
`go catch`, and attached to a process started outside the debugger."""

import pytest

from harness.runner import run_program
from harness.toolchains import selected, selected_arm64

# A crash is a race: where the other accessor stands when the runtime throws
# varies from run to run, and in a few percent of runs (the clear case most)
# no evidence of it is left. Each cell crashes the program up to this many
# times and needs one fully correct report; bench/crash_rates.py measures
# the per-run rates.
ATTEMPTS = 3


def run_crash(toolchain, debugger, mode, tmp_path, case):
    failures = []
    for attempt in range(ATTEMPTS):
        workdir = tmp_path / f"attempt{attempt}"
        workdir.mkdir()
        try:
            run_program(
                "crash_writers", toolchain, debugger, mode, str(workdir), program_env={"GOMAPDBG_CASE": case}
            )
            return
        except AssertionError as e:
            failures.append(str(e))
    raise AssertionError(f"no correct report in {ATTEMPTS} crashes:\n\n" + "\n\n".join(failures))


CASES = ["fast64", "faststr", "struct", "delete", "clear", "iterate", "read", "forged", "local"]
# arm64 programs (under qemu-user): two cases, the emulation is slow.
ARM64_CASES = ["fast64", "faststr"]


def crash_params() -> list:
    """(toolchain, case) of every amd64 toolchain x CASES and arm64 one x ARM64_CASES."""
    return [
        pytest.param(tc, case, id=f"{tc.name}-{case}")
        for toolchains, cases in ((selected(), CASES), (selected_arm64(), ARM64_CASES))
        for tc in toolchains
        for case in cases
    ]


@pytest.mark.parametrize("toolchain,case", crash_params())
def test_report_standalone(toolchain, case, tmp_path):
    run_crash(toolchain, "standalone", "core", tmp_path, case)


@pytest.mark.parametrize("debugger", ["gdb", "lldb"])
@pytest.mark.parametrize("toolchain,case", crash_params())
def test_report_in_debugger(toolchain, debugger, case, tmp_path):
    run_crash(toolchain, debugger, "core", tmp_path, case)


@pytest.mark.parametrize("debugger", ["gdb", "lldb"])
@pytest.mark.parametrize("toolchain,case", crash_params())
def test_catch_on_launch(toolchain, debugger, case, tmp_path):
    """Launched under the debugger with `go catch on`: it stops at the throw
    and `go report` names the same facts live."""
    run_crash(toolchain, debugger, "live", tmp_path, case)


@pytest.mark.parametrize("debugger", ["gdb", "lldb"])
@pytest.mark.parametrize("toolchain,case", crash_params())
def test_catch_on_attach(toolchain, debugger, case, tmp_path):
    """Started outside the debugger (it holds the race until traced), then
    attached with `go catch on`: the same facts."""
    run_crash(toolchain, debugger, "attach", tmp_path, case)
