"""The ground truth a test program writes about itself (testprogs/internal/truth)."""

from __future__ import annotations

import collections
import dataclasses


@dataclasses.dataclass
class TruthMap:
    name: str
    address: int
    type: str
    length: int
    entries: collections.Counter  # "KEY: VALUE" -> count


@dataclasses.dataclass
class TruthGoroutine:
    """What the runtime's own traceback (runtime.Stack) said of a goroutine."""

    goid: int
    state: str  # the bracketed word: "chan receive", "running", ...
    frames: list[str]  # function names, innermost first (runtime frames possibly hidden)


@dataclasses.dataclass
class Truth:
    maps: dict[str, TruthMap]
    values: dict[str, str]
    groups: dict[str, int] = dataclasses.field(default_factory=dict)  # function -> goroutines parked in it
    goroutines: dict[int, TruthGoroutine] = dataclasses.field(default_factory=dict)


def read_truth(path: str) -> Truth:
    maps: dict[str, TruthMap] = {}
    values: dict[str, str] = {}
    groups: dict[str, int] = {}
    goroutines: dict[int, TruthGoroutine] = {}
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
    return Truth(maps, values, groups, goroutines)
