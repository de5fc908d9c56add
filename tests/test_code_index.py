"""The static code index (core/code) against GNU objdump, on real Go test
binaries of every toolchain of the matrix: the decoder must start an
instruction exactly where objdump does in every function pclntab lists
(only the INT3 padding after a function's code is left out), and every
RIP-relative target objdump annotates must be among the index's data
references (and nothing else). On crash_writers, the global map main.ints
is found by reference and through the map calls that assign it."""

from __future__ import annotations

import bisect
import random
import functools
import itertools
import os
import re
import subprocess
import sys

import pytest

from harness import programs, toolchains
from harness.toolchains import REPO

sys.path.insert(0, os.path.join(REPO, "build", "python"))
import gomapdbg_core as core  # noqa: E402

PROGRAMS = ["crash_writers", "basic_maps"]
_LINE = re.compile(r"^\s*([0-9a-f]+):\t(.*)$")
_ANNOTATION = re.compile(r"# (?:0x)?([0-9a-f]+)")


@functools.lru_cache(maxsize=4)
def objdump(binary: str) -> dict[int, str]:
    """Address -> instruction text of every instruction objdump decodes in .text."""
    out = subprocess.run(
        ["objdump", "-d", "--no-show-raw-insn", "-j", ".text", binary],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    ).stdout
    listing = {}
    for line in out.splitlines():
        m = _LINE.match(line)
        if m:
            listing[int(m.group(1), 16)] = m.group(2)
    return listing


def symbols(binary: str) -> dict[str, int]:
    out = subprocess.run(["nm", binary], capture_output=True, text=True, check=True).stdout
    table = {}
    for line in out.splitlines():
        parts = line.split(maxsplit=2)
        if len(parts) == 3:
            table[parts[2]] = int(parts[0], 16)
    return table


def source_line(name: str, statement: str) -> int:
    with open(os.path.join(programs.TESTPROGS, name, "main.go"), encoding="utf-8") as f:
        return next(i + 1 for i, line in enumerate(f) if line.strip() == statement)


def cells():
    return [
        pytest.param(tc, name, id=f"{tc.name}-{name}") for tc in toolchains.selected() for name in PROGRAMS
    ]


@pytest.mark.parametrize("tc,name", cells())
def test_instruction_boundaries_match_objdump(tc, name):
    binary = programs.build(name, tc)
    listing = objdump(binary)
    addresses = sorted(listing)
    functions = core.code_functions(binary)
    assert len(functions) > 1000
    problems = []
    covered = set()
    for f in functions:
        if f["undecodable_at"] is not None:
            problems.append(f"{f['name']}: undecodable at {f['undecodable_at']:#x}")
            continue
        mine = core.code_boundaries(binary, f["entry"])
        lo = bisect.bisect_left(addresses, f["entry"])
        hi = bisect.bisect_left(addresses, f["limit"])
        covered.update(addresses[lo:hi])
        theirs = [a for a in addresses[lo:hi] if a < f["end"]]
        padding = [listing[a] for a in addresses[lo:hi] if a >= f["end"]]
        if mine != theirs:
            first = min(set(mine) ^ set(theirs))
            problems.append(
                f"{f['name']}: first difference at {first:#x} ({listing.get(first, 'no objdump instruction')})"
            )
        if any(not text.startswith("int3") for text in padding):
            problems.append(f"{f['name']}: code after {f['end']:#x} was left out: {padding[:3]}")
    # Outside the functions (after the last one) there is only padding.
    outside = [
        f"{a:#x} {listing[a]}" for a in addresses if a not in covered and not listing[a].startswith("int3")
    ]
    assert not outside, f"objdump decodes code outside pclntab's functions: {outside[:10]}"
    assert not problems, f"{len(problems)} functions differ from objdump:\n" + "\n".join(problems[:20])
    stats = core.code_index_stats(binary)
    assert stats["build_seconds"] < 1.0, stats


@pytest.mark.parametrize("tc,name", cells())
def test_rip_relative_targets_match_objdump(tc, name):
    binary = programs.build(name, tc)
    listing = objdump(binary)
    annotated = set()
    for pc, text in listing.items():
        m = _ANNOTATION.search(text)
        if m and "(%rip)" in text:
            annotated.add((pc, int(m.group(1), 16)))
    indexed = set()
    for f in core.code_functions(binary):
        indexed.update(core.code_data_references(binary, f["entry"]))
    assert len(annotated) > 1000
    missing = sorted(annotated - indexed)
    extra = sorted(indexed - annotated)
    assert not missing, "objdump's targets not indexed: " + ", ".join(
        f"{pc:#x} {listing[pc]}" for pc, _ in missing[:10]
    )
    assert not extra, "indexed targets objdump does not show: " + ", ".join(
        f"{pc:#x}->{t:#x}" for pc, t in extra[:10]
    )


@pytest.mark.parametrize("tc", toolchains.selected(), ids=lambda t: t.name)
def test_global_map_is_found_through_code(tc):
    binary = programs.build("crash_writers", tc)
    syms = symbols(binary)
    ints, main = syms["main.ints"], syms["main.main"]
    map_type = core.type_descriptor(binary, "map[int]int")
    assert map_type, "DWARF gives map[int]int no runtime type descriptor"
    # main.main assigns the global (a RIP-relative store and loads).
    referring = core.code_references(binary, ints, 8)
    assert (main, "main.main") in referring, referring

    # `ints[i] = i` calls a mapassign with (t, h) = (&type, the global's value).
    line = source_line("crash_writers", "ints[i] = i")
    on_global = core.code_map_calls(binary, global_address=ints)
    assigns = [s for s in on_global if s["line"] == line and s["function"] == "main.main"]
    assert len(assigns) == 1, on_global
    site = assigns[0]
    assert site["callee_name"].startswith("runtime.mapassign"), site
    assert site["access"] == "write"
    assert site["entry_point"] and site["argument_form"] == "t, h"
    assert site["file"].endswith("crash_writers/main.go"), site
    assert site["map"] == {"kind": "global", "address": ints, "set_at": site["map"]["set_at"], "why": ""}
    assert site["map_type"]["kind"] == "address" and site["map_type"]["address"] == map_type, site
    assert main < site["map"]["set_at"] < site["pc"]

    # The same call is found by type, in main.main itself (depth 0).
    by_type = core.code_map_calls_of_type(binary, main, map_type, 0)
    assert [s["pc"] for s in by_type if s["line"] == line] == [site["pc"]]
    assert all(s["chain"] == [main] for s in by_type)


_LEGACY_PREFIXES = (0x66, 0x67, 0xF2, 0xF3, 0xF0, 0x2E, 0x64)
_PREFIX_ONLY = re.compile(
    r"^((rex(\.[WRXB]+)?|data16|addr32|lock|repz|repnz|rep|cs|ds|ss|es|fs|gs|bnd|notrack)\s*)+$"
)


def test_lengths_of_random_encodings_match_objdump(tmp_path):
    """Plausible random encodings (prefixes, REX, every opcode map, VEX,
    EVEX, memory operands with SIB, disp and RIP), one per symbol so that
    objdump decodes each from its start: wherever both objdump and the
    decoder take the bytes as an instruction, the lengths agree. Where
    objdump prints a prefix on a line of its own (a REX before another
    prefix) or reads 66 before a near branch as rel16 (AMD; Intel ignores
    it, as the decoder does), it is not a length the hardware agrees on."""
    rng = random.Random(20261206)
    slots = []
    for _ in range(5000):
        b = [rng.choice(_LEGACY_PREFIXES) for _ in range(rng.choice([0, 0, 1, 2]))]
        if rng.random() < 0.4:
            b.append(0x40 | rng.randrange(16))
        kind = rng.random()
        if kind < 0.35:
            b.append(rng.randrange(256))
        elif kind < 0.6:
            b += [0x0F, rng.randrange(256)]
        elif kind < 0.7:
            b += [0x0F, rng.choice([0x38, 0x3A]), rng.randrange(256)]
        elif kind < 0.82:
            b += [0xC5, rng.randrange(256), rng.randrange(256)]
        elif kind < 0.92:
            b += [0xC4, rng.choice([0xE1, 0xE2, 0xE3, 0x61, 0x41]), rng.randrange(256), rng.randrange(256)]
        else:
            b += [0x62, rng.randrange(256), rng.randrange(256) | 4, rng.randrange(256), rng.randrange(256)]
        b.append(rng.choice([rng.randrange(256), 0x05, 0x04, 0x44, 0x84, 0xC0 | rng.randrange(64)]))
        b += [rng.randrange(256) for _ in range(16)]
        slots.append(bytes(b[:16]))
    source = tmp_path / "slots.s"
    with open(source, "w") as f:
        f.write(".text\n")
        for i, s in enumerate(slots):
            f.write(
                f".globl s{i}\n.type s{i},@function\ns{i}:\n.byte {','.join(map(str, s))}\n.size s{i},16\n"
            )
    subprocess.run(["as", "-o", str(tmp_path / "slots.o"), str(source)], check=True)
    out = subprocess.run(
        ["objdump", "-d", "-w", "--no-show-raw-insn", str(tmp_path / "slots.o")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    firsts: dict[int, list[tuple[int, str]]] = {}
    current = None
    for line in out.splitlines():
        m = re.match(r"^[0-9a-f]+ <s(\d+)>:", line)
        if m:
            current = int(m.group(1))
            continue
        m = _LINE.match(line)
        if m and current is not None and len(firsts.setdefault(current, [])) < 2:
            firsts[current].append((int(m.group(1), 16), m.group(2)))
    agreed, differ = 0, []
    for i, s in enumerate(slots):
        (start, text), following = firsts[i][0], firsts[i][1:]
        mine = core.x86_decode(s, 0)
        if mine is None or "(bad)" in text or not following or _PREFIX_ONLY.match(text.strip()):
            continue
        prefixes = bytes(itertools.takewhile(lambda x: x in _LEGACY_PREFIXES, s))
        if 0x66 in prefixes and re.match(r"^(\S+ )*(j[a-z]+|callw|jmpw)\b", text):
            continue
        if following[0][0] - start == mine["length"]:
            agreed += 1
        else:
            differ.append(
                f"{s.hex(' ')}: objdump {following[0][0] - start} ({text}), decoder {mine['length']}"
            )
    assert agreed > 2000
    assert not differ, "\n".join(differ[:20])
