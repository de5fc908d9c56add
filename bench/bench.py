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
it to MEASUREMENTS; see bench/README.md.

Benchmarks are not timed tests: nothing here asserts a time. A tool that is
missing or fails is an error (exit 1), never a skip.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests"))

from harness import toolchains  # noqa: E402
from harness.runner import produce_core  # noqa: E402

BUILD = os.path.join(REPO, "build", "bench")
PROGS = os.path.join(REPO, "bench", "progs")
RESULTS = os.path.join(REPO, "bench", "results")
DLV_VERSION = "v1.27.2"  # supports go1.25 to go1.27, the toolchains below
DLV_BIN = os.path.join(REPO, ".cache", "bench", "bin")
DLV = os.path.join(DLV_BIN, "dlv")
RUN_TIMEOUT = 1800

# The map layouts, each from a toolchain that Delve and the toolchain's own
# runtime-gdb.py both support (go1.27's reads split groups).
LAYOUTS = {"classic": "go1.25.12-noswiss", "swiss": "go1.26", "swiss-split": "go1.27.3-splitgroup"}

# The maps bench/progs/fill makes: global name -> Go type.
MAPS = {"main.strInt": "map[string]int", "main.int64Struct": "map[int64]main.Struct"}

SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000, "10M": 10_000_000}


def size_name(n: int) -> str:
    return next((k for k, v in SIZES.items() if v == n), str(n))


# ---------------------------------------------------------------- processes


@dataclasses.dataclass
class Run:
    """One run of one tool: wall time of the process, the dump itself (timed
    inside the tool where it can be, else None), its peak RSS and output."""

    total_s: float
    dump_s: float | None
    rss_kb: int
    out_path: str  # its stdout
    stderr: str


TIME = "/usr/bin/time"


def run_process(argv: list[str], out_path: str, env=None, stdin_text: str | None = None) -> Run:
    """Runs argv with stdout to out_path; measures wall time and its peak RSS
    with /usr/bin/time (a small parent: a child forked from this Python
    would inherit its RSS high-water mark in ru_maxrss)."""
    rss_path = out_path + ".rss"
    argv = [TIME, "-f", "%M", "-o", rss_path] + argv
    stdin = subprocess.DEVNULL
    if stdin_text is not None:
        stdin = tempfile.TemporaryFile()
        stdin.write(stdin_text.encode())
        stdin.seek(0)
    with open(out_path, "wb") as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, stdin=stdin, env=env, cwd=BUILD)
        try:
            proc.wait(RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise RuntimeError(f"{argv[5]} ran over {RUN_TIMEOUT} s: {shlex.join(argv)}")
        total = time.perf_counter() - start
        err.seek(0)
        stderr = err.read().decode(errors="replace")
    if stdin_text is not None:
        stdin.close()
    if proc.returncode != 0:
        raise RuntimeError(f"{shlex.join(argv[5:])} exited {proc.returncode}:\n{stderr[-3000:]}")
    with open(rss_path) as f:
        rss_kb = int(f.read().split()[-1])
    os.unlink(rss_path)
    return Run(total, None, rss_kb, out_path, stderr)


# ---------------------------------------------------------------- scenarios


@dataclasses.dataclass
class Scenario:
    """A core to measure on: the fill program of one toolchain, run with
    `entries` map entries and `goroutines` parked goroutines."""

    layout: str
    entries: int
    goroutines: int = 0
    race: bool = False  # die of concurrent writes to strInt, not a panic (go report)

    @property
    def toolchain(self) -> toolchains.Toolchain:
        return next(t for t in toolchains.MATRIX if t.name == LAYOUTS[self.layout])

    @property
    def key(self) -> str:
        return f"{self.toolchain.name}/e{self.entries}-g{self.goroutines}" + ("-race" if self.race else "")

    binary: str = ""
    core: str = ""


def _digest() -> str:
    h = hashlib.sha256()
    for root, _, files in sorted(os.walk(PROGS)):
        for f in sorted(files):
            with open(os.path.join(root, f), "rb") as fh:
                h.update(f.encode() + fh.read())
    return h.hexdigest()[:16]


def build_fill(tc: toolchains.Toolchain) -> str:
    out_dir = os.path.join(BUILD, "progs", tc.name)
    binary = os.path.join(out_dir, "fill")
    stamp = binary + ".digest"
    digest = _digest()
    if os.path.exists(binary) and os.path.exists(stamp) and open(stamp).read() == digest:
        return binary
    os.makedirs(out_dir, exist_ok=True)
    res = subprocess.run(
        [tc.go, "build", "-o", binary, "./fill"],
        cwd=PROGS,
        env=tc.env(),
        capture_output=True,
        text=True,
        timeout=900,
    )
    if res.returncode != 0:
        raise RuntimeError(f"building bench/progs/fill with {tc.name} failed:\n{res.stderr}")
    with open(stamp, "w") as f:
        f.write(digest)
    return binary


def capture(scenario: Scenario) -> Scenario:
    """Builds the binary and captures the scenario's core, reusing a core of
    the same binary from an earlier run."""
    scenario.binary = build_fill(scenario.toolchain)
    workdir = os.path.join(BUILD, "cores", scenario.key)
    os.makedirs(workdir, exist_ok=True)
    core = os.path.join(workdir, "core")
    stamp = os.path.join(workdir, "digest")
    digest = _digest()
    if not (os.path.exists(core) and os.path.exists(stamp) and open(stamp).read() == digest):
        log(f"capturing a core: {scenario.key}")
        args = [f"-entries={scenario.entries}", f"-goroutines={scenario.goroutines}"]
        if scenario.race:
            args.append("-race")
        with tempfile.TemporaryDirectory(dir=workdir) as tmp:
            shim = os.path.join(tmp, "run")
            with open(shim, "w") as f:
                f.write(f"#!/bin/sh\nexec {shlex.quote(scenario.binary)} {' '.join(args)}\n")
            os.chmod(shim, 0o755)
            produced = produce_core(shim, tmp, {})
            os.replace(produced, core)
        with open(stamp, "w") as f:
            f.write(digest)
    scenario.core = core
    return scenario


# ---------------------------------------------------------------- measurements


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


def _gdb_argv(case: Case, setup: list[str], command: str, timing: str) -> list[str]:
    argv = ["gdb", "-nx", "-batch", "-ex", "set pagination off", "-ex", "set confirm off"]
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


def _timed(argv: list[str], case: Case, timing: str, env=None) -> Run:
    if os.path.exists(timing):
        os.unlink(timing)
    run = run_process(argv, case.out, env=env)
    if not os.path.exists(timing):
        with open(case.out, errors="replace") as f:
            tail = f.read()[-3000:]
        raise RuntimeError(f"{argv[0]} did not reach the end of its script:\n{tail}{run.stderr[-3000:]}")
    run.dump_s = float(open(timing).read())
    return run


class OurGdb(Measurement):
    name = "gdb"
    ours = True
    memory = None

    def command(self, case: Case) -> str:
        return f"go map {case.expression} --all"

    def run(self, case: Case) -> Run:
        timing = case.out + ".time"
        argv = _gdb_argv(case, [f"source {REPO}/gdb/gomapdbg_gdb.py"], self.command(case), timing)
        return _timed(argv, case, timing, _memory_env(self.memory))


def _memory_env(memory: str | None) -> dict:
    env = dict(os.environ)
    env.pop("GOMAPDBG_MEMORY", None)
    if memory:
        env["GOMAPDBG_MEMORY"] = memory
    return env


def _debugger_memory_cap(entries, args):
    return entries if entries <= args.debugger_memory_cap else 0


class OurGdbDebuggerMemory(OurGdb):
    name = "gdb (GDB memory)"
    memory = "debugger"
    cap = staticmethod(_debugger_memory_cap)
    notes = "GOMAPDBG_MEMORY=debugger: memory read through gdb.Inferior.read_memory (by default GDB reads the core directly)"


class OurLldb(Measurement):
    name = "lldb"
    ours = True
    memory = None

    def command(self, case: Case) -> str:
        return f"go map {case.expression} --all"

    def run(self, case: Case) -> Run:
        timing = case.out + ".time"
        argv = ["lldb-16", "--no-lldbinit", "-b"]
        for line in [
            f"command script import {REPO}/lldb/gomapdbg_lldb.py",
            f"target create {case.scenario.binary} --core {case.scenario.core}",
            "script import time; _bench_t0 = time.perf_counter()",
            self.command(case),
            f"script open({timing!r}, 'w').write(repr(time.perf_counter() - _bench_t0))",
        ]:
            argv += ["-o", line]
        return _timed(argv, case, timing, _memory_env(self.memory))


class OurLldbDebuggerMemory(OurLldb):
    name = "lldb (LLDB memory)"
    memory = "debugger"
    cap = staticmethod(_debugger_memory_cap)
    notes = (
        "GOMAPDBG_MEMORY=debugger: memory read through SBProcess.ReadMemory (by default LLDB reads "
        "the core directly: the core file its elf-core plugin has mapped)"
    )


class Standalone(Measurement):
    """scripts/gomapdbg, the product CLI, timed by bench/standalone_timed.py."""

    name = "standalone"
    ours = True
    notes = "scripts/gomapdbg (the CLI without a debugger, Python + the C++ core), timed around its main()"

    def arguments(self, case: Case) -> list[str]:
        return ["map", case.scenario.binary, case.scenario.core, case.expression, "--all"]

    def run(self, case: Case) -> Run:
        timing = case.out + ".time"
        argv = [sys.executable, os.path.join(REPO, "bench", "standalone_timed.py"), timing]
        return _timed(argv + self.arguments(case), case, timing, _memory_env(None))


class StandaloneCc(Measurement):
    name = "standalone C++"
    ours = True
    notes = "bench/cc/standalone.cc: the core library alone (CoreFile + map_command, no Python)"

    def run(self, case: Case) -> Run:
        exe = os.path.join(REPO, "build", "bench", "bench_standalone")
        out_json = case.out + ".json"
        run = run_process(
            [exe, case.scenario.binary, case.scenario.core, case.expression, case.out], out_json
        )
        with open(out_json) as f:
            run.dump_s = json.loads(f.readline())["dump_s"]
        run.out_path = case.out
        return run


class RawLimit(StandaloneCc):
    name = "raw limit"
    ours = False
    notes = "bench/cc/raw.cc: the buckets read sequentially from the mmapped core, same text"

    def run(self, case: Case) -> Run:
        exe = os.path.join(REPO, "build", "bench", "bench_raw")
        out_json = case.out + ".json"
        run = run_process(
            [exe, case.scenario.binary, case.scenario.core, case.expression, case.out], out_json
        )
        with open(out_json) as f:
            run.dump_s = json.loads(f.readline())["dump_s"]
        run.out_path = case.out
        return run


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
        argv = _gdb_argv(
            case,
            [f"source {self.script(case)}", f"set print elements {2 * case.entries}"],
            f"print '{case.expression}'",
            timing,
        )
        return _timed(argv, case, timing)

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


# ---------------------------------------------------------------- goroutine listings

OUR_GOROUTINE = re.compile(r"^[ *] goroutine \d+ \[")


class GdbGoroutines(OurGdb):
    scenario = "goroutines"
    entry = OUR_GOROUTINE

    def command(self, case):
        return "go goroutines"


class LldbGoroutines(OurLldb):
    scenario = "goroutines"
    entry = OUR_GOROUTINE

    def command(self, case):
        return "go goroutines"


class StandaloneGoroutines(Standalone):
    scenario = "goroutines"
    entry = OUR_GOROUTINE
    notes = ""

    def arguments(self, case):
        return ["goroutines", case.scenario.binary, case.scenario.core]


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
        argv = _gdb_argv(case, [f"source {self.script(case)}"], "info goroutines", timing)
        return _timed(argv, case, timing)

    def count(self, path):
        return Measurement.count(self, path)


# ---------------------------------------------------------------- crash report


class ReportMixin:
    scenario = "report"
    entry = re.compile(r"^verdict: concurrent map writes ")


class GdbReport(ReportMixin, OurGdb):
    def command(self, case):
        return "go report"


class LldbReport(ReportMixin, OurLldb):
    def command(self, case):
        return "go report"


class StandaloneReport(ReportMixin, Standalone):
    notes = ""

    def arguments(self, case):
        return ["report", case.scenario.binary, case.scenario.core]


# The columns, in table order, per scenario.
MEASUREMENTS: list[Measurement] = [
    OurGdb(),
    OurGdbDebuggerMemory(),
    OurLldb(),
    OurLldbDebuggerMemory(),
    Standalone(),
    StandaloneCc(),
    RuntimeGdbPy(),
    RuntimeGdbPyFixed(),
    Delve(),
    RawLimit(),
    GdbGoroutines(),
    LldbGoroutines(),
    StandaloneGoroutines(),
    RuntimeGdbPyGoroutines(),
    DelveGoroutines(),
    GdbReport(),
    LldbReport(),
    StandaloneReport(),
]


def measurements(scenario: str, layout: str | None = None) -> list[Measurement]:
    return [
        m
        for m in MEASUREMENTS
        if m.scenario == scenario and (layout is None or layout in getattr(m, "layouts", LAYOUTS))
    ]


# ---------------------------------------------------------------- tools


def ensure_tools() -> None:
    """Installs Delve from the module proxy into .cache/bench/bin and checks
    the debuggers; a missing tool is an error."""
    if not os.path.exists(DLV) or DLV_VERSION.lstrip("v") not in _dlv_version():
        log(f"installing Delve {DLV_VERSION} through the module proxy into {DLV_BIN}")
        tc = next(t for t in toolchains.MATRIX if t.name == "go1.26")
        env = dict(tc.env(), GOBIN=DLV_BIN, GOFLAGS="")
        res = subprocess.run(
            [tc.go, "install", f"github.com/go-delve/delve/cmd/dlv@{DLV_VERSION}"],
            env=env,
            capture_output=True,
            text=True,
            timeout=1800,
        )
        if res.returncode != 0:
            raise RuntimeError(f"go install dlv@{DLV_VERSION} failed:\n{res.stderr[-3000:]}")
    for tool in ("gdb", "lldb-16", TIME):
        if subprocess.run(["which", tool], capture_output=True).returncode != 0:
            raise RuntimeError(f"{tool} is missing (run scripts/setup)")
    for name in ("bench_standalone", "bench_raw"):
        if not os.path.exists(os.path.join(REPO, "build", "bench", name)):
            raise RuntimeError(f"build/bench/{name} is missing (cmake --build build)")
    for layout in LAYOUTS:
        runtime_gdb_py(Scenario(layout, 0).toolchain)


def _dlv_version() -> str:
    res = subprocess.run([DLV, "version"], capture_output=True, text=True, check=False)
    return res.stdout


def log(text: str) -> None:
    print(f"bench: {text}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- running


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


# ---------------------------------------------------------------- report


def fmt_time(s: float) -> str:
    if s >= 1:
        return f"{s:.2f} s"
    if s >= 1e-3:
        return f"{s * 1e3:.1f} ms"
    return f"{s * 1e6:.0f} µs"


def fmt_per_entry(s: float) -> str:
    if s >= 1e-3:
        return f"{s * 1e3:.2f} ms"
    if s >= 1e-6:
        return f"{s * 1e6:.2f} µs"
    return f"{s * 1e9:.0f} ns"


def fmt_rss(kb: int) -> str:
    return f"{kb / 1024:.0f} MiB"


def _count_name(n: int) -> str:
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n)


def _table(row: dict, names: list[str], unit: str, one: str) -> list[str]:
    """The cells of one scenario and the ratios, per entry, of ours / peers."""
    lines = [
        f"| tool | {unit} | time | per {one} | process | peak RSS |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name in names:
        c = row.get(name)
        if c is None:
            lines.append(f"| {name} | not run | | | | |")
            continue
        err = f" ({c.errors} errors)" if c.errors else ""
        if c.stopped:
            err += ", then stopped by an error"
        lines.append(
            f"| {name} | {c.entries}{err} | {fmt_time(c.dump_s)} | {fmt_per_entry(c.per_entry_s)} "
            f"| {fmt_time(c.total_s)} | {fmt_rss(c.rss_kb)} |"
        )
    ours = [n for n in names if n in row and next(m for m in MEASUREMENTS if m.name == n).ours]
    peers = [n for n in names if n in row and n not in ours]
    if "gdb" in row and ours:
        peers.append("gdb")
    if not ours or not peers:
        return lines
    lines += [
        "",
        f"Ratios, per {one}, ours / peer (below 1: ours is faster; in brackets: speedup):",
        "",
    ]
    lines.append("| ours \\ peer | " + " | ".join(peers) + " |")
    lines.append("|---|" + "---:|" * len(peers))
    for o in ours:
        cells = []
        for peer in peers:
            r = row[o].per_entry_s / row[peer].per_entry_s
            cells.append("—" if peer == o else f"{r:.3g} ({1 / r:.3g}×)")
        lines.append(f"| {o} | " + " | ".join(cells) + " |")
    return lines


def report(results: dict, args, elapsed: float) -> str:
    lines = [
        "# gomapdbg benchmark",
        "",
        f"`scripts/bench {' '.join(args.argv)}`".replace(" `", "`"),
        f"— {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs, "
        f"{args.reps} repetition(s), medians; {elapsed:.0f} s in all.",
        "",
        "Each cell: the command's own time (inside the tool: the command alone, after the "
        "debugger loaded binary and core), the time per entry (goroutine), the whole process's "
        "wall time, and its peak RSS. Peers too slow for a full dump are capped "
        f"(runtime-gdb.py at {args.runtime_gdb_cap}, Delve at {args.delve_cap} entries; "
        f"runtime-gdb.py's `info goroutines` up to {args.runtime_gdb_goroutines_cap} goroutines) "
        "and compared per entry. Times are wall-clock on a machine other work shares.",
        "",
    ]
    if results["map"]:
        lines += ["## Map dumps (`go map EXPR --all`)", ""]
        for m in measurements("map"):
            if m.notes:
                lines.append(f"- **{m.name}**: {m.notes}")
        lines.append("")
    for (layout, expression, size), row in results["map"].items():
        tc = LAYOUTS[layout]
        lines += [f"### {layout} ({tc}), `{expression}` ({MAPS[expression]}), {size_name(size)} entries", ""]
        lines += _table(row, [m.name for m in measurements("map", layout)], "entries", "entry")
        lines.append("")
    if results["goroutines"]:
        lines += [
            "## Goroutine listings (`go goroutines`)",
            "",
            "Cores of bench/progs/fill with N goroutines parked on a channel (plus the runtime's "
            "own). Ours list each goroutine with state, location (file:line), thread and creator.",
            "",
        ]
        for m in measurements("goroutines"):
            if m.notes:
                lines.append(f"- **{m.name}**: {m.notes}")
        lines.append("")
    names = [m.name for m in measurements("goroutines")]
    for (layout, count), row in results["goroutines"].items():
        lines += [f"### {layout} ({LAYOUTS[layout]}), {_count_name(count)} parked goroutines", ""]
        lines += _table(row, names, "goroutines", "goroutine")
        lines.append("")
    if results["report"]:
        lines += [
            "## Crash report (`go report`)",
            "",
            "A core of bench/progs/fill -race: two goroutines writing `main.strInt` until "
            "`fatal error: concurrent map writes` (GOTRACEBACK=crash), with parked goroutines. "
            "No peer produces this report; the time is ours alone.",
            "",
        ]
    names = [m.name for m in measurements("report")]
    for (layout, goroutines, entries), row in results["report"].items():
        lines += [
            f"### {layout} ({LAYOUTS[layout]}), {_count_name(goroutines)} goroutines, "
            f"{_count_name(entries)}-entry map",
            "",
            "| tool | report | process | peak RSS |",
            "|---|---:|---:|---:|",
        ]
        for name in names:
            c = row[name]
            lines.append(f"| {name} | {fmt_time(c.dump_s)} | {fmt_time(c.total_s)} | {fmt_rss(c.rss_kb)} |")
        lines.append("")
    lines += targets(results)
    return "\n".join(lines) + "\n"


def targets(results: dict) -> list[str]:
    """The issues' targets, checked against this run's numbers (reported,
    never asserted)."""
    out = ["## Targets (issues 4 and 7)", ""]
    for (layout, expression, size), row in results["map"].items():
        if expression != "main.strInt":
            continue
        g, lldb = row["gdb"], row["lldb"]
        dlv, raw = row["delve"], row["raw limit"]
        rg = row["runtime-gdb.py"]
        rg_name = "runtime-gdb.py"
        if rg.stopped and "runtime-gdb.py fixed" in row:
            rg, rg_name = row["runtime-gdb.py fixed"], "runtime-gdb.py fixed (the unmodified one stops early)"
        where = f"{layout} {size_name(size)}"
        checks = [
            (
                f"GDB ≥ 250× faster per entry than {rg_name} ({where})",
                rg.per_entry_s / g.per_entry_s >= 250,
                f"{rg.per_entry_s / g.per_entry_s:.0f}×",
            ),
            (
                f"GDB faster than Delve on the same dump ({where})",
                g.per_entry_s < dlv.per_entry_s,
                f"{dlv.per_entry_s / g.per_entry_s:.2f}× faster",
            ),
            (
                f"LLDB within 1.5× of GDB ({where})",
                lldb.dump_s <= 1.5 * g.dump_s,
                f"{lldb.dump_s / g.dump_s:.2f}×",
            ),
        ]
        for name in ("standalone", "standalone C++"):
            checks.append(
                (
                    f"{name} within 2× of the raw limit ({where})",
                    row[name].dump_s <= 2 * raw.dump_s,
                    f"{row[name].dump_s / raw.dump_s:.2f}×",
                )
            )
        if size == 1_000_000:
            checks.insert(
                0, (f"1M-entry dump through GDB ≤ 2 s ({where})", g.dump_s <= 2, fmt_time(g.dump_s))
            )
        if size >= 10_000_000:
            for m in measurements("map"):
                if m.ours and m.name in row:
                    c = row[m.name]
                    checks.append(
                        (
                            f"{m.name} peak RSS bounded while dumping {size_name(size)} ({where})",
                            c.rss_kb < 1024 * 1024,
                            fmt_rss(c.rss_kb),
                        )
                    )
        out += _checks(checks)
    for (layout, count), row in results["goroutines"].items():
        if count != 100_000:
            continue
        checks = []
        for name in ("gdb", "lldb", "standalone"):
            c = row[name]
            checks.append(
                (
                    f"100k goroutines listed in ≤ 1 s, {name} ({layout})",
                    c.dump_s <= 1,
                    f"{fmt_time(c.dump_s)} (whole process {fmt_time(c.total_s)})",
                )
            )
        out += _checks(checks)
    for (layout, goroutines, entries), row in results["report"].items():
        if (goroutines, entries) != (10_000, 100_000):
            continue
        checks = []
        for name in ("gdb", "lldb", "standalone"):
            c = row[name]
            checks.append(
                (
                    f"`go report` on 10k goroutines and a 100k-entry map in ≤ 1 s, {name} ({layout})",
                    c.dump_s <= 1,
                    f"{fmt_time(c.dump_s)} (whole process {fmt_time(c.total_s)})",
                )
            )
        out += _checks(checks)
    out.append("")
    return out


def _checks(checks) -> list[str]:
    return [f"- {'met' if ok else '**missed**'}: {text}: {value}" for text, ok, value in checks]


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
    p.add_argument("--keep-outputs", action="store_true", help="keep each tool's output in build/bench/out")
    p.add_argument("--output", default=os.path.join(RESULTS, "latest.md"), help="where to write the table")
    p.add_argument("--install-tools", action="store_true", help="install the peers (Delve) and exit")
    args = p.parse_args(argv)
    args.argv = argv
    smoke = args.smoke
    args.sizes = [SIZES[s] for s in (args.sizes or (["10k"] if smoke else ["10k", "100k", "1M"]))]
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
    start = time.perf_counter()
    try:
        ensure_tools()
        if args.install_tools:
            return 0
        results = run_all(args)
    except (RuntimeError, AssertionError, subprocess.TimeoutExpired) as e:
        print(f"scripts/bench: error: {e}", file=sys.stderr)
        return 1
    text = report(results, args, time.perf_counter() - start)
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w") as f:
        f.write(text)
    print(text)
    log(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
