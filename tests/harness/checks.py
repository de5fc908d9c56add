"""Compares a command's output with a program's expectations and truth."""

from __future__ import annotations

import collections
import json
import re

from harness.programs import Check
from harness.truth import Truth


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


def _json(output: str) -> tuple[dict | None, list[str]]:
    try:
        return json.loads(output), []
    except ValueError as e:
        return None, [f"output is not JSON ({e})"]


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
    if not compared:
        failures.append("no parked user goroutine in the truth file to compare with")
    return failures


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


def evaluate(output: str, checks: list[Check], truth: Truth, layout: str, fill) -> list[str]:
    failures = []
    plain = [fill(c.text) for c in checks if c.kind == "check"]
    if plain:
        failures += check_lines(output, plain)
    for c in checks:
        if c.kind == "check-map":
            failures += check_map(output, c.text.strip(), truth, layout)
        elif c.kind == "check-error":
            failures += check_error(output, fill(c.text))
        elif c.kind == "check-goroutines":
            failures += check_goroutines(output, truth)
        elif c.kind == "check-crash":
            failures += check_crash(output, c.text, truth)
    if not any(c.kind == "check-error" for c in checks):
        errors = [line for line in output.splitlines() if line.startswith("error:")]
        if errors:
            failures.append(f"unexpected error: {errors}")
    return failures
