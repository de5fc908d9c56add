"""A measurement (one column of the tables): a tool run on a case, its
entries counted in its output."""

from __future__ import annotations

import dataclasses
import os
import re

from suite.cores import Scenario
from suite.processes import Run, run_process


@dataclasses.dataclass
class Case:
    """One measurement to make: a tool, a core, the map and how many entries
    the tool is asked to show (peers are capped, see Measurement.cap); for
    goroutine listings `entries` is the parked goroutines the listing must
    show (the runtime's own come on top), for the report 1."""

    scenario: Scenario
    expression: str
    entries: int  # entries (goroutines) the output must show at least
    out: str  # output file


class Measurement:
    name = ""
    scenario = "map"
    ours = False
    notes = ""

    def cap(self, entries: int, args) -> int:
        """How many entries this tool dumps of a map of `entries` (peers
        too slow for a full dump are capped and reported per entry)."""
        return entries

    def run(self, case: Case) -> Run:
        raise NotImplementedError

    entry = re.compile(r"^  \S.*: ")  # a line of `go map` entries

    def count(self, path: str) -> tuple[int, int]:
        """(entries in the output file, entries shown as errors)."""
        with open(path, errors="replace") as f:
            return sum(1 for line in f if self.entry.match(line)), 0


def gdb_argv(case: Case, setup: list[str], command: str, timing: str, gdb: str = "gdb") -> list[str]:
    argv = [gdb, "-nx", "-batch", "-ex", "set pagination off", "-ex", "set confirm off"]
    for line in (
        [f"file {case.scenario.binary}", f"core-file {case.scenario.core}"]
        + setup
        + [
            "python import time; _bench_t0 = time.perf_counter()",
            command,
            "python gdb.flush(); _bench_t1 = time.perf_counter()",
            f"python open({timing!r}, 'w').write(repr(_bench_t1 - _bench_t0))",
        ]
    ):
        argv += ["-ex", line]
    return argv


def timed(argv: list[str], case: Case, timing: str, env=None) -> Run:
    if os.path.exists(timing):
        os.unlink(timing)
    run = run_process(argv, case.out, env=env)
    if not os.path.exists(timing):
        with open(case.out, errors="replace") as f:
            tail = f.read()[-3000:]
        raise RuntimeError(f"{argv[0]} did not reach the end of its script:\n{tail}{run.stderr[-3000:]}")
    run.dump_s = float(open(timing).read())
    return run
