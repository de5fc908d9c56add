"""The peers measured against ours: Go's runtime-gdb.py (as shipped, and
with its swiss-map bug fixed) and Delve, on map dumps and goroutine
listings, and installing Delve."""

from __future__ import annotations

import os
import re
import subprocess

from harness import delve, toolchains
from suite.config import BUILD, LAYOUTS, REPO
from suite.cores import Scenario
from suite.measurement import Case, Measurement, gdb_argv, timed
from suite.processes import Run, TIME, log, run_process


# Delve (supports go1.25 to go1.27, the toolchains of config.LAYOUTS) is
# defined once, for the tests' comparison too.
DLV_VERSION = delve.VERSION
DLV_BIN = delve.BIN_DIR
DLV = delve.DLV


def runtime_gdb_py(tc: toolchains.Toolchain) -> str:
    """runtime-gdb.py of the GOROOT of the toolchain that built the binary."""
    res = subprocess.run(
        [tc.go, "env", "GOROOT"], env=tc.env(), capture_output=True, text=True, timeout=900, check=False
    )
    path = os.path.join(res.stdout.strip(), "src", "runtime", "runtime-gdb.py")
    if res.returncode != 0 or not os.path.exists(path):
        raise RuntimeError(f"{tc.name}: no runtime-gdb.py in GOROOT ({res.stderr.strip()})")
    return path


# The swiss-map printer of runtime-gdb.py (go1.24 to go1.27) indexes the
# table directory as `tables[t]` where `tables` is a *[dirLen]*table: GDB
# steps a pointer to an array by the whole array, so every table after the
# first is read from past the directory (a nil or stray pointer: "Cannot
# access memory at address 0x18" after the first table's entries). The fixed
# variant indexes the array itself; nothing else changes.
RUNTIME_GDB_SWISS_BUG = "\t\t\ttable = tables[t]\n"
RUNTIME_GDB_SWISS_FIX = "\t\t\ttable = tables.dereference()[t]\n"


def runtime_gdb_py_fixed(tc: toolchains.Toolchain) -> str:
    """A copy of the toolchain's runtime-gdb.py, in build/bench, with the
    one-expression fix above (made here, at run time; not kept in the repo)."""
    with open(runtime_gdb_py(tc)) as f:
        text = f.read()
    if text.count(RUNTIME_GDB_SWISS_BUG) != 1:
        raise RuntimeError(f"{tc.name}: runtime-gdb.py has no `table = tables[t]` line to fix")
    path = os.path.join(BUILD, "runtime-gdb", tc.name, "runtime-gdb-fixed.py")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text.replace(RUNTIME_GDB_SWISS_BUG, RUNTIME_GDB_SWISS_FIX))
    return path


class RuntimeGdbPy(Measurement):
    name = "runtime-gdb.py"
    notes = "Go's own GDB script, `print` with `set print elements` = 2 × the cap (keys and values count)"

    def cap(self, entries, args):
        return min(entries, args.runtime_gdb_cap)

    def script(self, case: Case) -> str:
        return runtime_gdb_py(case.scenario.toolchain)

    def run(self, case: Case) -> Run:
        timing = case.out + ".time"
        argv = gdb_argv(
            case,
            [f"source {self.script(case)}", f"set print elements {2 * case.entries}"],
            f"print '{case.expression}'",
            timing,
        )
        return timed(argv, case, timing)

    def count(self, path):
        with open(path, errors="replace") as f:
            output = f.read()
        errors = output.count("<error reading variable")
        return output.count("] = ") - errors, errors


class RuntimeGdbPyFixed(RuntimeGdbPy):
    name = "runtime-gdb.py fixed"
    layouts = ("swiss", "swiss-split")
    notes = (
        "swiss only: runtime-gdb.py with its multi-table bug fixed (`tables[t]` → "
        "`tables.dereference()[t]`, applied to a copy at run time), so it can print past the first "
        "table; the per-entry target is checked against this one"
    )

    def script(self, case: Case) -> str:
        return runtime_gdb_py_fixed(case.scenario.toolchain)


class Delve(Measurement):
    name = "delve"
    notes = f"dlv {DLV_VERSION} core, `print` with max-array-values = the cap; dump = run - load-only run"

    def cap(self, entries, args):
        return min(entries, args.delve_cap)

    def _argv(self, case):
        return [
            DLV,
            "core",
            "--allow-non-terminal-interactive=true",
            case.scenario.binary,
            case.scenario.core,
        ]

    def load_only(self, case: Case) -> Run:
        return run_process(self._argv(case), case.out + ".load", stdin_text="exit\n")

    def run(self, case: Case) -> Run:
        script = (
            f"config max-array-values {case.entries}\nconfig max-string-len 1024\n"
            f"print {case.expression}\nexit\n"
        )
        return run_process(self._argv(case), case.out, stdin_text=script)

    entry = re.compile(r"^\t.*, $")


class DelveGoroutines(Delve):
    scenario = "goroutines"
    notes = f"dlv {DLV_VERSION} core, `goroutines` (each goroutine's location, one line each); dump = run - load-only run"
    entry = re.compile(r"^[ *] Goroutine \d+ - ")

    def cap(self, entries, args):
        return entries

    def run(self, case):
        return run_process(self._argv(case), case.out, stdin_text="goroutines\nexit\n")


class RuntimeGdbPyGoroutines(RuntimeGdbPy):
    scenario = "goroutines"
    notes = (
        "runtime-gdb.py `info goroutines` (id, status and function of each goroutine; no file:line "
        "or creator), run up to the goroutine cap"
    )
    entry = re.compile(r"^[* ] *\d+ \S+")

    def cap(self, entries, args):
        return entries if entries <= args.runtime_gdb_goroutines_cap else 0

    def run(self, case):
        timing = case.out + ".time"
        argv = gdb_argv(case, [f"source {self.script(case)}"], "info goroutines", timing)
        return timed(argv, case, timing)

    def count(self, path):
        return Measurement.count(self, path)


def ensure_tools() -> None:
    """Installs Delve from the module proxy into .cache/bench/bin and checks
    the debuggers; a missing tool is an error."""
    if DLV_VERSION.lstrip("v") not in delve.installed_version():
        log(f"installing Delve {DLV_VERSION} through the module proxy into {DLV_BIN}")
        delve.install()
    for tool in ("gdb", "lldb-16", TIME):
        if subprocess.run(["which", tool], capture_output=True).returncode != 0:
            raise RuntimeError(f"{tool} is missing (run scripts/setup)")
    for name in ("bench_standalone", "bench_raw"):
        if not os.path.exists(os.path.join(REPO, "build", "bench", name)):
            raise RuntimeError(f"build/bench/{name} is missing (cmake --build build)")
    for layout in LAYOUTS:
        runtime_gdb_py(Scenario(layout, 0).toolchain)
