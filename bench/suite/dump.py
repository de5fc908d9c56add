"""Our map dumps (`go map --all`): GDB, LLDB (each also reading through the
debugger's memory API), the standalone script, the C++ core alone and the
raw limit of reading the map's memory."""

from __future__ import annotations

import json
import os
import sys

from suite.config import REPO
from suite.measurement import Case, Measurement, gdb_argv, timed
from suite.processes import Run, run_process


class OurGdb(Measurement):
    name = "gdb"
    ours = True
    memory = None
    repo = REPO  # the checkout whose plugin runs (another with --baseline)
    gdb = "gdb"  # gdb-multiarch for cores of another architecture (scripts/bench --arm64)

    def command(self, case: Case) -> str:
        return f"go map {case.expression} --all"

    def run(self, case: Case) -> Run:
        timing = case.out + ".time"
        setup = [f"source {self.repo}/gdb/gomapdbg_gdb.py"]
        argv = gdb_argv(case, setup, self.command(case), timing, self.gdb)
        return timed(argv, case, timing, _memory_env(self.memory))


def _memory_env(memory: str | None) -> dict:
    env = dict(os.environ)
    env.pop("GOMAPDBG_MEMORY", None)
    env.pop("GOMAPDBG_BENCH_CHECKOUT", None)
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
    repo = REPO

    def command(self, case: Case) -> str:
        return f"go map {case.expression} --all"

    def run(self, case: Case) -> Run:
        timing = case.out + ".time"
        argv = ["lldb-16", "--no-lldbinit", "-b"]
        for line in [
            f"command script import {self.repo}/lldb/gomapdbg_lldb.py",
            f"target create {case.scenario.binary} --core {case.scenario.core}",
            "script import time; _bench_t0 = time.perf_counter()",
            self.command(case),
            f"script open({timing!r}, 'w').write(repr(time.perf_counter() - _bench_t0))",
        ]:
            argv += ["-o", line]
        return timed(argv, case, timing, _memory_env(self.memory))


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
    repo = REPO  # whose core/python package the timer imports (GOMAPDBG_BENCH_CHECKOUT)
    notes = "scripts/gomapdbg (the CLI without a debugger, Python + the C++ core), timed around its main()"

    def arguments(self, case: Case) -> list[str]:
        return ["map", case.scenario.binary, case.scenario.core, case.expression, "--all"]

    def run(self, case: Case) -> Run:
        timing = case.out + ".time"
        argv = [sys.executable, os.path.join(REPO, "bench", "standalone_timed.py"), timing]
        env = _memory_env(None)
        if self.repo != REPO:
            env["GOMAPDBG_BENCH_CHECKOUT"] = self.repo
        return timed(argv + self.arguments(case), case, timing, env)


class StandaloneCc(Measurement):
    name = "standalone C++"
    ours = True
    notes = "bench/cc/standalone.cc: the core library alone (CoreFile + map_command, no Python)"

    program = "bench_standalone"

    def run(self, case: Case) -> Run:
        exe = os.path.join(REPO, "build", "bench", self.program)
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
    program = "bench_raw"
