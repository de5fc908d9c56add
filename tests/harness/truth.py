"""The ground truth a test program writes about itself (testprogs/internal/truth)."""

from __future__ import annotations

import collections
import dataclasses
import json


@dataclasses.dataclass
class TruthMap:
    name: str
    address: int
    type: str
    length: int
    entries: collections.Counter  # "KEY: VALUE" -> count


def canonical_json(value) -> str:
    """One spelling per JSON value, for counting entries."""
    return json.dumps(value, sort_keys=True)


@dataclasses.dataclass
class TruthGoroutine:
    """What the runtime's own traceback (runtime.Stack) said of a goroutine."""

    goid: int
    state: str  # the bracketed word: "chan receive", "running", ...
    frames: list[str]  # function names, innermost first (runtime frames possibly hidden)


@dataclasses.dataclass
class Truth:
    maps: dict[str, TruthMap]
    values: dict[str, str]  # "value NAME TEXT": truth.Render's text, or a scalar fact
    groups: dict[str, int] = dataclasses.field(default_factory=dict)  # function -> goroutines parked in it
    goroutines: dict[int, TruthGoroutine] = dataclasses.field(default_factory=dict)
    json: dict[str, object] = dataclasses.field(default_factory=dict)  # "json NAME JSON"
    # "jsonentry NAME {"key": K, "value": V}" -> count, by canonical_json
    json_entries: dict[str, collections.Counter] = dataclasses.field(default_factory=dict)


def read_truth(path: str) -> Truth:
    maps: dict[str, TruthMap] = {}
    values: dict[str, str] = {}
    groups: dict[str, int] = {}
    goroutines: dict[int, TruthGoroutine] = {}
    jsons: dict[str, object] = {}
    json_entries: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            kind, _, rest = line.partition(" ")
            if kind == "map":
                name, addr, rest2 = rest.split(" ", 2)
                typ, _, length = rest2.rpartition(" ")
                maps[name] = TruthMap(name, int(addr, 16), typ, int(length), collections.Counter())
            elif kind == "entry":
                name, _, entry = rest.partition(" ")
                maps[name].entries[entry] += 1
            elif kind == "value":
                name, _, value = rest.partition(" ")
                values[name] = value
            elif kind == "group":
                function, count = rest.rsplit(" ", 1)
                groups[function] = int(count)
            elif kind == "goroutine":
                goid, _, described = rest.partition(" ")
                state, _, frames = described.partition("|")
                goroutines[int(goid)] = TruthGoroutine(int(goid), state, frames.split())
            elif kind == "json":
                name, _, text = rest.partition(" ")
                jsons[name] = json.loads(text)
            elif kind == "jsonentry":
                name, _, text = rest.partition(" ")
                json_entries[name][canonical_json(json.loads(text))] += 1
    return Truth(maps, values, groups, goroutines, jsons, dict(json_entries))
