"""The corpus of realistic races (testprogs/races): its cases and where
each one's map can be watched before the race starts (the statement its
shape file marks with `// watch CASE: EXPR`; other programs mark theirs
the same way)."""

from __future__ import annotations

import dataclasses
import glob
import os
import re

from harness.programs import TESTPROGS

_MARKER = re.compile(r"//\s*watch (\w+): (.+?)\s*$")


@dataclasses.dataclass(frozen=True)
class WatchPoint:
    expression: str  # evaluates there to the raced map
    file: str
    line: int


def watch_points(program: str = "races") -> dict[str, WatchPoint]:
    """Case name -> where and how to watch its map, in testprogs/PROGRAM."""
    points = {}
    for path in sorted(glob.glob(os.path.join(TESTPROGS, program, "*.go"))):
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                m = _MARKER.search(line)
                if m:
                    if m[1] in points:
                        raise ValueError(f"{path}:{number}: a second watch marker for case {m[1]}")
                    points[m[1]] = WatchPoint(m[2], path, number)
    return points


CASES = sorted(watch_points())
