"""Damaged real cores, runtime side: each case takes the GOTRACEBACK=crash
core of testprogs/goroutines (or its executable), damages a copy of it —
allgs with a cycle, allgs with a bogus length, a g whose sched.sp is outside
its stack, a zeroed .gopclntab, a core truncated at 50 %, the core of
another build — and runs goroutine commands on it in GDB, LLDB and
standalone. Each case must give a clear message (a `warning:` or a one-line
error) and what can still be read, checked against what the program
recorded of its own goroutines (runtime.Stack); never a traceback, a crash
or a hang; and the next command of the same session must work.

Where the runtime keeps things (reference go-runtime-layouts.md §5.1, §5.2,
§5.6, the same in go1.22 and go1.26): runtime.allgs is a slice header
(ptr, len, cap) and runtime.allglen a word, both found through the ELF
symbol table; g.stack.lo @0, g.stack.hi @8, g.sched.sp @56,
g.atomicstatus @144, g.goid @152.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
from typing import Callable

import pytest

from harness import checks
from harness.checks.goroutines import differences
from harness.corefile import CoreImage, ElfSymbols
from harness.runner import crash_core
from harness.session import SessionSpec, run_session
from harness.toolchains import Toolchain, by_name
from harness.truth import Truth, read_truth

DRIVERS = ("gdb", "lldb", "standalone")
CLASSIC = by_name("go1.22.12")
SWISS = by_name("go1.26")

G_STACK_LO, G_STACK_HI, G_SCHED_SP, G_STATUS, G_GOID = 0, 8, 56, 144, 152
G_DEAD = (0, 6)  # _Gidle, _Gdead

LIST = "go goroutines -t 64 --json"


@dataclasses.dataclass
class Damaged:
    """What a damage did, for the checks."""

    core: str
    binary: str
    listed: set[int] | None = None  # the goids that can still be listed (None: all)
    goid: int = 0  # the damaged goroutine, if one
    cut: int = 0  # bytes kept of a truncated core


@dataclasses.dataclass
class Case:
    name: str
    toolchain: Toolchain
    damage: Callable  # (img, elf, truth, binary, work) -> Damaged
    commands: Callable  # (Damaged) -> list of commands
    check: Callable  # (outputs, truth, Damaged, img) -> list of failures
    other: Toolchain | None = None  # the toolchain of another core the damage loads


def allgs(img: CoreImage, elf: ElfSymbols) -> tuple[int, list[int]]:
    at = elf.address("runtime.allgs")
    ptr, length = img.u64(at), img.u64(at + 8)
    return ptr, [img.u64(ptr + 8 * i) for i in range(length)]


def live_goid(img: CoreImage, g: int) -> int | None:
    status = img.u64(g + G_STATUS) & 0xFFFFFFFF & ~0x1000
    return None if status in G_DEAD else img.u64(g + G_GOID)


def parked(truth: Truth):
    """The recorded goroutines that stay where they were recorded: parked,
    with user frames (what checks.check_goroutines compares)."""
    for want in truth.goroutines.values():
        if want.state not in ("running", "runnable") and any(
            not f.startswith("runtime.") for f in want.frames
        ):
            yield want


def compare(data: dict, truth: Truth, only: set[int] | None, skip: int = 0, frames: bool = True) -> list[str]:
    """Every recorded parked goroutine among `only` (all when None) is
    listed with the runtime's state (and frames, as a subsequence)."""
    ours = {g["goid"]: g for g in data["goroutines"]}
    failures, compared = [], 0
    for want in parked(truth):
        if want.goid == skip or (only is not None and want.goid not in only):
            continue
        compared += 1
        failures += differences(want, ours.get(want.goid), frames)
    if not compared:
        failures.append("no recorded goroutine to compare with")
    return failures


def warned(data: dict, pattern: str) -> list[str]:
    if any(re.search(pattern, w) for w in data.get("warnings", [])):
        return []
    return [f"no warning matching {pattern!r} in {data.get('warnings')}"]


def bt_1_works(out: str) -> list[str]:
    """`go bt 1` on an undamaged goroutine 1 (main.main, recorded by the program)."""
    if "goroutine 1 [" in out and "in main.main at" in out and "in runtime.goexit at" in out:
        return []
    return [f"go bt 1 after the damage:\n{out[:1500]}"]


# --- allgs whose second half repeats its first half -------------------------


def allgs_cycle(img, elf, truth, binary, work):
    ptr, gs = allgs(img, elf)
    k = len(gs) // 2
    for i in range(k, len(gs)):
        img.put_u64(ptr + 8 * i, gs[i - k])
    left = gs[: len(gs) - k]  # the distinct entries of the damaged array
    listed = {goid for g in left if (goid := live_goid(img, g)) is not None}
    lost = {goid for g in gs[len(left) :] if (goid := live_goid(img, g)) is not None}
    assert lost & {w.goid for w in parked(truth)}, "the damage hides no recorded goroutine"
    return Damaged(img.save(os.path.join(work, "core.damaged")), binary, listed)


def check_cycle(outputs, truth, d, img):
    data = json.loads(outputs[0])
    failures = warned(
        data,
        r"runtime\.allgs lists \d+ entries a second time \(the first at index \d+: g 0x[0-9a-f]+, already at index 0\): a cycle",
    )
    shown = {g["goid"] for g in data["goroutines"]}
    if shown != d.listed:
        failures.append(f"listed {sorted(shown)}, the entries before the cycle hold {sorted(d.listed)}")
    return failures + compare(data, truth, d.listed) + bt_1_works(outputs[1])


# --- allgs.len and allglen absurd ---------------------------------------------


def allgs_length(img, elf, truth, binary, work):
    img.put_u64(elf.address("runtime.allgs") + 8, 1 << 40)
    img.put_u64(elf.address("runtime.allglen"), 1 << 40)
    return Damaged(img.save(os.path.join(work, "core.damaged")), binary)


def check_length(outputs, truth, d, img):
    data = json.loads(outputs[0])
    failures = warned(
        data,
        r"runtime\.allgs has an absurd length: len 1099511627776, allglen 1099511627776, cap \d+; read \d+ entries",
    )
    # Every goroutine is still there, with complete stacks.
    return failures + checks.check_goroutines(outputs[0], truth) + bt_1_works(outputs[1])


# --- a g whose saved sp is outside its stack ------------------------------------


def sp_outside(img, elf, truth, binary, work):
    _, gs = allgs(img, elf)
    victim = next(w.goid for w in parked(truth) if w.state == "chan receive")
    g = next(g for g in gs if live_goid(img, g) == victim)
    lo, hi = img.u64(g + G_STACK_LO), img.u64(g + G_STACK_HI)
    outside = gs[0]  # goroutine 1's g struct: readable memory, not a stack
    assert not lo <= outside < hi
    img.put_u64(g + G_SCHED_SP, outside)
    return Damaged(img.save(os.path.join(work, "core.damaged")), binary, goid=victim)


def check_sp(outputs, truth, d, img):
    data = json.loads(outputs[0])
    failures = compare(data, truth, None, skip=d.goid)
    g = next((g for g in data["goroutines"] if g["goid"] == d.goid), None)
    reason = r"its saved sp 0x[0-9a-f]+ is outside its stack \[0x[0-9a-f]+, 0x[0-9a-f]+\): the g is damaged"
    if g is None:
        failures.append(f"the damaged goroutine {d.goid} is not listed")
    else:
        if g["state"] != truth.goroutines[d.goid].state:
            failures.append(f"goroutine {d.goid}: state {g['state']!r}")
        if g["complete"] or not re.search(reason, g["stop_reason"]) or len(g["frames"]) > 1:
            failures.append(
                f"goroutine {d.goid}: {g['complete']=} {g['stop_reason']=} {len(g['frames'])} frames"
            )
    if not re.search(r"\(stack ends: " + reason, outputs[1]):
        failures.append(f"go bt {d.goid} says:\n{outputs[1][:1000]}")
    return failures + bt_1_works(outputs[2])


# --- the executable's .gopclntab zeroed ---------------------------------------


def zeroed_pclntab(img, elf, truth, binary, work):
    copy = os.path.join(work, os.path.basename(binary))
    shutil.copy2(binary, copy)
    _, offset, size = elf.sections[".gopclntab"]
    with open(copy, "r+b") as f:
        f.seek(offset)
        f.write(bytes(size))
    return Damaged(img.save(os.path.join(work, "core")), copy)


def check_pclntab(outputs, truth, d, img):
    data = json.loads(outputs[0])
    failures = warned(
        data,
        r"its \.gopclntab is damaged \(magic 0x0 .*\): goroutines are listed without locations or stacks",
    )
    # What is left: every goroutine with its state, no frames.
    failures += compare(data, truth, None, frames=False)
    if any(g["frames"] for g in data["goroutines"]):
        failures.append("frames shown without a pclntab")
    if "(stack ends: no usable pclntab to unwind with)" not in outputs[1]:
        failures.append(f"go bt 1 says:\n{outputs[1][:1000]}")
    if "pclntab: unusable: its .gopclntab is damaged (magic 0x0" not in outputs[2]:
        failures.append(f"go info says:\n{outputs[2][:1000]}")
    return failures


# --- the core truncated at 50 % ---------------------------------------------------


def truncated(img, elf, truth, binary, work):
    cut = len(img.data) // 2
    _, gs = allgs(img, elf)
    kept = set()
    for g in gs:
        off = img.offset(g, G_GOID + 8)
        if off is not None and off + G_GOID + 8 <= cut and (goid := live_goid(img, g)) is not None:
            kept.add(goid)
    return Damaged(img.save(os.path.join(work, "core.truncated"), cut), binary, kept, cut=cut)


def check_truncated(outputs, truth, d, img):
    data = json.loads(outputs[0])
    failures = warned(
        data,
        r"the core file \S+ is truncated: it has \d+ of the \d+ bytes its program headers describe; memory from 0x[0-9a-f]+ on is missing",
    )
    # The g structs still in the file are listed with their state.
    failures += compare(data, truth, d.listed, frames=False) + bt_1_works(outputs[1])
    # go report says it once, not once per part (map, goroutines).
    said = outputs[2].count("is truncated")
    if said != 1:
        failures.append(f"go report says the core is truncated {said} times:\n{outputs[2][:2000]}")
    return failures


# --- the core of another build ----------------------------------------------------


def other_build(img, elf, truth, binary, work):
    """The go1.26 core of goroutines, loaded with the go1.22 executable."""
    return Damaged(crash_core("goroutines", SWISS, None)[1], binary)  # made by the test first


def check_other(outputs, truth, d, img):
    """Each command says first, in one line, which program dumped the core."""
    mismatch = (
        r"\Awarning: the core file \S+ was dumped by \S+/go1\.26/goroutines, "
        r"not by \S+/go1\.22\.12/goroutines: load that program to read it\n"
    )
    failures = []
    for command, out in zip(("go goroutines", "go info"), outputs):
        if not re.match(mismatch, out):
            failures.append(f"{command} says first:\n{out[:1500]}")
        elif out.count("was dumped by") != 1:
            failures.append(f"{command} says it {out.count('was dumped by')} times:\n{out[:3000]}")
    if "go version: go1.22.12" not in outputs[1]:
        failures.append(f"go info says:\n{outputs[1][:1000]}")
    return failures


CASES = [
    Case("allgs-cycle", SWISS, allgs_cycle, lambda d: [LIST, "go bt 1"], check_cycle),
    Case("allgs-bogus-length", CLASSIC, allgs_length, lambda d: [LIST, "go bt 1"], check_length),
    Case(
        "g-sp-outside-stack",
        SWISS,
        sp_outside,
        lambda d: [LIST, f"go bt {d.goid}", "go bt 1"],
        check_sp,
    ),
    Case(
        "zeroed-pclntab",
        CLASSIC,
        zeroed_pclntab,
        lambda d: [LIST, "go bt 1", "go info"],
        check_pclntab,
    ),
    Case("truncated-half", SWISS, truncated, lambda d: [LIST, "go bt 1", "go report"], check_truncated),
    Case(
        "other-build", CLASSIC, other_build, lambda d: ["go goroutines", "go info"], check_other, other=SWISS
    ),
]


def real_core(tc, tmp_path_factory) -> tuple[str, str, str]:
    """(binary, core, truth) of goroutines for a toolchain, made once per run."""
    return crash_core("goroutines", tc, tmp_path_factory)


@pytest.mark.parametrize("driver", DRIVERS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.name}-{c.toolchain.name}")
def test_damaged_runtime(case, driver, tmp_path, tmp_path_factory):
    binary, core, truth_path = real_core(case.toolchain, tmp_path_factory)
    if case.other:
        real_core(case.other, tmp_path_factory)
    truth = read_truth(truth_path)
    img = CoreImage(core)
    damaged = case.damage(img, ElfSymbols(binary), truth, binary, str(tmp_path))
    commands = case.commands(damaged)
    spec = SessionSpec(
        binary=damaged.binary,
        mode="core",
        commands=commands,
        truth=truth_path,
        layout=case.toolchain.map_layout,
        version=case.toolchain.version_prefix,
        core=damaged.core,
    )
    outputs, transcript = run_session(driver, spec, str(tmp_path))
    where = f"\n--- {driver} transcript (last 3000 chars):\n{transcript[-3000:]}"
    assert "Traceback" not in transcript, where
    for command, out in zip(commands, outputs):
        assert "internal error" not in out, f"`{command}`:\n{out[:2000]}" + where
        errors = [line for line in out.splitlines() if line.startswith("error:")]
        assert len(errors) <= 1 and all(len(e) < 600 for e in errors), errors
    failures = case.check(outputs, truth, damaged, img)
    assert not failures, "\n".join(failures) + where
