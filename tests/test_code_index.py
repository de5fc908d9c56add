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


def disassembly(command: list[str]) -> str:
    """What a disassembler prints of .text (the binary last in `command`)."""
    return subprocess.run(command, capture_output=True, text=True, check=True, timeout=600).stdout


@functools.lru_cache(maxsize=4)
def objdump(binary: str) -> dict[int, str]:
    """Address -> instruction text of every instruction objdump decodes in .text."""
    out = disassembly(["objdump", "-d", "--no-show-raw-insn", "-j", ".text", binary])
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


@pytest.mark.parametrize("tc", toolchains.selected() + toolchains.selected_arm64(), ids=lambda t: t.name)
def test_global_map_is_found_through_code(tc):
    binary = programs.build("crash_writers", tc)
    syms = symbols(binary)
    ints, main = syms["main.ints"], syms["main.main"]
    map_type = core.type_descriptor(binary, "map[int]int")
    assert map_type, "DWARF gives map[int]int no runtime type descriptor"
    # main.main assigns the global (RIP-relative or ADRP-paired stores and loads).
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


@pytest.mark.parametrize("tc", toolchains.selected() + toolchains.selected_arm64(), ids=lambda t: t.name)
def test_aes_hash_globals_from_code_are_the_symbols(tc):
    """A stripped binary's useAeshash and aeskeysched, read from the code of
    the hash functions, are where the symbol table puts them."""
    binary = programs.build("basic_maps", tc)
    syms = symbols(binary)
    package = "internal/runtime/maps" if tc.minor >= 27 else "runtime"
    flag = "UseAeshash" if tc.minor >= 27 else "useAeshash"
    want = (syms[f"{package}.{flag}"], syms[f"{package}.aeskeysched"])
    assert core.aes_hash_globals_from_code(binary) == want


# ---- AArch64: the decoder and the index against llvm-objdump ----

_A64_LINE = re.compile(r"^\s*([0-9a-f]+):\s+([0-9a-f]{2}) ([0-9a-f]{2}) ([0-9a-f]{2}) ([0-9a-f]{2})\s+(.*)$")
_BRANCHES = {"bl": "call", "b": "jump", "cbz": "conditional_jump", "cbnz": "conditional_jump"}
_BRANCHES |= {"tbz": "conditional_jump", "tbnz": "conditional_jump"}
_BRANCHES |= {"ret": "return", "br": "indirect_jump", "blr": "indirect_call", "udf": "trap", "brk": "trap"}
# Mnemonics whose first operand is the one register they write (no writeback forms).
_WRITE_FIRST = set(
    "ldr ldrb ldrh ldrsb ldrsh ldrsw ldur ldurb ldurh ldursw ldar ldarb ldaxr add sub adds subs mov movk movz "
    "movn orr and eor ands lsl lsr asr ubfx sbfx ubfiz csel cset csinc csneg cinc cneg neg mul madd msub "
    "umulh smulh udiv sdiv clz rbit rev sxtw sxtb uxtb adrp adr mvn bic lslv lsrv".split()
)
_WRITE_NOTHING = set(
    "str strb strh stur sturb sturh stp cmp cmn tst nop b cbz cbnz tbz tbnz ret br dmb".split()
)
# LSE atomics: the old value goes to the second operand (SWP, LDADD...), or the first (CAS).
_ATOMIC_SECOND = re.compile(r"^(ldadd|ldclr|ldset|ldeor|swp)(a|al|l)?(b|h)?$")
_ATOMIC_FIRST = re.compile(r"^cas(a|al|l)?(b|h)?$")
_REG = re.compile(r"^([xw])(\d+)$")


@functools.lru_cache(maxsize=2)
def a64_listing(binary: str) -> dict[int, tuple[bytes, str, str]]:
    """Address -> (word, mnemonic, operands) of .text, from llvm-objdump
    (Debian's `llvm`, installed by scripts/setup; with the extensions Go's
    runtime uses: LSE atomics, RCpc loads)."""
    out = disassembly(["llvm-objdump", "-d", "--mattr=+v8.5a,+lse,+rcpc", "-j", ".text", binary])
    listing = {}
    for line in out.splitlines():
        m = _A64_LINE.match(line)
        if m:
            word = bytes(int(m.group(i), 16) for i in range(2, 6))
            mnemonic, _, operands = m.group(6).strip().partition("\t")
            operands = re.sub(r"\s*<.*>$", "", operands.split("//")[0].strip())  # symbol annotations
            listing[int(m.group(1), 16)] = (word, mnemonic, operands)
    return listing


def a64_expected_references(listing) -> set[tuple[int, int]]:
    """(pc, target) of ADRP pairs, literal loads and ADR, read from
    llvm-objdump's operands: ADRP xN, page then ADD/LDR*/STR* with base xN
    and an immediate offset at the next address."""
    refs = set()
    for pc, (_, mnemonic, ops) in listing.items():
        literal = re.match(r"^[xwqdsb]\d+, 0x([0-9a-f]+)$", ops)
        if literal and (mnemonic == "adr" or mnemonic.startswith("ldr")):
            refs.add((pc, int(literal.group(1), 16)))
        relative = re.match(r"^x\d+, #(-?\d+)$", ops)  # llvm-objdump's ADR with an offset
        if relative and mnemonic == "adr":
            refs.add((pc, pc + int(relative.group(1))))
        if mnemonic != "adrp" or pc + 4 not in listing:
            continue
        reg, page = ops.split(", ")[0], int(ops.split(", ")[1].split()[0], 16)
        _, next_mnemonic, next_ops = listing[pc + 4]
        m = re.search(r"\[" + reg + r"(?:, #(\d+))?\]$", next_ops)
        if m and next_mnemonic[:3] in ("ldr", "str"):
            refs.add((pc + 4, page + int(m.group(1) or 0)))
        m = re.match(r"^x\d+, " + reg + r", #(\d+)$", next_ops)
        if m and next_mnemonic == "add":
            refs.add((pc + 4, page + int(m.group(1))))
    return refs


def a64_problems(listing, decoded) -> list[str]:
    """Where the decoder's flow, branch target or written register differs
    from what llvm-objdump's text of the same word says."""
    problems = []
    for d in decoded:
        _, mnemonic, ops = listing[d["address"]]
        base = "b" if mnemonic.startswith("b.") else mnemonic
        flow = _BRANCHES.get(base, "none")
        if base == "b" and mnemonic.startswith("b."):
            flow = "conditional_jump"
        if base in _BRANCHES and d["flow"] != flow:
            problems.append(f"{d['address']:#x} {mnemonic} {ops}: flow {d['flow']}")
        if base not in _BRANCHES and d["flow"] != "none" and mnemonic not in ("hlt", "<unknown>"):
            problems.append(f"{d['address']:#x} {mnemonic} {ops}: flow {d['flow']}")
        if flow in ("call", "jump", "conditional_jump"):
            target = int(ops.rsplit(", ", 1)[-1].split()[0], 16)
            if d["branch_target"] != target:
                problems.append(f"{d['address']:#x} {mnemonic} {ops}: target {d['branch_target']:#x}")
        if _ATOMIC_SECOND.match(mnemonic) or _ATOMIC_FIRST.match(mnemonic):
            reg = _REG.match(ops.split(", ")[0 if mnemonic.startswith("cas") else 1])
            if reg and d["written"] != ["x" + reg.group(2)]:
                problems.append(f"{d['address']:#x} {mnemonic} {ops}: writes {d['written']}")
        first = _REG.match(ops.split(", ")[0]) if ops else None
        writeback = "!" in ops or re.search(r"\], #", ops)
        if mnemonic in _WRITE_FIRST and first and not writeback:
            if d["written"] != ["x" + first.group(2)] or d["writes_any"]:
                problems.append(f"{d['address']:#x} {mnemonic} {ops}: writes {d['written']}")
        if mnemonic in _WRITE_NOTHING and not writeback and (d["written"] or d["writes_any"]):
            if mnemonic != "bl":
                problems.append(f"{d['address']:#x} {mnemonic} {ops}: writes {d['written']}")
        if mnemonic == "mov" and first and first.group(1) == "x" and _REG.match(ops.split(", ")[1]):
            if (d["transfer"], d["dest"], d["source"]) != ("copy", "x" + first.group(2), ops.split(", ")[1]):
                problems.append(
                    f"{d['address']:#x} {mnemonic} {ops}: {d['transfer']} {d['dest']} {d['source']}"
                )
    return problems


def a64_cells():
    return [
        pytest.param(tc, name, id=f"{tc.name}-{name}")
        for tc in toolchains.selected_arm64()
        for name in PROGRAMS
    ]


@pytest.mark.parametrize("tc,name", a64_cells())
def test_arm64_code_matches_llvm_objdump(tc, name):
    """Every function of an arm64 Go binary decodes whole; what the decoder
    says of each word (flow, branch target, the register a plain load or
    data-processing instruction writes, MOV copies) and the index's data
    references (ADRP pairs, literal loads, ADR) agree with llvm-objdump's
    text of the same words; only UDF #0 padding follows a function's end."""
    binary = programs.build(name, tc)
    listing = a64_listing(binary)
    functions = core.code_functions(binary)
    assert len(functions) > 1000
    problems, indexed, decoded_words = [], set(), 0
    for f in functions:
        if f["undecodable_at"] is not None:
            problems.append(f"{f['name']}: undecodable at {f['undecodable_at']:#x}")
            continue
        starts = core.code_boundaries(binary, f["entry"])
        if starts != list(range(f["entry"], f["end"], 4)):
            problems.append(f"{f['name']}: instructions do not start every 4 bytes")
        padding = [listing[a][1] for a in range(f["end"], f["limit"], 4) if a in listing]
        if any(p != "udf" for p in padding):
            problems.append(f"{f['name']}: code after {f['end']:#x} was left out: {padding[:3]}")
        code = b"".join(listing[a][0] for a in range(f["entry"], f["end"], 4))
        if not code:
            continue
        decoded = (
            [core.arm64_decode(code, f["entry"])] if len(code) == 4 else core.arm64_decode(code, f["entry"])
        )
        decoded_words += len(decoded)
        problems += a64_problems(listing, decoded)
        indexed.update(core.code_data_references(binary, f["entry"]))
    assert decoded_words > 100_000
    expected = a64_expected_references(listing)
    assert len(expected) > 5000
    missing, extra = sorted(expected - indexed), sorted(indexed - expected)
    assert not missing, "llvm-objdump's targets not indexed: " + ", ".join(
        f"{pc:#x} {listing[pc][1:]}" for pc, _ in missing[:10]
    )
    assert not extra, "indexed targets llvm-objdump does not show: " + ", ".join(
        f"{pc:#x}->{t:#x} {listing[pc][1:]}" for pc, t in extra[:10]
    )
    assert not problems, f"{len(problems)} differences from llvm-objdump:\n" + "\n".join(problems[:30])


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
