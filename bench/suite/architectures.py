"""arm64 against amd64 (scripts/bench --arm64, issue 14): the same fill
program built by the same toolchain for linux/amd64 and linux/arm64 (run
under qemu-user for its core), each crashed by concurrent writes with 1M
entries per map (--sizes); on each pair of cores, `go map main.int64Struct --all` (the
map the racing writers leave alone, so both cores hold the same entries) and
`go report`, in GDB (gdb-multiarch for both: the arm64 core needs it) and
standalone. The runs alternate, amd64 then arm64, `--reps` times; the ratios
are medians over the pairs of arm64 / amd64, and every pair's outputs are
compared: the dump's entry lines must be the same set, the report's verdict
the same line once addresses and goroutine ids are left out."""

from __future__ import annotations

import dataclasses
import os
import re
import statistics
import time

from suite.config import BUILD, size_name
from suite.cores import Scenario, capture
from suite.dump import OurGdb, Standalone
from suite.listings import GdbReport, StandaloneReport
from suite.measurement import Case, Measurement
from suite.processes import Run, log
from suite.results import fmt_time
from suite.runs import cell

# The amd64 toolchain of each layout measured; its arm64 twin is NAME-arm64.
TOOLCHAINS = {"swiss": "go1.26", "classic": "go1.22.12"}
DUMPED = "main.int64Struct"


class MultiarchGdb(OurGdb):
    gdb = "gdb-multiarch"


class MultiarchGdbReport(GdbReport):
    gdb = "gdb-multiarch"


# (command, measurement) in table order.
COLUMNS: list[tuple[str, Measurement]] = [
    (f"go map {DUMPED} --all", MultiarchGdb()),
    (f"go map {DUMPED} --all", Standalone()),
    ("go report", MultiarchGdbReport()),
    ("go report", StandaloneReport()),
]


@dataclasses.dataclass
class Pair:
    """One command of one tool on the amd64 and the arm64 core of a layout."""

    layout: str
    entries: int
    command: str
    tool: str
    amd64: object  # runs.Cell
    arm64: object
    ratio: float  # median over the pairs of arm64 / amd64, the command's own time
    total_ratio: float  # the same of the whole process
    outputs: str  # "same entries" / "same verdict", or what differs


# What differs between two runs of one program whatever the architecture:
# addresses, and goroutine ids (the runtime starts a different number of its
# own goroutines on each, and either racer may be the one that throws).
_RUN_SPECIFIC = [(re.compile(r"0x[0-9a-f]+"), "0x…"), (re.compile(r"goroutine \d+"), "goroutine N")]


def _normalized(line: str) -> str:
    for pattern, stand_in in _RUN_SPECIFIC:
        line = pattern.sub(stand_in, line)
    return line


def _kept_lines(path: str, measurement: Measurement) -> list[str]:
    """The lines a pair must agree on: the entries of a dump (as a sorted
    list: the set, and how often each line came), the verdict of a report
    with its addresses and goroutine ids left out."""
    with open(path, errors="replace") as f:
        lines = [line for line in f if measurement.entry.match(line)]
    return sorted(lines if measurement.scenario == "map" else map(_normalized, lines))


def _compare(measurement: Measurement, amd64_out: str, arm64_out: str) -> str:
    a, b = _kept_lines(amd64_out, measurement), _kept_lines(arm64_out, measurement)
    what = "entries" if measurement.scenario == "map" else "verdict"
    if a == b:
        return f"same {what} ({len(a)} lines)"
    only_a, only_b = set(a) - set(b), set(b) - set(a)
    return f"{what} differ: {len(only_a)} lines only on amd64, {len(only_b)} only on arm64"


def _scenarios(layout: str, entries: int) -> tuple[Scenario, Scenario]:
    name = TOOLCHAINS[layout]
    return tuple(
        capture(Scenario(layout, entries, 0, race=True, toolchain_name=n)) for n in (name, f"{name}-arm64")
    )


def _measure(
    layout: str,
    command: str,
    m: Measurement,
    cores: tuple[Scenario, Scenario],
    reps: int,
    args_keep_outputs: bool,
) -> Pair:
    outs = [
        os.path.join(BUILD, "out", f"arch-{layout}-{m.scenario}-{m.name}-{arch}.txt")
        for arch in ("amd64", "arm64")
    ]
    expression = DUMPED if m.scenario == "map" else ""
    entries = cores[0].entries if m.scenario == "map" else 1
    cases = [Case(core, expression, entries, out) for core, out in zip(cores, outs)]
    runs: tuple[list[Run], list[Run]] = ([], [])
    compared = []
    for _ in range(reps):
        for arch_runs, case in zip(runs, cases):
            arch_runs.append(m.run(case))
        compared.append(_compare(m, *outs))
    cells = [cell(m, case, arch_runs, []) for case, arch_runs in zip(cases, runs)]
    ratio = statistics.median(b.dump_s / max(a.dump_s, 1e-9) for a, b in zip(*runs))
    total = statistics.median(b.total_s / a.total_s for a, b in zip(*runs))
    differing = [c for c in compared if not c.startswith("same")]
    if differing and m.scenario == "map":
        raise RuntimeError(f"{m.name} {command} on the {layout} cores: {differing[-1]} (outputs in {outs})")
    if not args_keep_outputs:
        for out in outs:
            for suffix in ("", ".time"):
                if os.path.exists(out + suffix):
                    os.unlink(out + suffix)
    return Pair(
        layout,
        cores[0].entries,
        command,
        m.name,
        *cells,
        ratio,
        total,
        differing[-1] if differing else compared[-1],
    )


def run_architectures(args) -> list[Pair]:
    os.makedirs(os.path.join(BUILD, "out"), exist_ok=True)
    pairs = []
    for layout in [layout for layout in args.layouts if layout in TOOLCHAINS]:
        for entries in args.sizes:
            cores = _scenarios(layout, entries)
            for command, m in COLUMNS:
                log(f"arm64 vs amd64, {layout} {size_name(entries)}: {m.name} {command} (x {args.reps} x 2)")
                pairs.append(_measure(layout, command, m, cores, args.reps, args.keep_outputs))
    return pairs


def architectures_report(pairs: list[Pair], args, elapsed: float) -> str:
    lines = [
        "# arm64 against amd64 (scripts/bench --arm64)",
        "",
        f"`scripts/bench {' '.join(args.argv)}`, {time.strftime('%Y-%m-%d')}, {elapsed / 60:.0f} min. "
        "The fill program (bench/progs/fill, crashed by concurrent writes) built by one toolchain for linux/amd64 and for linux/arm64 (its core written by "
        "qemu-aarch64-static), both cores read on this amd64 machine: GDB is gdb-multiarch for "
        "both. Times are the command's own (timed inside the tool), medians of "
        f"{args.reps} runs alternating amd64, arm64; the ratios are medians over those pairs of "
        "arm64 / amd64; each pair's outputs are compared (the dump's entry lines as a set, the "
        "report's verdict line without addresses and goroutine ids). The machine is shared (load "
        f"average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs at the end): a ratio within about "
        "0.2 of 1 is within the noise between runs.",
        "",
        "| layout (toolchain) | entries | command | tool | amd64 | arm64 | arm64 / amd64 | process ratio | outputs |",
        "|---|---:|---|---|---:|---:|---:|---:|---|",
    ]
    for p in pairs:
        lines.append(
            f"| {p.layout} ({TOOLCHAINS[p.layout]}) | {size_name(p.entries)} | `{p.command}` | {p.tool} | {fmt_time(p.amd64.dump_s)} "
            f"| {fmt_time(p.arm64.dump_s)} | {p.ratio:.2f} | {p.total_ratio:.2f} | {p.outputs} |"
        )
    lines.append("")
    return "\n".join(lines)
