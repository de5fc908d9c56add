"""Running every measurement of every scenario asked for: the medians of
each tool on each case."""

from __future__ import annotations

import dataclasses
import os
import statistics

from suite.baselines import Delve
from suite.columns import measurements
from suite.config import BUILD, size_name
from suite.cores import Scenario, capture
from suite.measurement import Case, Measurement
from suite.processes import log


@dataclasses.dataclass
class Cell:
    """The medians of one tool on one case."""

    dump_s: float
    total_s: float
    rss_kb: int
    entries: int  # entries shown
    errors: int  # entries or parts shown as errors
    stopped: bool  # a peer gave up (an error) before showing what was asked

    @property
    def per_entry_s(self) -> float:
        return self.dump_s / max(self.entries, 1)


def measure(m: Measurement, case: Case, reps: int) -> Cell:
    runs, loads = [], []
    for _ in range(reps):
        runs.append(m.run(case))
        if isinstance(m, Delve):
            loads.append(m.load_only(case))
    shown, errors = m.count(case.out)
    stopped = shown + errors < case.entries
    if stopped and (m.ours or not errors):
        raise RuntimeError(
            f"{m.name}: showed {shown} entries (+{errors} errors) of the {case.entries} asked for "
            f"({case.scenario.key} {case.expression}); output in {case.out}"
        )
    total = statistics.median(r.total_s for r in runs)
    if loads:
        dump = max(total - statistics.median(r.total_s for r in loads), 1e-6)
    else:
        dump = statistics.median(r.dump_s for r in runs)
    return Cell(dump, total, max(r.rss_kb for r in runs), shown, errors, stopped)


def _measure_row(
    row: dict, scenario: Scenario, kind: str, expression: str, size: int, args, label: str
) -> None:
    for m in measurements(kind, scenario.layout):
        entries = m.cap(size, args)
        if entries <= 0:
            log(f"{label}: {m.name} not run (over its cap)")
            continue
        out = os.path.join(
            BUILD, "out", f"{kind}-{scenario.layout}-{size}-{expression}-{m.name.replace(' ', '_')}.txt"
        )
        log(f"{label}: {m.name} ({entries} x {args.reps})")
        row[m.name] = measure(m, Case(scenario, expression, entries, out), args.reps)
        if not args.keep_outputs:
            for suffix in ("", ".time", ".json", ".load"):
                if os.path.exists(out + suffix):
                    os.unlink(out + suffix)


def run_all(args) -> dict:
    """{"map": {(layout, expression, size): {tool: Cell}}, "goroutines":
    {(layout, count): {tool: Cell}}, "report": {(layout, goroutines, entries): {tool: Cell}}}"""
    results = {"map": {}, "goroutines": {}, "report": {}}
    os.makedirs(os.path.join(BUILD, "out"), exist_ok=True)
    for layout in args.layouts:
        for size in args.sizes:
            scenario = capture(Scenario(layout, size))
            for expression in args.maps:
                row = results["map"].setdefault((layout, expression, size), {})
                _measure_row(
                    row, scenario, "map", expression, size, args, f"{layout} {size_name(size)} {expression}"
                )
    for count in args.goroutines:
        for layout in args.layouts:
            scenario = capture(Scenario(layout, 0, count))
            row = results["goroutines"].setdefault((layout, count), {})
            _measure_row(row, scenario, "goroutines", "", count, args, f"{layout} {count} goroutines")
    if args.report:
        goroutines, entries = args.report
        for layout in args.layouts:
            scenario = capture(Scenario(layout, entries, goroutines, race=True))
            row = results["report"].setdefault((layout, goroutines, entries), {})
            _measure_row(row, scenario, "report", "", 1, args, f"{layout} report")
    return results
