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
class Truth:
    maps: dict[str, TruthMap]
    values: dict[str, str]


def read_truth(path: str) -> Truth:
    maps: dict[str, TruthMap] = {}
    values: dict[str, str] = {}
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
    return Truth(maps, values)
