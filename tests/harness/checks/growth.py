"""Checks of int maps filled with k: 2*k, stopped while they grow: exactly
keys 0..len-1 in the entries, the slots (text and JSON) and the header."""

from __future__ import annotations

import collections
import re

from harness.checks.maps import SLOT
from harness.checks.report import json_output


def check_growth(output: str, name: str, layout: str, mid_growth: bool) -> list[str]:
    """An int map filled in order with k: 2*k holds exactly 0..len-1. With
    `mid_growth`, a classic map must also show its old bucket array."""
    lines = output.splitlines()
    if mid_growth and layout == "classic" and not re.search(r" oldbuckets=0x[1-9a-f]", output):
        return ["the classic map is not mid-growth (oldbuckets is nil)"]
    m = next((re.search(r", len (\d+)$", line) for line in lines if line.startswith("layout: ")), None)
    if not m:
        return ["no layout line with len"]
    length = int(m.group(1))
    try:
        start = lines.index("entries:") + 1
    except ValueError:
        return ["no 'entries:' line"]
    keys = collections.Counter()
    failures = []
    for line in lines[start:]:
        if not line.startswith("  "):
            break
        k, _, v = line.strip().partition(": ")
        keys[int(k)] += 1
        if int(v) != 2 * int(k):
            failures.append(f"entry {line.strip()!r}: value is not 2*key")
    failures += _key_set_problems(keys, length, "keys")
    if any(line.startswith("warning:") for line in lines):
        failures.append("unexpected warnings")
    return failures[:5]


def _key_set_problems(keys: collections.Counter, length: int, what: str) -> list[str]:
    """Each key of 0..length-1 exactly once, or what is wrong."""
    if keys == collections.Counter(range(length)):
        return []
    dups = [k for k, c in keys.items() if c > 1]
    missing = sorted(set(range(length)) - set(keys))
    extra = sorted(set(keys) - set(range(length)))
    return [
        f"{what} are not 0..{length - 1}: duplicates {dups[:5]}, missing {missing[:5]}, extra {extra[:5]}"
    ]


def check_growing(output: str, kind: str) -> list[str]:
    """The classic map header shows a grow in progress (oldbuckets non-nil);
    with kind "same-size", flags has sameSizeGrow."""
    header = next((line for line in output.splitlines() if line.startswith("header: ")), "")
    failures = []
    if not re.search(r" oldbuckets=0x0*[1-9a-f]", header):
        failures.append(f"header {header!r}: oldbuckets is nil (not growing)")
    if kind == "same-size" and not re.search(r" flags=0x[0-9a-f]+ \([^)]*\bsameSizeGrow\b", header):
        failures.append(f"header {header!r}: flags lack sameSizeGrow")
    return failures


def check_growth_buckets(output: str, name: str) -> list[str]:
    """`go map NAME --buckets --all` of an int map filled in order with
    k: 2*k: its slot lines show exactly keys 0..len-1 (len from the header),
    and the summary counts len live entries."""
    m = re.search(r"\b(?:count|used)=(\d+)", output)
    if not m:
        return ["no header field count= or used="]
    length = int(m.group(1))
    keys = collections.Counter()
    failures = []
    for entry in (s.group(1) for s in map(SLOT.match, output.splitlines()) if s):
        k, _, v = entry.partition(": ")
        keys[int(k)] += 1
        if int(v) != 2 * int(k):
            failures.append(f"slot entry {entry!r}: value is not 2*key")
    failures += _key_set_problems(keys, length, f"slot keys of {name}")
    if not re.search(rf"^summary: .*\b{length} live\b", output, re.M):
        failures.append(f"no summary line counting {length} live entries")
    if any(line.startswith("warning:") for line in output.splitlines()):
        failures.append("unexpected warnings")
    return failures[:5]


def check_growth_buckets_json(output: str, name: str) -> list[str]:
    """The JSON form of check_growth_buckets: the slots whose state is
    "live" (not "copy") hold exactly keys 0..len-1, each with value 2*key,
    and the summary counts len live."""
    data, failures = json_output(output)
    if data is None:
        return failures
    header = data.get("header", {})
    length = header.get("count", header.get("used"))
    if not isinstance(length, int):
        return [f"no count or used in the header: {header!r}"]
    units = [u for b in data.get("buckets", []) for u in b["chain"]] + data.get("groups", [])
    keys = collections.Counter()
    for unit in units:
        for slot in unit["slots"]:
            if slot["state"] != "live":
                continue
            keys[slot["key"]] += 1
            if slot["value"] != 2 * slot["key"]:
                failures.append(f"slot {slot!r} of {unit['address']}: value is not 2*key")
    failures += _key_set_problems(keys, length, f"live slot keys of {name}")
    if data.get("summary", {}).get("live") != length:
        failures.append(f"summary counts {data.get('summary', {}).get('live')} live, not {length}")
    if data.get("warnings"):
        failures.append(f"unexpected warnings {data['warnings']!r}")
    return failures[:5]
