"""`go report` on the corpus of realistic races (testprogs/races): handlers,
stores, caches and worker pools that do real work between map accesses.
On every crash the report must be precise: the message, the map and the
thrower as the program recorded them, and every goroutine it names one
that really touches the map, never a decoy (a dispatcher that only hands
the map on, parked holders, goroutines writing other maps of its type).
A precision failure fails at once. Naming the other accessor is judged
over a few crashes, as a race leaves evidence only some of the time
(bench/crash_rates.py measures the rates):

- post-mortem (cores; GDB and LLDB launched under `go catch`): another
  real accessor named first, or, when every other accessor was parked at
  the crash (an owner resting between batches, handlers waiting in the
  network poller once they answered), an honest "none found" that lists
  the code touching a global map; for the HTTP shape that answer is
  accepted even with a handler runnable in net/http after its write;
- with the write log (`go watch` at the shape's watch line, then `go
  catch`): the other writer named certain from the write log.

Cores are read with no debugger for every case and toolchain; GDB and LLDB
on cores and live take the cases in turns over the toolchains, so each
toolchain and each case meets both debuggers."""

import json
import os

import pytest

from harness import races
from harness.checks.report import race_outcome
from harness.runner import run_program
from harness.toolchains import selected
from harness.truth import read_truth

ATTEMPTS = 3
# Handlers that answered run on in net/http or wait in the network poller:
# the evidence is gone even when one is runnable.
EVIDENCE_GONE = {"http"}


def satisfied(outcome: dict, case: str, mode: str) -> bool:
    if mode == "watch":
        return outcome["write_log"]
    if case in EVIDENCE_GONE or not outcome["other_active"]:
        return outcome["named"] or outcome["honest_none"]
    return outcome["named"]


def crash_until_named(toolchain, debugger, mode, case, tmp_path, ldflags=None):
    """Crashes the case up to ATTEMPTS times until the report names another
    real accessor (or gives the honest answer `satisfied` accepts). On a
    stripped build (`ldflags`) a map the report could not find is honest
    too and tried again; a wrong map or a wrong goroutine fails at once."""
    watch = None
    if mode == "watch":
        point = races.watch_points()[case]
        watch = (point.expression, point.file, point.line)
    stripped = ldflags is not None
    seen = []
    for attempt in range(ATTEMPTS):
        work = tmp_path / f"attempt{attempt}"
        work.mkdir()
        outputs = run_program(
            "races",
            toolchain,
            debugger,
            "live" if watch else mode,
            str(work),
            program_env={"GOMAPDBG_CASE": case},
            watch=watch,
            ldflags=ldflags,
            check=not stripped,
        )
        report = json.loads(outputs[0])
        outcome = race_outcome(report, read_truth(os.path.join(work, "truth.txt")))
        if stripped:
            if report["map"] is None:
                seen.append("map not found")
                continue
            # No symbol names a global map: it is reported by its address.
            failures = [f for f in outcome["failures"] if not f.startswith("map named ''")]
            assert not failures, f"{case}: " + "; ".join(failures)
        if satisfied(outcome, case, mode):
            return
        seen.append([(w["goroutine"], w["certainty"]) for w in report["writers"]])
    raise AssertionError(f"{case}: the other accessor was not named in {ATTEMPTS} crashes: {seen}")


def in_turn(modes: list[str]) -> list[tuple]:
    """(toolchain, debugger, mode, case) cells: each case meets each debugger
    and mode once, on toolchains taken in turn."""
    toolchains = selected()
    cells = []
    for m, mode in enumerate(modes if toolchains else []):  # none selected: arm64 alone
        for d, debugger in enumerate(["gdb", "lldb"]):
            for c, case in enumerate(races.CASES):
                tc = toolchains[(c + 3 * d + 5 * m) % len(toolchains)]
                cells.append(pytest.param(tc, debugger, mode, case, id=f"{tc.name}-{debugger}-{mode}-{case}"))
    return cells


@pytest.mark.parametrize("case", races.CASES)
@pytest.mark.parametrize("toolchain", selected(), ids=lambda t: t.name)
def test_core_without_debugger(toolchain, case, tmp_path):
    crash_until_named(toolchain, "standalone", "core", case, tmp_path)


@pytest.mark.parametrize("case", races.CASES)
@pytest.mark.parametrize("toolchain", selected(), ids=lambda t: t.name)
def test_stripped_core_without_debugger(toolchain, case, tmp_path):
    """A production build (-s -w: no symbols, no DWARF): the same report,
    the map found from the map calls' code and validated headers in the
    frames, a global by its address (no symbol names it) with the code that
    loads it listed."""
    crash_until_named(toolchain, "standalone", "core", case, tmp_path, ldflags="-s -w")


@pytest.mark.parametrize("toolchain,debugger,mode,case", in_turn(["core", "live", "watch"]))
def test_in_debugger(toolchain, debugger, mode, case, tmp_path):
    crash_until_named(toolchain, debugger, mode, case, tmp_path)
