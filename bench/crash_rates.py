#!/usr/bin/python3
"""How often `go report` names the competing accessor, per run, in each
debugger and mode, on testprogs/crash_writers.

    /usr/bin/python3 bench/crash_rates.py [--runs 20] [--cases fast64,read]
        [--toolchains go1.26,...] [--modes standalone-core,gdb-live,lldb-attach,...]

Each run crashes the program once (under GOTRACEBACK=crash for a core, or
under the debugger with `go catch` armed, launched or attached) and applies
the integration tests' own checks (tests/harness/checks.py check_report):
the message, the map, the thrower and the other accessor exactly as the
program's truth says (for the forged case: no competing accessor). A cell
shows the runs that passed, and in brackets how many of them also recovered
the conflicting key. Prints a markdown table per mode.
"""

import argparse
import json
import os
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests"))

from harness.runner import run_program  # noqa: E402
from harness.toolchains import MATRIX  # noqa: E402

CASES = ["fast64", "faststr", "struct", "delete", "clear", "iterate", "read", "forged"]
MODES = ["standalone-core", "gdb-core", "lldb-core", "gdb-live", "lldb-live", "gdb-attach", "lldb-attach"]


def one_run(tc, debugger: str, mode: str, case: str) -> tuple[bool, bool]:
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


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--cases", default=",".join(CASES))
    p.add_argument("--toolchains", default=",".join(t.name for t in MATRIX))
    p.add_argument("--modes", default="standalone-core")
    args = p.parse_args()
    names = args.toolchains.split(",")
    cases = args.cases.split(",")
    for cell in args.modes.split(","):
        debugger, mode = cell.split("-")
        print(f"\n### {debugger}, {mode}\n")
        print("| toolchain | " + " | ".join(cases) + " |")
        print("|---|" + "---|" * len(cases))
        for tc in [t for t in MATRIX if t.name in names]:
            cells = []
            for case in cases:
                results = [one_run(tc, debugger, mode, case) for _ in range(args.runs)]
                passed = sum(ok for ok, _ in results)
                keys = sum(key for _, key in results)
                cells.append(f"{passed}/{args.runs} ({keys})")
            print(f"| {tc.name} | " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
