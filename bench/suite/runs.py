"""Running every measurement of every scenario asked for: the medians of
each tool on each case."""

from __future__ import annotations

import dataclasses
import os
import statistics

from suite.baseline_checkout import BaselineCheckout, Comparison, compare_outputs, paired_ratios
from suite.baselines import Delve
from suite.columns import measurements
from suite.config import BUILD, size_name
from suite.cores import Scenario, capture
from suite.measurement import Case, Measurement
from suite.processes import Run, log


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
    return cell(m, case, runs, loads)


def cell(m: Measurement, case: Case, runs: list[Run], loads: list[Run]) -> Cell:
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


def measure_with_baseline(m: Measurement, base: Measurement, case: Case, reps: int) -> Comparison:
    """`m` and the baseline checkout's `base` alternately on the same case
    (ours, baseline, ours, ...), the outputs of every pair compared."""
    base_case = dataclasses.replace(case, out=case.out[: -len(".txt")] + "-baseline.txt")
    ours_runs, base_runs, outputs = [], [], []
    for _ in range(reps):
        ours_runs.append(m.run(case))
        base_runs.append(base.run(base_case))
        outputs.append(compare_outputs(m, case.out, base_case.out))
    ours_cell, base_cell = cell(m, case, ours_runs, []), cell(base, base_case, base_runs, [])
    if ours_cell.entries != base_cell.entries:
        outputs.append(f"{ours_cell.entries} entries, baseline {base_cell.entries}")
    differing = [o for o in outputs if o != "identical"]
    return Comparison(
        ours_cell,
        base_cell,
        *paired_ratios(ours_runs, base_runs),
        differing[-1] if differing else "identical",
    )


def _measure_row(
    row: dict,
    scenario: Scenario,
    kind: str,
    expression: str,
    size: int,
    args,
    label: str,
    baseline: tuple[BaselineCheckout, dict] | None = None,
) -> None:
    """The row's cells; with `baseline` (the checkout and the row of its
    comparisons), those of our map dumps it can also run alternate with it."""
    for m in measurements(kind, scenario.layout):
        if kind == "map" and args.tools and m.name not in args.tools:
            continue
        entries = m.cap(size, args)
        if entries <= 0:
            log(f"{label}: {m.name} not run (over its cap)")
            continue
        out = os.path.join(
            BUILD, "out", f"{kind}-{scenario.layout}-{size}-{expression}-{m.name.replace(' ', '_')}.txt"
        )
        case = Case(scenario, expression, entries, out)
        base = baseline[0].measurement(m) if baseline and m.name in args.baseline_tools else None
        if base:
            log(f"{label}: {m.name}, alternating with the baseline ({entries} x {args.reps} x 2)")
            compared = measure_with_baseline(m, base, case, args.reps)
            baseline[1][m.name] = compared
            row[m.name] = compared.ours
        else:
            log(f"{label}: {m.name} ({entries} x {args.reps})")
            row[m.name] = measure(m, case, args.reps)
        if not args.keep_outputs:
            for path in (out, out[: -len(".txt")] + "-baseline.txt"):
                for suffix in ("", ".time", ".json", ".load"):
                    if os.path.exists(path + suffix):
                        os.unlink(path + suffix)


def run_all(args) -> dict:
    """{"map": {(layout, expression, size): {tool: Cell}}, "goroutines":
    {(layout, count): {tool: Cell}}, "report": {(layout, goroutines, entries): {tool: Cell}},
    "baseline": {(layout, expression, size): {tool: Comparison}}} (with --baseline)"""
    results = {"map": {}, "goroutines": {}, "report": {}, "baseline": {}}
    checkout = args.baseline
    os.makedirs(os.path.join(BUILD, "out"), exist_ok=True)
    for layout in args.layouts:
        for size in args.sizes:
            scenario = capture(Scenario(layout, size))
            for expression in args.maps:
                key = (layout, expression, size)
                row = results["map"].setdefault(key, {})
                label = f"{layout} {size_name(size)} {expression}"
                compared = (checkout, results["baseline"].setdefault(key, {})) if checkout else None
                _measure_row(row, scenario, "map", expression, size, args, label, compared)
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
