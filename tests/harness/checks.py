"""Compares a command's output with a program's expectations and truth."""

from __future__ import annotations

import collections
import json
import re

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


def check_value(output: str, name: str, truth: Truth) -> list[str]:
    """A line `LHS = VALUE` names NAME (or is the only line) and shows the
    program's own rendering of it."""
    want = truth.values[name]
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


def check_json(output: str, name: str, truth: Truth) -> list[str]:
    """The JSON output's value (or its variable NAME's) equals the truth's."""
    doc, error = _parse_json(output)
    if error:
        return [error]
    if "variables" in doc:
        found = [v for v in doc["variables"] if v.get("name") == name]
        if not found:
            return [f"no variable {name!r} in {[v.get('name') for v in doc['variables']]}"]
        doc = found[0]
    if doc.get("value") != truth.json[name]:
        return [
            f"JSON of {name} is {json.dumps(doc.get('value'))[:600]}, truth says {json.dumps(truth.json[name])[:600]}"
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
        if c.kind == "check-map":
            failures += check_map(output, c.text.strip(), truth, layout)
        elif c.kind == "check-error":
            failures += check_error(output, fill(c.text))
        elif c.kind == "check-value":
            failures += check_value(output, c.text.strip(), truth)
        elif c.kind == "check-json":
            failures += check_json(output, c.text.strip(), truth)
        elif c.kind == "check-json-map":
            failures += check_json_map(output, c.text.strip(), truth, layout)
    if not any(c.kind == "check-error" for c in checks):
        errors = [line for line in output.splitlines() if line.startswith("error:")]
        if errors:
            failures.append(f"unexpected error: {errors}")
    return failures
