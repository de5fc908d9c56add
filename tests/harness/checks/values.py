"""Checks of `go print` / `go locals` values, text and JSON, against the
program's own rendering of them."""

from __future__ import annotations

import json

from harness.truth import Truth


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


def parse_json(output: str):
    try:
        return json.loads(output), None
    except json.JSONDecodeError as e:
        return None, f"output is not JSON ({e})"


def deref_key(text: str) -> tuple[str, str]:
    """`NAME LEVELS` of a check-deref directive: NAME and its truth key."""
    name, levels = text.split()
    return name, f"{name}@deref={int(levels)}"


def caps_key(text: str) -> tuple[str, str]:
    """`NAME ELEMENTS STRING DEPTH` of a check-caps directive (the values of
    --max-elements, --max-string, --max-depth): NAME and its truth key."""
    name, elements, string, depth = text.split()
    return name, f"{name}@caps={int(elements)},{int(string)},{int(depth)}"


def check_json(output: str, name: str, truth: Truth, key: str | None = None) -> list[str]:
    """The JSON output's value (or its variable NAME's) equals the truth's
    (recorded under `key`, by default NAME)."""
    doc, error = parse_json(output)
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
