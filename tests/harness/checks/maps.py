"""Checks of `go map` output against the truth: the entries (text, JSON,
bucket slots) and `--key` lookups."""

from __future__ import annotations

import collections
import re

from harness.checks.layout import expected_control
from harness.checks.values import parse_json
from harness.truth import Truth, canonical_json


def listed_entries(lines: list[str]) -> tuple[collections.Counter, int] | None:
    """The entry lines after "entries:" (indented two spaces), counted, and
    the index of the line after them; None without an "entries:" line."""
    try:
        start = lines.index("entries:") + 1
    except ValueError:
        return None
    entries = collections.Counter()
    end = start
    while end < len(lines) and lines[end].startswith("  "):
        entries[lines[end][2:]] += 1
        end += 1
    return entries, end


def entries_differ(want: collections.Counter, got: collections.Counter, examples: int = 3) -> list[str]:
    """What is missing from and unexpected in `got`, with a few examples."""
    missing, extra = want - got, got - want
    if not missing and not extra:
        return []
    return [
        f"entries differ from truth: {sum(missing.values())} missing (e.g. {list(missing)[:examples]}), "
        f"{sum(extra.values())} unexpected (e.g. {list(extra)[:examples]})"
    ]


def check_map(output: str, name: str, truth: Truth, layout: str) -> list[str]:
    """The output shows map NAME with the address, type, length, layout and
    exactly the entries the program itself wrote."""
    want = truth.maps[name]
    lines = output.splitlines()
    failures = []
    if not lines:
        return ["no output"]
    head = re.fullmatch(r".*: (.+) @ (0x[0-9a-f]+)", lines[0])
    if not head:
        return [f"first line is not 'ORIGIN: TYPE @ ADDRESS': {lines[0]!r}"]
    if head.group(1) != want.type:
        failures.append(f"type {head.group(1)!r}, truth says {want.type!r}")
    if int(head.group(2), 16) != want.address:
        failures.append(f"address {head.group(2)}, truth says {hex(want.address)}")
    layout_line = next((line for line in lines if line.startswith("layout: ")), "")
    if not layout_line.startswith(f"layout: {layout} "):
        failures.append(f"layout line {layout_line!r}, expected layout {layout}")
    if want.address == 0:
        if not layout_line.endswith("nil map, len 0"):
            failures.append(f"nil map not reported as such: {layout_line!r}")
        return failures
    if not layout_line.endswith(f", len {want.length}"):
        failures.append(f"layout line {layout_line!r} does not end with len {want.length}")
    listed = listed_entries(lines)
    if listed is None:
        return failures + ["no 'entries:' line"]
    entries, end = listed
    summary = lines[end] if end < len(lines) else ""
    if summary != f"({want.length} entries)":
        failures.append(f"summary {summary!r}, expected '({want.length} entries)'")
    failures += entries_differ(want.entries, entries)
    warnings = [line for line in lines if line.startswith("warning:")]
    if warnings:
        failures.append(f"unexpected warnings: {warnings}")
    return failures


def check_entries(output: str, name: str, truth: Truth) -> list[str]:
    """The entries listed are exactly the truth's entries of NAME (header,
    address and warnings aside: for forged maps whose entries the program
    recorded from the map they copy)."""
    listed = listed_entries(output.splitlines())
    if listed is None:
        return ["no 'entries:' line"]
    return entries_differ(truth.maps[name].entries, listed[0])


SLOT = re.compile(r"^  \[\d+\] [0-9a-f]{2}  (.*)$")


def check_buckets(output: str, name: str, truth: Truth) -> list[str]:
    """Every entry of the map appears in exactly one slot line, and the
    summary counts them."""
    want = truth.maps[name]
    slots = collections.Counter(m.group(1) for m in map(SLOT.match, output.splitlines()) if m)
    failures = []
    if slots != want.entries:
        missing, extra = want.entries - slots, slots - want.entries
        failures.append(
            f"slot entries differ from truth: {sum(missing.values())} missing (e.g. {list(missing)[:3]}), "
            f"{sum(extra.values())} unexpected (e.g. {list(extra)[:3]})"
        )
    if not re.search(rf"^summary: .*\b{want.length} live\b", output, re.M):
        failures.append(f"no summary line counting {want.length} live entries")
    return failures


def check_key(output: str, name: str, key: str, truth: Truth, layout: str) -> list[str]:
    """`--key KEY` shows the bucket holding KEY, with KEY's truth value; for
    an integer key also the hash the runtime computed, which must give the
    control byte the runtime stored in that slot. A key the truth does not
    have is reported absent, with the bucket or group its hash leads to."""
    entries = [e for e in truth.maps[name].entries if e.startswith(key + ": ")]
    if not entries:
        return _check_absent_key(output, key, layout)
    if len(entries) != 1:
        return [f"truth has {len(entries)} entries for key {key} in {name}"]
    failures = []
    found = re.search(
        rf"^key {re.escape(key)} is in .*, slot (\d)(?: \(hash (0x[0-9a-f]+)\))?$", output, re.M
    )
    if not found:
        return [f"no 'key {key} is in ..., slot N' line"]
    if not any(m and m.group(1) == entries[0] for m in map(SLOT.match, output.splitlines())):
        failures.append(f"no slot line showing {entries[0]!r}")
    if re.fullmatch(r"-?\d+", key):
        slot = re.search(rf"^\s+\[{found[1]}\] ([0-9a-f]{{2}})\s+{re.escape(key)}: ", output, re.M)
        if not found[2]:
            failures.append(f"integer key {key}: no hash shown")
        elif not slot or int(slot[1], 16) != expected_control(layout, int(found[2], 16)):
            failures.append(f"key {key}: the slot's control byte does not match the computed hash {found[2]}")
    return failures


def _check_absent_key(output: str, key: str, layout: str) -> list[str]:
    if not re.search(rf"^key {re.escape(key)} is not in the map$", output, re.M):
        return [f"key {key} is absent (truth) but not reported so"]
    home = re.search(r"^a key with its hash (0x[0-9a-f]+) goes to (?:bucket|group) (\d+)", output, re.M)
    if not home:
        return [f"absent key {key}: no bucket/group its hash goes to"]
    if layout == "classic":
        b = re.search(r" B=(\d+)", output)
        if not b or int(home[2]) != int(home[1], 16) & ((1 << int(b[1])) - 1):
            return [f"absent key {key}: bucket {home[2]} is not hash {home[1]} & (2^B-1)"]
    return []


def check_json_map(output: str, name: str, truth: Truth, layout: str) -> list[str]:
    """`go map --json --all` of map NAME: header facts and exactly the truth's entries."""
    doc, error = parse_json(output)
    if error:
        return [error]
    want = truth.maps[name]
    failures = []
    expected = {"address": hex(want.address), "type": want.type, "layout": layout, "len": want.length}
    expected.update(shown=want.length, complete=True, warnings=[])
    for key, value in expected.items():
        if doc.get(key) != value:
            failures.append(f"{key} is {doc.get(key)!r}, expected {value!r}")
    entries = collections.Counter(canonical_json(e) for e in doc.get("entries", []))
    want_entries = truth.json_entries.get(name, collections.Counter())
    failures += entries_differ(want_entries, entries, examples=2)
    return failures
