"""Checks of `go map` and `go print` of a sync.Map against the truth the
program wrote: its live entries (kept beside it in a plain map), how it is
implemented (truth value sync_layout) and, for the read/dirty sync.Map, what
its deletions, misses and new keys left (NAME.expunged, NAME.read_deleted,
...). The physical view is read from text or JSON into one structure."""

from __future__ import annotations

import collections
import re

from harness.checks.maps import entries_differ
from harness.checks.values import parse_json
from harness.truth import Truth, canonical_json

_COUNTS = re.compile(r"(\d+) keys: (\d+) live, (\d+) deleted, (\d+) expunged(?:, (\d+) unreadable)?")


def _histogram(line: str) -> dict[str, int] | None:
    """{"value": count} of a line ending "LABEL: 1:5 2:3" (or "none"); None if malformed."""
    m = re.search(r": (none|\d+:\d+(?: \d+:\d+)*)$", line)
    if not m:
        return None
    return {} if m.group(1) == "none" else dict(pair.split(":") for pair in m.group(1).split())


def _counts(line: str) -> dict | None:
    m = _COUNTS.search(line)
    if not m:
        return None
    keys, live, deleted, expunged, unreadable = (int(g or 0) for g in m.groups())
    return dict(keys=keys, live=live, deleted=deleted, expunged=expunged, unreadable=unreadable)


def _text_structure(output: str) -> dict | None:
    """The structure lines of `go map --buckets` as the JSON's "structure"."""
    lines = output.splitlines()
    head = next((line for line in lines if line.startswith("structure: ")), None)
    if head is None:
        return None
    live = re.search(r"\((\d+) live entries", head)
    if not live:
        return None
    live = int(live.group(1))
    find = {
        prefix: next((line for line in lines if line.startswith(prefix)), "")
        for prefix in (
            "read map ",
            "dirty map ",
            "amended: ",
            "root ",
            "fan-out,",
            "entries by level:",
            "overflow chains ",
        )
    }
    if "read/dirty" in head:
        amended = re.match(r"amended: (\w+), misses: (-?\d+)", find["amended: "])
        if not amended:
            return None
        return dict(
            implementation="read-dirty",
            live=live,
            amended=amended.group(1) == "true",
            misses=int(amended.group(2)),
            read_entries=_counts(find["read map "]),
            dirty_entries=_counts(find["dirty map "]),
        )
    root = re.search(r": (\d+) indirect nodes \((\d+) dead\), depth (\d+)", find["root "])
    histograms = [_histogram(find[p]) for p in ("fan-out,", "entries by level:", "overflow chains ")]
    if not root or None in histograms:
        return None
    fanout, levels, chains = ({k: int(v) for k, v in h.items()} for h in histograms)
    return dict(
        implementation="hash-trie",
        live=live,
        indirect_nodes=int(root.group(1)),
        dead_indirect_nodes=int(root.group(2)),
        depth=int(root.group(3)),
        fanout=fanout,
        entries_by_level=levels,
        chains=chains,
    )


def _implementation(truth: Truth) -> str:
    return "hash-trie" if truth.values["sync_layout"] == "sync-trie" else "read-dirty"


def check_sync_buckets(output: str, name: str, truth: Truth) -> list[str]:
    """`go map NAME --buckets` (text or --json) shows the structure the
    program's truth implies: live entries; trie nodes and chains that add up
    to them; the read/dirty maps' live, deleted and expunged entries."""
    if output.lstrip().startswith("{"):
        doc, error = parse_json(output)
        if error:
            return [error]
        if doc.get("warnings"):
            return [f"unexpected warnings: {doc['warnings']}"]
        s = doc.get("structure")
    else:
        s = _text_structure(output)
    if not s:
        return ["no sync.Map structure in the output"]
    failures = []
    length = truth.maps[name].length
    want = dict(implementation=_implementation(truth), live=length)
    if s["implementation"] == "hash-trie":
        levels = {int(k): v for k, v in s["entries_by_level"].items()}
        chains = {int(k): v for k, v in s["chains"].items()}
        if sum(levels.values()) != length:
            failures.append(f"entries by level add up to {sum(levels.values())}, truth has {length} entries")
        if sum(k * v for k, v in chains.items()) != length:
            failures.append(
                f"overflow chains hold {sum(k * v for k, v in chains.items())} entries, not {length}"
            )
        if sum(s["fanout"].values()) != s["indirect_nodes"]:
            failures.append(f"fan-out counts {sum(s['fanout'].values())} nodes of {s['indirect_nodes']}")
        if length and not 1 <= s["depth"] <= 16:
            failures.append(f"depth {s['depth']} outside 1..16")
    elif f"{name}.expunged" in truth.values:
        v = {
            k: int(truth.values[f"{name}.{k}"])
            for k in (
                "expunged",
                "read_deleted",
                "dirty_deleted",
                "amended",
                "misses",
                "read_len",
                "dirty_len",
            )
        }
        want.update(amended=bool(v["amended"]), misses=v["misses"])
        read, dirty = s["read_entries"], s["dirty_entries"]
        got = (
            read["keys"],
            read["expunged"],
            read["deleted"],
            dirty["keys"],
            dirty["deleted"],
            dirty["expunged"],
        )
        expected = (v["read_len"], v["expunged"], v["read_deleted"], v["dirty_len"], v["dirty_deleted"], 0)
        if got != expected:
            failures.append(
                "read keys/expunged/deleted, dirty keys/deleted/expunged are "
                f"{got}, truth implies {expected}"
            )
    for key, value in want.items():
        if s.get(key) != value:
            failures.append(f"{key} is {s.get(key)!r}, truth implies {value!r}")
    return failures


def check_sync_json_map(output: str, name: str, truth: Truth) -> list[str]:
    """`go map --all --json` of a sync.Map: its layout, length and exactly
    the truth's entries (as a map[any]any's: keys and values interfaces)."""
    doc, error = parse_json(output)
    if error:
        return [error]
    length = truth.maps[name].length
    failures = []
    expected = dict(layout=truth.values["sync_layout"], len=length, shown=length, complete=True, warnings=[])
    for key, value in expected.items():
        if doc.get(key) != value:
            failures.append(f"{key} is {doc.get(key)!r}, expected {value!r}")
    entries = collections.Counter(canonical_json(e) for e in doc.get("entries", []))
    return failures + entries_differ(truth.json_entries.get(name, collections.Counter()), entries, examples=2)


def check_sync_print_json(output: str, text: str, truth: Truth) -> list[str]:
    """`go print VAR --json` of a sync.Map NAME: type sync.Map, its length
    and its entries (all of a small map) as the truth's."""
    variable, name = text.split()
    doc, error = parse_json(output)
    if error:
        return [error]
    value = doc.get("value") or {}
    failures = []
    if value.get("type") != "sync.Map" or value.get("len") != truth.maps[name].length:
        failures.append(f"value is {str(value)[:300]}, expected a sync.Map of len {truth.maps[name].length}")
    entries = collections.Counter(canonical_json(e) for e in value.get("entries", []))
    return failures + entries_differ(truth.json_entries.get(name, collections.Counter()), entries, examples=2)


def check_sync_key_json(output: str, name: str, truth: Truth) -> list[str]:
    """`go map --key K --json` of a sync.Map: the state the program's truth
    value key_NAME says (read/dirty: "STATE IN-READ IN-DIRTY"; trie: "STATE")."""
    doc, error = parse_json(output)
    if error:
        return [error]
    want = truth.values[f"key_{name}"].split()
    location = doc.get("location") or {}
    got = [doc.get("state")]
    if len(want) == 3:
        got += [(location.get("read") or {}).get("state"), (location.get("dirty") or {}).get("state")]
    failures = [] if got == want else [f"key {name}: state (read, dirty) {got}, truth says {want}"]
    if doc.get("found") != (want[0] != "absent"):
        failures.append(f"found is {doc.get('found')!r} for a key whose state is {want[0]}")
    return failures
