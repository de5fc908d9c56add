"""The JSON Schemas of the commands' --json output (docs/json-schema): each
is a valid draft 2020-12 schema, every command with --json has one, and they
reject what the conventions forbid (so the schema check every --json command
of the test programs gets, in harness/runner.py, is not vacuous)."""

from __future__ import annotations

import copy
import glob
import os
import re

import jsonschema
import pytest

from harness.json_schema import REPO, schema_for, schema_names, validator, violations

COMMANDS = ["map", "print", "locals", "goroutines", "bt", "goroutine", "threads", "report", "watch"]

LOCATION = {"function": "main.main", "file": "/p/main.go", "line": 12, "pc": "0x4a1f3c"}
FRAME = dict(LOCATION, sp="0xc000050f58", cfa="0xc000050f80", inlined=False, stack="goroutine")
GOROUTINE = {
    "goid": 1,
    "g": "0xc0000061c0",
    "status": "waiting",
    "state": "chan receive",
    "wait_reason": "chan receive",
    "waitsince": 0,
    "waited_ns": None,
    "system": False,
    "locked": False,
    "thread": None,
    "m": None,
    "parent_goid": 0,
    "start": LOCATION,
    "created_by": LOCATION,
    "location": LOCATION,
    "frames": [FRAME],
    "notes": [],
    "complete": True,
    "stop_reason": "",
}
MAP_HEAD = {
    "expression": "counts",
    "name": "main.counts",
    "where": "global",
    "address": "0xc000076180",
    "type": "map[int]int",
    "layout": "classic",
    "go_version": "go1.22.12",
    "len": 1,
    "writing": False,
    "header": {"count": 1, "flags": "0x0", "B": 0, "buckets": "0xc0000861a0"},
    "warnings": [],
}
# One valid document per schema, as the README describes the output.
GOOD = {
    "go-goroutine.schema.json": GOROUTINE,
    "go-bt.schema.json": {"goroutines": [GOROUTINE]},
    "go-map.schema.json": dict(MAP_HEAD, entries=[{"key": 896, "value": 3}], shown=1, complete=True),
    "go-locals.schema.json": {
        "function": "main.inspect",
        "pc": "0x4aaf7a",
        "variables": [{"name": "n", "where": "argument", "type": "int", "value": 5}],
        "unavailable": [],
    },
}


def test_every_schema_is_valid_draft_2020_12():
    for name in schema_names():
        jsonschema.Draft202012Validator.check_schema(validator(name).schema)


def test_every_json_command_has_a_schema():
    """The commands with --json (README's command table, the test programs'
    directives) and the schema files are the same set."""
    readme = open(os.path.join(REPO, "README.md")).read()
    in_readme = set(re.findall(r"^\| `go (\w+)(?:[^|`]|\\\|)*--json", readme, re.M))
    assert in_readme == set(COMMANDS), in_readme
    directives = "".join(open(p).read() for p in glob.glob(os.path.join(REPO, "testprogs", "*", "main.go")))
    for command in re.findall(r"^// (?:\w+-)?command: (go .*--json.*)$", directives, re.M):
        assert schema_for(command) in schema_names(), command
    assert {f"go-{c}.schema.json" for c in COMMANDS} | {"common.schema.json"} == set(schema_names())


@pytest.mark.parametrize("name", sorted(GOOD))
def test_a_document_as_documented_is_accepted(name):
    assert violations(name, GOOD[name]) == []


def _changed(document: dict, path: list, value) -> dict:
    changed = copy.deepcopy(document)
    at = changed
    for step in path[:-1]:
        at = at[step]
    if value is _DELETE:
        del at[path[-1]]
    else:
        at[path[-1]] = value
    return changed


_DELETE = object()
BAD = [
    # addresses and pcs are "0x…" strings everywhere, never decimal numbers
    ("go-goroutine.schema.json", ["frames", 0, "pc"], 4853564),
    ("go-goroutine.schema.json", ["g"], 824633745856),
    ("go-bt.schema.json", ["goroutines", 0, "start", "pc"], "4a1f3c"),
    ("go-locals.schema.json", ["pc"], "0x04AAF7A"),
    ("go-map.schema.json", ["address"], 824634204544),
    # the shape is fixed: no missing field, no field nobody documented
    ("go-goroutine.schema.json", ["frames"], _DELETE),
    ("go-goroutine.schema.json", ["goroutine_id"], 1),
    ("go-map.schema.json", ["complete"], _DELETE),
    ("go-map.schema.json", ["entries", 0, "hash"], "0x1"),
    ("go-locals.schema.json", ["variables", 0, "where"], "heap"),
]


@pytest.mark.parametrize("name, path, value", BAD, ids=lambda v: str(v) if isinstance(v, list) else None)
def test_a_document_off_the_conventions_is_rejected(name, path, value):
    assert violations(name, _changed(GOOD[name], path, value)), (name, path, value)
