#!/usr/bin/python3
"""How often `go report` names the competing accessor on real crash cores.

    /usr/bin/python3 bench/crash_rates.py [--runs 20] [--cases fast64,read] [--toolchains go1.26,...]

For each toolchain and crash case of testprogs/crash_writers, crashes the
program RUNS times under GOTRACEBACK=crash and runs the standalone report
on each core; counts the runs whose report names the message, the map, the
thrower and the other accessor exactly as the program's truth says (for the
forged case: no competing accessor). Prints a markdown table of rates.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests"))

from harness import checks, programs  # noqa: E402
from harness.runner import produce_core  # noqa: E402
from harness.toolchains import MATRIX  # noqa: E402
from harness.truth import read_truth  # noqa: E402

CASES = ["fast64", "faststr", "struct", "delete", "clear", "iterate", "read", "forged"]


def one_run(binary: str, case: str) -> bool:
    with tempfile.TemporaryDirectory() as work:
        truth = os.path.join(work, "truth.txt")
        core = produce_core(binary, work, {"GOMAPDBG_TRUTH": truth, "GOMAPDBG_CASE": case})
        out = subprocess.run(
            [os.path.join(REPO, "scripts", "gomapdbg"), "report", binary, core, "--json"],
            capture_output=True,
            text=True,
            timeout=300,
        ).stdout
        return not checks.check_report(out, read_truth(truth))


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--cases", default=",".join(CASES))
    p.add_argument("--toolchains", default=",".join(t.name for t in MATRIX))
    args = p.parse_args()
    names = args.toolchains.split(",")
    cases = args.cases.split(",")
    print("| toolchain | " + " | ".join(cases) + " |")
    print("|---|" + "---|" * len(cases))
    for tc in [t for t in MATRIX if t.name in names]:
        binary = programs.build("crash_writers", tc)
        rates = [sum(one_run(binary, c) for _ in range(args.runs)) for c in cases]
        print(f"| {tc.name} | " + " | ".join(f"{r}/{args.runs}" for r in rates) + " |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
