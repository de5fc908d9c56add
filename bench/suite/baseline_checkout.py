"""Another checkout of this repo to compare with (scripts/bench --baseline
CHECKOUT): its GDB and LLDB plugins and its scripts/gomapdbg package, each
loading that checkout's own build (core/python/gomapdbg/loader.py finds
CHECKOUT/build/python by its own path), run on the same cases as ours,
alternating run by run so that the machine's load hits both alike."""

from __future__ import annotations

import copy
import dataclasses
import filecmp
import glob
import itertools
import os
import statistics
import subprocess

from suite.config import REPO
from suite.dump import OurGdb, OurLldb, Standalone
from suite.measurement import Measurement
from suite.processes import Run

# Our map dumps that can run with another checkout's code.
COMPARABLE = {"gdb": OurGdb, "lldb": OurLldb, "standalone": Standalone}


def _describe(repo: str) -> str:
    """`PATH at COMMIT` (with `+ local changes` when the work tree differs)."""

    def git(*argv):
        return subprocess.run(["git", "-C", repo, *argv], capture_output=True, text=True).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "?"
    dirty = " + local changes" if git("status", "--porcelain", "--untracked-files=no") else ""
    return f"`{repo}` at {commit}{dirty}"


class BaselineCheckout:
    def __init__(self, path: str):
        self.path = os.path.realpath(path)
        missing = [
            p
            for p in ("gdb/gomapdbg_gdb.py", "lldb/gomapdbg_lldb.py", "core/python/gomapdbg/standalone.py")
            if not os.path.exists(os.path.join(self.path, p))
        ]
        if missing:
            raise RuntimeError(f"--baseline {path}: not a gomapdbg checkout (no {', '.join(missing)})")
        if not glob.glob(os.path.join(self.path, "build", "python", "gomapdbg_core.*.so")):
            raise RuntimeError(
                f"--baseline {path}: no core module in {self.path}/build/python: build it first"
            )
        if os.environ.get("GOMAPDBG_BUILD"):
            raise RuntimeError("--baseline: unset GOMAPDBG_BUILD (both checkouts would load the same core)")
        self.description = _describe(self.path)
        self.ours_description = _describe(REPO)

    def measurement(self, ours: Measurement) -> Measurement | None:
        """`ours` run with this checkout's code, or None if it cannot be."""
        if type(ours) is not COMPARABLE.get(ours.name):
            return None
        base = copy.copy(ours)
        base.repo = self.path
        base.name = f"{ours.name} (baseline)"
        return base


@dataclasses.dataclass
class Comparison:
    """Our cell and the baseline's on one case, and the medians of the
    per-pair ratios this checkout / baseline."""

    ours: object  # runs.Cell
    base: object
    dump_ratio: float
    total_ratio: float
    output: str  # "identical", "same entries, other lines differ" or which entries differ


def paired_ratios(ours: list[Run], base: list[Run]) -> tuple[float, float]:
    dump = statistics.median(o.dump_s / max(b.dump_s, 1e-9) for o, b in zip(ours, base))
    total = statistics.median(o.total_s / b.total_s for o, b in zip(ours, base))
    return dump, total


def _lines(path: str, keep=lambda line: not line.startswith("(lldb) ")):
    """The output's lines but LLDB's echo of the commands it ran (their
    paths differ between checkouts and between the two outputs), up to the
    benchmark's timer in LLDB (which prints the length of the time it wrote)."""
    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith("(lldb) script open("):
                return
            if keep(line):
                yield line


def _first_difference(a, b) -> str | None:
    for n, (x, y) in enumerate(itertools.zip_longest(a, b)):
        if x != y:
            return "line counts differ" if x is None or y is None else f"line {n + 1} differs"
    return None


def compare_outputs(m: Measurement, ours: str, base: str) -> str:
    """How the two outputs of one pair of runs compare ("identical" at best)."""
    if filecmp.cmp(ours, base, shallow=False) or not _first_difference(_lines(ours), _lines(base)):
        return "identical"
    entries = _first_difference(_lines(ours, m.entry.match), _lines(base, m.entry.match))
    return (
        f"entries differ ({entries.replace('line', 'entry')})"
        if entries
        else "same entries, other lines differ"
    )
