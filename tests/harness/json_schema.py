"""Validates a command's --json output against its JSON Schema
(docs/json-schema/go-COMMAND.schema.json, draft 2020-12); the schemas
refer to each other by their $id, so all of them are registered."""

from __future__ import annotations

import functools
import json
import os

import jsonschema

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCHEMA_DIR = os.path.join(REPO, "docs", "json-schema")


@functools.cache
def _schemas() -> dict[str, dict]:
    """Every schema by its file name."""
    return {
        name: json.load(open(os.path.join(SCHEMA_DIR, name)))
        for name in sorted(os.listdir(SCHEMA_DIR))
        if name.endswith(".schema.json")
    }


def schema_names() -> list[str]:
    return list(_schemas())


@functools.cache
def validator(name: str) -> jsonschema.Draft202012Validator:
    """A validator of schema NAME (e.g. "go-map.schema.json") that resolves
    the others: with `referencing` (jsonschema >= 4.18) or, in Debian 12's
    4.10, a RefResolver whose store holds them."""
    schemas = _schemas()
    schema = schemas[name]
    try:
        from referencing import Registry, Resource
    except ImportError:
        store = {s["$id"]: s for s in schemas.values()}
        resolver = jsonschema.RefResolver.from_schema(schema, store=store)
        return jsonschema.Draft202012Validator(schema, resolver=resolver)
    registry = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in schemas.values())
    return jsonschema.Draft202012Validator(schema, registry=registry)


def schema_for(command: str) -> str | None:
    """The schema of COMMAND's output when it has --json ("go map X --key 4
    --json" -> "go-map.schema.json"), else None."""
    words = command.split()
    if "--json" not in words or len(words) < 2 or words[0] != "go":
        return None
    return f"go-{words[1]}.schema.json"


def violations(name: str, document) -> list[str]:
    """Where DOCUMENT breaks schema NAME: one line per error, at its path."""
    failures = []
    for error in sorted(validator(name).iter_errors(document), key=lambda e: list(e.absolute_path)):
        # A oneOf that fits no branch: the branch error that went deepest says why.
        error = _deepest(error)
        failures.append(f"{name}: at /{'/'.join(map(str, error.absolute_path))}: {error.message[:300]}")
    return failures


def _deepest(error):
    while error.context:
        error = max(error.context, key=lambda e: len(e.absolute_path))
    return error


def schema_failures(command: str, output: str) -> list[str]:
    """What is wrong with COMMAND's --json OUTPUT by its schema (nothing for
    other commands, or output that is an error line: other checks judge it)."""
    name = schema_for(command)
    if name is None or output.lstrip().startswith("error:"):
        return []
    try:
        document = json.loads(output)
    except ValueError as e:
        return [f"--json output is not JSON ({e})"]
    return violations(name, document)
