#!/usr/bin/python3
"""How often `go report` names the competing accessor, per run, in each
debugger and mode: on testprogs/crash_writers (tight loops) and on the
corpus of realistic races, testprogs/races.

    /usr/bin/python3 bench/crash_rates.py [--program races] [--runs 20]
        [--cases http,store] [--toolchains go1.26,go1.26-arm64,...]
        [--modes standalone-core,gdb-live,lldb-attach,gdb-watch,...]
        [--ldflags '-s -w']

Each run crashes the program once (under GOTRACEBACK=crash for a core, or
under the debugger with `go catch` armed, launched or attached; `watch`
modes stop before the race and `go watch` the map first) and judges the
report against the program's own truth.

crash_writers: a cell shows the runs whose report passed the integration
tests' checks (tests/harness/checks/report.py check_report), and in brackets
how many also recovered the conflicting key.

races: per case, recall = runs whose first named accessor is another real
accessor; precision = runs in which every named goroutine is a real
accessor and no decoy (the target is 100 %); `honest none` = of the runs
that named nobody, those that listed the code touching a global map (the
answer when the evidence is gone); `active` = runs in which
another accessor was running, runnable, in a syscall or preempted when the
report was taken (post-mortem evidence can only exist then: recall among
those is the post-mortem target); `certain` = named with certainty.
"""

import argparse
import json
import os
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests"))

from harness import races  # noqa: E402
from harness.checks.report import race_outcome  # noqa: E402
from harness.runner import run_program  # noqa: E402
from harness.toolchains import ALL, MATRIX  # noqa: E402
from harness.truth import read_truth  # noqa: E402

WRITER_CASES = ["fast64", "faststr", "struct", "delete", "clear", "iterate", "read", "forged"]
MODES = ["standalone-core", "gdb-core", "lldb-core", "gdb-live", "lldb-live", "gdb-attach", "lldb-attach"]


def crash_writers_run(tc, debugger: str, mode: str, case: str) -> tuple[bool, bool]:
    """(report correct, conflicting key recovered) for one crash."""
    with tempfile.TemporaryDirectory() as work:
        try:
            outputs = run_program(
                "crash_writers", tc, debugger, mode, work, program_env={"GOMAPDBG_CASE": case}
            )
        except AssertionError:
            return False, False
    report = json.loads(outputs[0])
    return True, report.get("conflict_key") is not None


def races_run(tc, debugger: str, mode: str, case: str, ldflags: str | None = None) -> dict:
    """race_outcome of one crash (failed: the run itself went wrong)."""
    watch = None
    if mode == "watch":
        point = races.watch_points()[case]
        watch = (point.expression, point.file, point.line)
    with tempfile.TemporaryDirectory() as work:
        try:
            outputs = run_program(
                "races",
                tc,
                debugger,
                "live" if mode == "watch" else mode,
                work,
                program_env={"GOMAPDBG_CASE": case},
                watch=watch,
                check=False,
                ldflags=ldflags,
            )
            return race_outcome(json.loads(outputs[0]), read_truth(os.path.join(work, "truth.txt")))
        except (AssertionError, ValueError, KeyError) as e:
            return {"failed": str(e)[:300]}


def crash_writers_table(args, debugger, mode, toolchains):
    cases = args.cases.split(",") if args.cases else WRITER_CASES
    print("| toolchain | " + " | ".join(cases) + " |")
    print("|---|" + "---|" * len(cases))
    for tc in toolchains:
        cells = []
        for case in cases:
            results = [crash_writers_run(tc, debugger, mode, case) for _ in range(args.runs)]
            passed = sum(ok for ok, _ in results)
            keys = sum(key for _, key in results)
            cells.append(f"{passed}/{args.runs} ({keys})")
        print(f"| {tc.name} | " + " | ".join(cells) + " |", flush=True)


def races_table(args, debugger, mode, toolchains):
    cases = args.cases.split(",") if args.cases else races.CASES
    print(
        "| toolchain | case | map found | recall | precision | honest none | active | recall when active | certain | failed |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for tc in toolchains:
        for case in cases:
            results = [races_run(tc, debugger, mode, case, args.ldflags) for _ in range(args.runs)]
            ok = [r for r in results if "failed" not in r]
            found = sum(r["map_found"] for r in ok)
            n = len(ok)
            named = sum(r["named"] for r in ok)
            precise = sum(r["precise"] for r in ok)
            active = [r for r in ok if r["other_active"]]
            active_named = sum(r["named"] for r in active)
            certain = sum(r["certain"] for r in ok)
            honest = sum(r["honest_none"] for r in ok)
            failed = len(results) - n
            print(
                f"| {tc.name} | {case} | {found}/{n} | {named}/{n} | {precise}/{n} | {honest}/{n - named} | {len(active)}/{n} | "
                f"{active_named}/{len(active)} | {certain}/{n} | {failed} |",
                flush=True,
            )
            for r in results:
                if "failed" in r:
                    print(f"<!-- {tc.name} {case}: {r['failed']!r} -->", flush=True)


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--program", choices=["crash_writers", "races"], default="races")
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--cases", default="")
    p.add_argument("--toolchains", default=",".join(t.name for t in MATRIX))
    p.add_argument("--modes", default="standalone-core")
    p.add_argument("--ldflags", default=None, help="e.g. '-s -w' for production builds (races only)")
    args = p.parse_args()
    names = args.toolchains.split(",")
    toolchains = [t for t in ALL if t.name in names]
    for cell in args.modes.split(","):
        debugger, mode = cell.split("-")
        print(f"\n### {args.program}: {debugger}, {mode}\n")
        table = races_table if args.program == "races" else crash_writers_table
        table(args, debugger, mode, toolchains)
    return 0


if __name__ == "__main__":
    sys.exit(main())
