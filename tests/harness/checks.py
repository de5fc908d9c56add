"""Compares a command's output with a program's expectations and truth."""

from __future__ import annotations

import collections
import json
import re

from harness.layout_checks import check_header, check_key_json, check_layout, expected_control
from harness.report_checks import check_absent, check_fatal, check_race, check_report, check_watch_summary
from harness.report_checks import json_output as _json
from harness.programs import Check
from harness.truth import Truth, canonical_json


def _pattern(text: str) -> re.Pattern:
    return re.compile(".*".join(re.escape(part) for part in text.split("[...]")))


def check_lines(output: str, patterns: list[str]) -> list[str]:
    """Each pattern must match a whole output line, in order."""
    lines = [line.strip() for line in output.splitlines()]
    failures = []
    at = 0
    for text in patterns:
        pat = _pattern(text.strip())
        for i in range(at, len(lines)):
            if pat.fullmatch(lines[i]):
                at = i + 1
                break
        else:
            failures.append(f"no line matching {text!r} (after line {at})")
    return failures


def check_error(output: str, text: str) -> list[str]:
    errors = [line for line in output.splitlines() if line.startswith("error:")]
    if len(errors) != 1:
        return [f"expected exactly one error line containing {text!r}, got {errors!r}"]
    if not _pattern(text).search(errors[0]):
        return [f"error line {errors[0]!r} does not contain {text!r}"]
    if "Traceback" in output:
        return ["a Python traceback reached the user"]
    return []


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
    try:
        start = lines.index("entries:") + 1
    except ValueError:
        return failures + ["no 'entries:' line"]
    entries = collections.Counter()
    end = start
    while end < len(lines) and lines[end].startswith("  "):
        entries[lines[end][2:]] += 1
        end += 1
    summary = lines[end] if end < len(lines) else ""
    if summary != f"({want.length} entries)":
        failures.append(f"summary {summary!r}, expected '({want.length} entries)'")
    missing = want.entries - entries
    extra = entries - want.entries
    if missing or extra:
        failures.append(
            f"entries differ from truth: {sum(missing.values())} missing (e.g. {list(missing)[:3]}), "
            f"{sum(extra.values())} unexpected (e.g. {list(extra)[:3]})"
        )
    warnings = [line for line in lines if line.startswith("warning:")]
    if warnings:
        failures.append(f"unexpected warnings: {warnings}")
    return failures


def check_entries(output: str, name: str, truth: Truth) -> list[str]:
    """The entries listed are exactly the truth's entries of NAME (header,
    address and warnings aside: for forged maps whose entries the program
    recorded from the map they copy)."""
    want = truth.maps[name]
    lines = output.splitlines()
    try:
        start = lines.index("entries:") + 1
    except ValueError:
        return ["no 'entries:' line"]
    entries = collections.Counter()
    end = start
    while end < len(lines) and lines[end].startswith("  "):
        entries[lines[end][2:]] += 1
        end += 1
    if entries != want.entries:
        missing, extra = want.entries - entries, entries - want.entries
        return [
            f"entries differ from truth: {sum(missing.values())} missing (e.g. {list(missing)[:3]}), "
            f"{sum(extra.values())} unexpected (e.g. {list(extra)[:3]})"
        ]
    return []


_SLOT = re.compile(r"^  \[\d+\] [0-9a-f]{2}  (.*)$")


def check_buckets(output: str, name: str, truth: Truth) -> list[str]:
    """Every entry of the map appears in exactly one slot line, and the
    summary counts them."""
    want = truth.maps[name]
    slots = collections.Counter(m.group(1) for m in map(_SLOT.match, output.splitlines()) if m)
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
    if not any(m and m.group(1) == entries[0] for m in map(_SLOT.match, output.splitlines())):
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
    for entry in (s.group(1) for s in map(_SLOT.match, output.splitlines()) if s):
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
    data, failures = _json(output)
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


def _names(goroutine: dict) -> list[str]:
    return [f["function"] for f in goroutine.get("frames", [])]


def _subsequence(wanted: list[str], names: list[str]) -> bool:
    it = iter(names)
    return all(any(w == n for n in it) for w in wanted)


def check_goroutines(output: str, truth: Truth) -> list[str]:
    """`go goroutines -t N --json` agrees with what the program recorded:
    per recorded function, how many goroutines have it on their stack; per
    parked user goroutine, the runtime's state word and its frames (as a
    subsequence: the runtime hides some); and every stack is complete and
    reaches the goroutine's start function."""
    data, failures = _json(output)
    if data is None:
        return failures
    ours = {g["goid"]: g for g in data["goroutines"]}
    for g in ours.values():
        names = _names(g)
        if not g["complete"]:
            failures.append(
                f"goroutine {g['goid']} [{g['state']}]: stack incomplete ({g['stop_reason']}): {names}"
            )
        if g["start"]["function"] not in names:
            failures.append(
                f"goroutine {g['goid']} [{g['state']}]: start {g['start']['function']} not among {names}"
            )
    for function, count in truth.groups.items():
        having = [g["goid"] for g in ours.values() if function in _names(g)]
        if len(having) != count:
            failures.append(f"{count} goroutines run {function} (truth), {len(having)} in ours: {having}")
    compared = 0
    for want in truth.goroutines.values():
        user = any(not f.startswith("runtime.") for f in want.frames)
        if not user or want.state in ("running", "runnable"):
            continue  # not parked, or runtime-only: may have moved since it was recorded
        compared += 1
        g = ours.get(want.goid)
        if g is None:
            failures.append(f"goroutine {want.goid} [{want.state}] is missing")
            continue
        if g["state"] != want.state:
            failures.append(f"goroutine {want.goid}: state {g['state']!r}, runtime said {want.state!r}")
        if not _subsequence(want.frames, _names(g)):
            failures.append(
                f"goroutine {want.goid}: frames {_names(g)} do not contain {want.frames} in order"
            )
        failures += _check_waited(g, data.get("clock"), truth)
    if not compared:
        failures.append("no parked user goroutine in the truth file to compare with")
    return failures


# How far after the program's last clock reading the debugger may stop it.
_STOP_LATENCY_NS = 120 * 10**9


def _check_waited(g: dict, clock: dict | None, truth: Truth) -> list[str]:
    """A goroutine parked before the program's two GCs has waited, as the
    runtime computes it (since the end of the first GC, or of an earlier
    one the runtime ran by itself), at least since the first GC call ended
    and at most since main started (plus the time the debugger took to stop
    it). A core has no time of death: its latest clock reading may be far
    earlier, so there only the upper bound holds."""
    if clock is None:
        return [f"goroutine {g['goid']}: no runtime clock to say how long it waited"]
    waited = g.get("waited_ns")
    if waited is None:
        return [f"goroutine {g['goid']} [{g['state']}]: how long it waited is missing"]
    low = int(truth.values["since_gc_end_ns"]) if clock["exact"] else 0
    high = int(truth.values["since_main_ns"]) + _STOP_LATENCY_NS
    if not low <= waited <= high:
        return [
            f"goroutine {g['goid']}: waited {waited} ns, expected {low}..{high} ns by the program's clock"
        ]
    return []


def check_crash(output: str, text: str, truth: Truth) -> list[str]:
    """The crashed goroutine is one of truth's `writers`, on the thread the
    debugger says received the signal, with the given frames in order."""
    data, failures = _json(output)
    if data is None:
        return failures
    crash = data.get("crash")
    if not crash:
        return ["no crash reported"]
    writers = {int(w) for w in truth.values["writers"].split(",")}
    if crash["goid"] not in writers:
        failures.append(f"crashed goroutine {crash['goid']} is not one of the writers {sorted(writers)}")
    if str(crash["thread"]) != truth.values.get("crash_tid"):
        failures.append(f"crash thread {crash['thread']}, the debugger says {truth.values.get('crash_tid')}")
    g = next((g for g in data["goroutines"] if g["goid"] == crash["goid"]), None)
    if g is None:
        return failures + [f"crashed goroutine {crash['goid']} not listed"]
    if g["thread"] != crash["thread"]:
        failures.append(f"crashed goroutine runs on thread {g['thread']}, crash says {crash['thread']}")
    if not _subsequence(text.split(), _names(g)):
        failures.append(f"crashed goroutine's frames {_names(g)} do not contain {text.split()} in order")
    return failures


def check_value(output: str, name: str, truth: Truth, key: str | None = None) -> list[str]:
    """A line `LHS = VALUE` names NAME (or is the only line) and shows the
    program's own rendering of it (recorded under `key`, by default NAME)."""
    want = truth.values[key or name]
    lines = [line.strip() for line in output.splitlines() if " = " in line]
    named = [line for line in lines if line.split(" ", 1)[0] in (name, "main." + name)]
    if not named and len(output.strip().splitlines()) == 1:
        named = lines
    if not named:
        return [f"no line 'NAME = VALUE' for {name!r}"]
    got = named[0].split(" = ", 1)[1]
    if got != want:
        return [f"{name} renders as {got!r}, truth says {want!r}"]
    return []


def _parse_json(output: str):
    try:
        return json.loads(output), None
    except json.JSONDecodeError as e:
        return None, f"output is not JSON ({e})"


def _deref_key(text: str) -> tuple[str, str]:
    """`NAME LEVELS` of a check-deref directive: NAME and its truth key."""
    name, levels = text.split()
    return name, f"{name}@deref={int(levels)}"


def check_json(output: str, name: str, truth: Truth, key: str | None = None) -> list[str]:
    """The JSON output's value (or its variable NAME's) equals the truth's
    (recorded under `key`, by default NAME)."""
    doc, error = _parse_json(output)
    if error:
        return [error]
    if "variables" in doc:
        found = [v for v in doc["variables"] if v.get("name") == name]
        if not found:
            return [f"no variable {name!r} in {[v.get('name') for v in doc['variables']]}"]
        doc = found[0]
    want = truth.json[key or name]
    if doc.get("value") != want:
        return [
            f"JSON of {name} is {json.dumps(doc.get('value'))[:600]}, truth says {json.dumps(want)[:600]}"
        ]
    return []


def check_json_map(output: str, name: str, truth: Truth, layout: str) -> list[str]:
    """`go map --json --all` of map NAME: header facts and exactly the truth's entries."""
    doc, error = _parse_json(output)
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
    missing, extra = want_entries - entries, entries - want_entries
    if missing or extra:
        failures.append(
            f"entries differ from truth: {sum(missing.values())} missing (e.g. {list(missing)[:2]}), "
            f"{sum(extra.values())} unexpected (e.g. {list(extra)[:2]})"
        )
    return failures


def evaluate(output: str, checks: list[Check], truth: Truth, layout: str, fill) -> list[str]:
    failures = []
    plain = [fill(c.text) for c in checks if c.kind == "check"]
    if plain:
        failures += check_lines(output, plain)
    for c in checks:
        if c.kind == "check":
            continue
        if c.kind == "check-map":
            failures += check_map(output, c.text.strip(), truth, layout)
        elif c.kind == "check-error":
            failures += check_error(output, fill(c.text))
        elif c.kind == "check-buckets":
            failures += check_buckets(output, c.text.strip(), truth)
        elif c.kind == "check-entries":
            failures += check_entries(output, c.text.strip(), truth)
        elif c.kind == "check-header":
            failures += check_header(output, c.text.strip(), truth)
        elif c.kind == "check-layout":
            failures += check_layout(output, c.text.strip(), truth, layout)
        elif c.kind == "check-key-json":
            name, _, key = c.text.strip().partition(" ")
            failures += check_key_json(output, name, key, truth, layout)
        elif c.kind == "check-key":
            name, _, key = c.text.strip().partition(" ")
            failures += check_key(output, name, key, truth, layout)
        elif c.kind == "check-growth":
            name, _, mid = c.text.strip().partition(" ")
            failures += check_growth(output, name, layout, mid == "mid-growth")
        elif c.kind == "check-growing":
            failures += check_growing(output, c.text.strip())
        elif c.kind == "check-growth-buckets":
            failures += check_growth_buckets(output, c.text.strip())
        elif c.kind == "check-growth-buckets-json":
            failures += check_growth_buckets_json(output, c.text.strip())
        elif c.kind == "check-goroutines":
            failures += check_goroutines(output, truth)
        elif c.kind == "check-crash":
            failures += check_crash(output, c.text, truth)
        elif c.kind == "check-report":
            failures += check_report(output, truth)
        elif c.kind == "check-race":
            failures += check_race(output, truth)
        elif c.kind == "check-watch-summary":
            failures += check_watch_summary(output, truth, fill("{value:write_site}"))
        elif c.kind == "check-fatal":
            failures += check_fatal(output, truth)
        elif c.kind == "check-absent":
            failures += check_absent(output, fill(c.text.strip()))
        elif c.kind == "check-value":
            failures += check_value(output, c.text.strip(), truth)
        elif c.kind == "check-json":
            failures += check_json(output, c.text.strip(), truth)
        elif c.kind == "check-deref":
            name, key = _deref_key(c.text)
            failures += check_value(output, name, truth, key)
        elif c.kind == "check-json-deref":
            name, key = _deref_key(c.text)
            failures += check_json(output, name, truth, key)
        elif c.kind == "check-json-map":
            failures += check_json_map(output, c.text.strip(), truth, layout)
        else:
            raise ValueError(f"unknown check kind {c.kind}")
    if not any(c.kind == "check-error" for c in checks):
        errors = [line for line in output.splitlines() if line.startswith("error:")]
        if errors:
            failures.append(f"unexpected error: {errors}")
    return failures
