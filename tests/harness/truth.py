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
    # "header NAME field=N ...": the map header as the program read it (decimal values)
    headers: dict[str, dict[str, int]] = dataclasses.field(default_factory=dict)
    physical: dict[str, "TruthPhysical"] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class TruthTable:
    """A swiss table as the program read it (truth.Physical)."""

    address: int
    index: int  # first directory entry
    local_depth: int
    capacity: int
    used: int
    growth_left: int
    groups: int  # address of its groups
    group_count: int


@dataclasses.dataclass
class TruthPhysical:
    """Where a map's entries physically are, read by the program itself:
    classic `chains[i]` = [(address, tophash bytes)] of bucket i's chain;
    swiss the directory length, tables in directory order, and per group
    (table, index, address, ctrl bytes)."""

    chains: dict[int, list[tuple[int, bytes]]] = dataclasses.field(default_factory=dict)
    directory_length: int = 0
    tables: list[TruthTable] = dataclasses.field(default_factory=list)
    groups: list[tuple[int, int, int, bytes]] = dataclasses.field(default_factory=list)


def _physical(physical: dict, name: str) -> TruthPhysical:
    return physical.setdefault(name, TruthPhysical())


def read_truth(path: str) -> Truth:
    maps: dict[str, TruthMap] = {}
    values: dict[str, str] = {}
    groups: dict[str, int] = {}
    goroutines: dict[int, TruthGoroutine] = {}
    jsons: dict[str, object] = {}
    json_entries: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    headers: dict[str, dict[str, int]] = {}
    physical: dict[str, TruthPhysical] = {}
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
            elif kind == "header":
                name, *fields = rest.split(" ")
                headers[name] = {f: int(v) for f, v in (x.split("=") for x in fields)}
            elif kind == "classicbucket":
                name, index, addr, tophash = rest.split(" ")
                chains = _physical(physical, name).chains
                chains.setdefault(int(index), []).append((int(addr, 16), bytes.fromhex(tophash)))
            elif kind == "swissdir":
                name, length = rest.split(" ")
                _physical(physical, name).directory_length = int(length)
            elif kind == "swisstable":
                name, addr, index, depth, cap, used, left, groups_at, count = rest.split(" ")
                _physical(physical, name).tables.append(
                    TruthTable(
                        int(addr, 16),
                        int(index),
                        int(depth),
                        int(cap),
                        int(used),
                        int(left),
                        int(groups_at, 16),
                        int(count),
                    )
                )
            elif kind == "swissgroup":
                name, table, index, addr, ctrl = rest.split(" ")
                _physical(physical, name).groups.append(
                    (int(table, 16), int(index), int(addr, 16), bytes.fromhex(ctrl))
                )
    return Truth(maps, values, groups, goroutines, jsons, dict(json_entries), headers, physical)
