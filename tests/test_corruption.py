"""Damaged real cores: each case takes the core of testprogs/basic_maps,
damages a copy (the map header's fields found through the truth file's map
addresses and the core's PT_LOAD headers), and runs `go map` on it in GDB,
LLDB and standalone (the Python module reading the core itself). Each case
must give a clear message and what can still be read, never a traceback,
a crash or a hang, and the next command of the same session must work.

Offsets are those of the runtime (reference go-runtime-layouts.md): classic
hmap count@0 B@9 buckets@16, bucket<int,int> 144 bytes with overflow@136
(§1.1–1.2); swiss Map used@0 dirPtr@16 dirLen@24, table groups.data@16
(§2.1–2.2).

The runtime's side (allgs with a cycle or a bogus length, a g whose
sched.sp is outside its stack, a zeroed pclntab, and goroutine commands on
a truncated core and on another build's core) is test_corruption_runtime.py.
"""

from __future__ import annotations

import dataclasses
import os
import re
from typing import Callable

import pytest

from harness import checks, programs
from harness.corefile import CoreImage
from harness.runner import crash_core
from harness.session import SessionSpec, run_session
from harness.toolchains import Toolchain, by_name
from harness.truth import read_truth

DRIVERS = ("gdb", "lldb", "standalone")
CLASSIC = by_name("go1.22.12")
SWISS = by_name("go1.26")
SPLIT = by_name("go1.27.3-splitgroup")  # groups of keys, then elems
UNMAPPED = 0x10  # the first page is never mapped

# The session's second command: an undamaged map, checked against the truth.
NEXT = "go map main.intInt9 --all"


@dataclasses.dataclass
class Case:
    name: str
    toolchain: Toolchain
    command: str
    # Damages the image; may return a different core path (truncation, another binary).
    damage: Callable
    expect: list[str]  # regexes the damaged command's output must contain
    entries: str = "some"  # "none", "some" (partial, all true) or "all"
    other: Toolchain | None = None  # the toolchain of another core the damage loads


def _header(truth, name):
    return truth.maps[name].address


def b_255(img, truth, work):
    img.put_u8(_header(truth, "intInt1000") + 9, 255)


def buckets_unmapped(img, truth, work):
    img.put_u64(_header(truth, "intInt1000") + 16, UNMAPPED)


def overflow_loop(img, truth, work):
    """The first overflow bucket of intInt100000 points back at itself."""
    h = _header(truth, "intInt100000")
    b, buckets = img.read(h + 9, 1)[0], img.u64(h + 16)
    for i in range(1 << b):
        overflow = img.u64(buckets + i * 144 + 136)
        if overflow:
            img.put_u64(overflow + 136, overflow)
            return
    raise AssertionError("intInt100000 has no overflow bucket to damage")


def count_huge(img, truth, work):
    img.put_u64(_header(truth, "intInt8"), 10**12)


def dirlen_huge(img, truth, work):
    img.put_u64(_header(truth, "intInt1000") + 24, 1 << 40)


def dirlen_negative(img, truth, work):
    img.put_u64(_header(truth, "intInt1000") + 24, -5)


def groups_garbage(img, truth, work):
    """intInt100000's first table's groups pointer is garbage."""
    h = _header(truth, "intInt100000")
    table = img.u64(img.u64(h + 16))
    img.put_u64(table + 16, 0xDEAD0000DEAD0000)


def truncated(img, truth, work):
    return img.save(os.path.join(work, "core.truncated"), len(img.data) // 2)


# The first line of every command on the core of another build: the core
# (go1.22.12's basic_maps) names both programs.
OTHER_BINARY = (
    r"\Awarning: the core file \S+ was dumped by \S+/go1\.22\.12/basic_maps, "
    r"not by \S+/go1\.26/basic_maps: load that program to read it\n"
)


def other_binary(img, truth, work):
    """The go1.22 (classic) core of basic_maps, loaded with the go1.26 binary."""
    return other_core(work)


CASES = [
    Case(
        "classic-B-255",
        CLASSIC,
        "go map main.intInt1000 --all",
        b_255,
        [
            r"warning: corrupt map header at 0x[0-9a-f]+: B = 255 is absurd \(at most 34\); walked \d+ buckets "
            r"from the start of the bucket array at 0x[0-9a-f]+ until count \(1000\) entries were found"
        ],
        "all",  # the array is intact: walked from its start, every entry is found
    ),
    Case(
        "classic-buckets-unmapped",
        CLASSIC,
        "go map main.intInt1000 --all",
        buckets_unmapped,
        [r"warning: bucket array unreadable at 0x10 ", r"warning: found 0 entries but count is 1000"],
        "none",
    ),
    Case(
        "classic-overflow-loop",
        CLASSIC,
        "go map main.intInt100000 --all",
        overflow_loop,
        [r"warning: overflow chain revisits bucket 0x[0-9a-f]+ \(a cycle\); chain cut"],
        "all",  # the loop adds no bucket: nothing is lost
    ),
    Case(
        "classic-count-huge",
        CLASSIC,
        "go map main.intInt8 --all",
        count_huge,
        [r"len 1000000000000", r"warning: found 8 entries but count is 1000000000000"],
        "all",
    ),
    Case(
        "swiss-dirlen-huge",
        SWISS,
        "go map main.intInt1000 --all",
        dirlen_huge,
        [
            r"warning: corrupt map header at 0x[0-9a-f]+: dirLen = 1099511627776 is absurd; walked \d+ "
            r"directory entries from dirPtr 0x[0-9a-f]+ until used entries were found"
        ],
        "all",  # the directory is intact: walked from its start, every entry is found
    ),
    Case(
        "swiss-dirlen-negative",
        SWISS,
        "go map main.intInt1000 --all",
        dirlen_negative,
        [
            r"warning: corrupt map header at 0x[0-9a-f]+: dirLen = -5 is absurd; walked \d+ "
            r"directory entries from dirPtr 0x[0-9a-f]+ until used entries were found"
        ],
        "all",
    ),
    Case(
        "swiss-groups-garbage",
        SWISS,
        "go map main.intInt100000 --all",
        groups_garbage,
        [r"warning: groups of table 0x[0-9a-f]+ unreadable at 0xdead0000dead0000"],
    ),
    Case(
        "swiss-split-dirlen-huge",
        SPLIT,
        "go map main.intInt1000 --all",
        dirlen_huge,
        [r"warning: corrupt map header at 0x[0-9a-f]+: dirLen = 1099511627776 is absurd; walked \d+ "],
        "all",
    ),
    Case(
        "swiss-split-groups-garbage",
        SPLIT,
        "go map main.intInt100000 --all",
        groups_garbage,
        [r"warning: groups of table 0x[0-9a-f]+ unreadable at 0xdead0000dead0000"],
    ),
    Case(
        "truncated-half",
        SWISS,
        "go map main.intInt100000 --all",
        truncated,
        [r"the core file \S+ is truncated: it has \d+ of the \d+ bytes its program headers describe"],
        "any",
    ),
    Case(
        "other-binary",
        SWISS,
        "go map main.intInt1000 --all",
        other_binary,
        [OTHER_BINARY],
        "any",
        other=CLASSIC,
    ),
]


def real_core(tc, tmp_path_factory) -> tuple[str, str, str]:
    """(binary, core, truth) of basic_maps for a toolchain, made once per run."""
    return crash_core("basic_maps", tc, tmp_path_factory)


_other = {}


def other_core(work):
    return _other["core"]


def entry_lines(output: str) -> list[str]:
    lines = output.splitlines()
    if "entries:" not in lines:
        return []
    start = lines.index("entries:") + 1
    end = start
    while end < len(lines) and lines[end].startswith("  "):
        end += 1
    return [line[2:] for line in lines[start:end]]


@pytest.mark.parametrize("driver", DRIVERS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.name}-{c.toolchain.name}")
def test_damaged_core(case, driver, tmp_path, tmp_path_factory):
    binary, core, truth_path = real_core(case.toolchain, tmp_path_factory)
    if case.other:
        _other["core"] = real_core(case.other, tmp_path_factory)[1]
    truth = read_truth(truth_path)
    img = CoreImage(core)
    damaged = case.damage(img, truth, str(tmp_path)) or img.save(str(tmp_path / "core.damaged"))
    name = case.command.split()[2].removeprefix("main.")
    commands = [case.command, NEXT if case.name not in ("truncated-half", "other-binary") else "go info"]
    spec = SessionSpec(
        binary=binary,
        mode="core",
        commands=commands,
        truth=truth_path,
        layout=case.toolchain.map_layout,
        version=case.toolchain.version_prefix,
        core=damaged,
    )
    outputs, transcript = run_session(driver, spec, str(tmp_path))
    out, after = outputs
    where = f"\n--- {driver} transcript (last 3000 chars):\n{transcript[-3000:]}"
    assert "Traceback" not in transcript, where
    assert "internal error" not in out, where
    for pattern in case.expect:
        assert re.search(pattern, out), f"no match for {pattern!r} in:\n{out[:3000]}" + where
    errors = [line for line in out.splitlines() if line.startswith("error:")]
    assert len(errors) <= 1, errors
    if errors:
        assert len(errors[0]) < 300 and "\n" not in errors[0]
    # What is shown is true: every entry printed is one of the map's.
    shown = entry_lines(out)
    want = truth.maps[name].entries
    wrong = [e for e in shown if e not in want]
    if case.name != "other-binary":
        assert not wrong, f"{len(wrong)} entries not in the truth, e.g. {wrong[:3]}" + where
    if case.entries == "none":
        assert not shown, where
    elif case.entries == "some":
        assert 0 < len(shown) < len(want), f"{len(shown)} of {len(want)} entries shown" + where
        assert "header: " in out
    elif case.entries == "all":
        assert sorted(shown) == sorted(want.elements()), where
    # The session goes on.
    if commands[1] == NEXT:
        failures = checks.check_map(after, "intInt9", truth, case.toolchain.map_layout)
        assert not failures, "\n".join(failures) + where
    else:
        assert "go version: go1.26" in after and "map layout: swiss" in after, after + where
    if case.name == "other-binary":
        assert re.match(OTHER_BINARY, after), f"go info says first:\n{after[:500]}" + where
        said = out.count("was dumped by") + after.count("was dumped by")
        assert said == 2, f"the mismatch said {said} times, not once per command" + where
