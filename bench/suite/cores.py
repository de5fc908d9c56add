"""The cores measured on: bench/progs/fill built with a layout's toolchain,
run to a crash with maps and parked goroutines of the sizes asked."""

from __future__ import annotations

import dataclasses
import os
import shlex
import tempfile

from harness import programs, toolchains
from harness.runner import produce_core
from suite.config import BUILD, LAYOUTS, PROGS
from suite.processes import log


@dataclasses.dataclass
class Scenario:
    """A core to measure on: the fill program of one toolchain, run with
    `entries` map entries and `goroutines` parked goroutines."""

    layout: str
    entries: int
    goroutines: int = 0
    race: bool = False  # die of concurrent writes to strInt, not a panic (go report)
    # Another toolchain than the layout's (scripts/bench --arm64: go1.26-arm64).
    toolchain_name: str = ""

    @property
    def toolchain(self) -> toolchains.Toolchain:
        return toolchains.by_name(self.toolchain_name or LAYOUTS[self.layout])

    @property
    def key(self) -> str:
        return f"{self.toolchain.name}/e{self.entries}-g{self.goroutines}" + ("-race" if self.race else "")

    binary: str = ""
    core: str = ""


def build_fill(tc: toolchains.Toolchain) -> str:
    out_dir = os.path.join(BUILD, "progs", tc.name)
    binary = os.path.join(out_dir, "fill")
    stamp = binary + ".digest"
    digest = programs.source_digest(PROGS)
    if os.path.exists(binary) and os.path.exists(stamp) and open(stamp).read() == digest:
        return binary
    programs.go_build(tc, ["./fill"], binary, PROGS, "bench/progs/fill")
    programs.write_stamp(stamp, digest)
    return binary


def capture(scenario: Scenario) -> Scenario:
    """Builds the binary and captures the scenario's core, reusing a core of
    the same binary from an earlier run."""
    scenario.binary = build_fill(scenario.toolchain)
    workdir = os.path.join(BUILD, "cores", scenario.key)
    os.makedirs(workdir, exist_ok=True)
    core = os.path.join(workdir, "core")
    stamp = os.path.join(workdir, "digest")
    digest = programs.source_digest(PROGS)
    if not (os.path.exists(core) and os.path.exists(stamp) and open(stamp).read() == digest):
        log(f"capturing a core: {scenario.key}")
        args = [f"-entries={scenario.entries}", f"-goroutines={scenario.goroutines}"]
        if scenario.race:
            args.append("-race")
        with tempfile.TemporaryDirectory(dir=workdir) as tmp:
            shim = os.path.join(tmp, "run")
            emulator = scenario.toolchain.emulator
            with open(shim, "w") as f:
                # Under qemu-user the shim is the emulator that produce_core
                # runs the binary with ("$1"): the guest's core is qemu's.
                program = shlex.join(emulator) + ' "$1"' if emulator else shlex.quote(scenario.binary)
                f.write(f"#!/bin/sh\nexec {program} {' '.join(args)}\n")
            os.chmod(shim, 0o755)
            if emulator:
                produced = produce_core(scenario.binary, tmp, {}, (shim,))
            else:
                produced = produce_core(shim, tmp, {})
            os.replace(produced, core)
        with open(stamp, "w") as f:
            f.write(digest)
    scenario.core = core
    return scenario
