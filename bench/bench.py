"""The benchmark suite behind scripts/bench (issue 7).

Builds bench/progs/fill with a classic-map and a swiss-map toolchain, captures
cores of it with maps of each size (and, on request, parked goroutines), then
measures, on the same core and in the same run, every tool of MEASUREMENTS
dumping the same map to a file: N repetitions each, medians reported, with
per-entry times, peak RSS (/usr/bin/time) and the ratios
ours / each peer. Writes the markdown table to bench/results/latest.md.

Three sections: map dumps (`go map --all`), goroutine listings (`go
goroutines` against Delve's `goroutines` and runtime-gdb.py's `info
goroutines`, on cores with 1k/10k/100k parked goroutines) and the crash report
(`go report` on a concurrent-map-writes core with 10k goroutines and a
100k-entry map). Adding a column: write a Measurement subclass with `name`,
`scenario` ("map", "goroutines" or "report"), `ours` and `run()`, and append
it to MEASUREMENTS (bench/suite/columns.py); see bench/README.md.

Benchmarks are not timed tests: nothing here asserts a time. A tool that is
missing or fails is an error (exit 1), never a skip.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

from suite.architectures import architectures_report, run_architectures
from suite.baseline_checkout import COMPARABLE, BaselineCheckout
from suite.baselines import ensure_tools
from suite.columns import MEASUREMENTS, measurements
from suite.config import LAYOUTS, MAPS, RESULTS, SIZES
from suite.processes import log
from suite.results import report
from suite.runs import run_all

__all__ = ["LAYOUTS", "MEASUREMENTS", "main", "measurements"]


def _report_arg(text: str):
    if text in ("none", "default"):
        return None if text == "none" else text
    try:
        goroutines, entries = (int(x) for x in text.split(":"))
    except ValueError:
        raise argparse.ArgumentTypeError("GOROUTINES:ENTRIES, e.g. 10000:100000, or none") from None
    return goroutines, entries


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="scripts/bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--smoke", action="store_true", help="small sizes, 1 repetition, map[string]int only")
    p.add_argument("--sizes", nargs="+", choices=list(SIZES), help="map sizes (default 10k 100k 1M)")
    p.add_argument("--layouts", nargs="+", choices=list(LAYOUTS), default=list(LAYOUTS))
    p.add_argument(
        "--maps", nargs="*", choices=list(MAPS), help="maps to dump (default both; none: no map dumps)"
    )
    p.add_argument("--reps", type=int, help="repetitions of each measurement (default 3)")
    p.add_argument("--runtime-gdb-cap", type=int, help="entries runtime-gdb.py prints (default 20000)")
    p.add_argument("--delve-cap", type=int, help="entries Delve prints (default 1000000)")
    p.add_argument(
        "--goroutines",
        nargs="*",
        type=int,
        help="goroutine listings on cores with this many parked goroutines (default 1000 10000 100000; "
        "none: no listings)",
    )
    p.add_argument(
        "--runtime-gdb-goroutines-cap",
        type=int,
        help="largest goroutine count runtime-gdb.py's `info goroutines` runs on (default 10000: "
        "it needs ~0.3 ms a goroutine)",
    )
    p.add_argument(
        "--report",
        type=_report_arg,
        default="default",
        metavar="GOROUTINES:ENTRIES",
        help="go report on a concurrent-writes core with this many parked goroutines and map entries "
        "(default 10000:100000; none: no report)",
    )
    p.add_argument(
        "--debugger-memory-cap",
        type=int,
        default=1_000_000,
        help="largest map the debugger-memory columns dump (default 1M: LLDB's memory API takes minutes for 10M)",
    )
    p.add_argument(
        "--tools",
        nargs="+",
        choices=[m.name for m in measurements("map")],
        metavar="TOOL",
        help="the map-dump columns to run (default all: "
        + ", ".join(m.name for m in measurements("map"))
        + ")",
    )
    p.add_argument(
        "--baseline",
        metavar="CHECKOUT",
        help="also run our map dumps with CHECKOUT's code (another checkout of this repo, built), "
        "alternating with ours run by run, and report the ratios this checkout / CHECKOUT",
    )
    p.add_argument(
        "--baseline-tools",
        nargs="+",
        choices=list(COMPARABLE),
        default=list(COMPARABLE),
        help="which of our map dumps --baseline compares (default all)",
    )
    p.add_argument(
        "--arm64",
        action="store_true",
        help="instead: the 1M-entry dump and go report on an arm64 core against the same program's amd64 "
        "core (same toolchain; GDB and standalone; ratios arm64 / amd64); writes "
        "bench/results/arm64_vs_amd64.md",
    )
    p.add_argument("--keep-outputs", action="store_true", help="keep each tool's output in build/bench/out")
    p.add_argument("--output", help="where to write the table (default bench/results/latest.md)")
    p.add_argument("--install-tools", action="store_true", help="install the peers (Delve) and exit")
    args = p.parse_args(argv)
    args.argv = argv
    smoke = args.smoke
    default_sizes = ["1M"] if args.arm64 else ["10k", "100k", "1M"]
    args.sizes = [SIZES[s] for s in (args.sizes or (["10k"] if smoke else default_sizes))]
    if args.maps is None:
        args.maps = ["main.strInt"] if smoke else list(MAPS)
    if args.goroutines is None:
        args.goroutines = [1000] if smoke else [1000, 10_000, 100_000]
    if args.report == "default":
        args.report = (100, 1000) if smoke else (10_000, 100_000)
    args.reps = args.reps or (1 if smoke else 3)
    args.runtime_gdb_cap = args.runtime_gdb_cap or (1000 if smoke else 20000)
    args.delve_cap = args.delve_cap or (10000 if smoke else 1_000_000)
    args.runtime_gdb_goroutines_cap = args.runtime_gdb_goroutines_cap or 10_000
    args.output = args.output or os.path.join(RESULTS, "arm64_vs_amd64.md" if args.arm64 else "latest.md")
    start = time.perf_counter()
    if args.arm64:
        return _write(
            args, lambda: architectures_report(run_architectures(args), args, time.perf_counter() - start)
        )
    try:
        args.baseline = BaselineCheckout(args.baseline) if args.baseline else None
        ensure_tools()
        if args.install_tools:
            return 0
        results = run_all(args)
    except (RuntimeError, AssertionError, subprocess.TimeoutExpired) as e:
        print(f"scripts/bench: error: {e}", file=sys.stderr)
        return 1
    return _write(args, lambda: report(results, args, time.perf_counter() - start))


def _write(args, make_text) -> int:
    """Writes the markdown make_text() returns to args.output (and prints it)."""
    try:
        text = make_text()
    except (RuntimeError, AssertionError, subprocess.TimeoutExpired) as e:
        print(f"scripts/bench: error: {e}", file=sys.stderr)
        return 1
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w") as f:
        f.write(text)
    print(text)
    log(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
