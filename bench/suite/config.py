"""Where the benchmark builds and writes, and what it measures: the map
layouts (one toolchain each), the maps and the sizes."""

from __future__ import annotations

import os


REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(REPO, "build", "bench")
PROGS = os.path.join(REPO, "bench", "progs")
RESULTS = os.path.join(REPO, "bench", "results")
RUN_TIMEOUT = 1800


# The map layouts, each from a toolchain that Delve and the toolchain's own
# runtime-gdb.py both support (go1.27's reads split groups).
LAYOUTS = {"classic": "go1.25.12-noswiss", "swiss": "go1.26", "swiss-split": "go1.27.3-splitgroup"}


# The maps bench/progs/fill makes: global name -> Go type.
MAPS = {"main.strInt": "map[string]int", "main.int64Struct": "map[int64]main.Struct"}

SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000, "10M": 10_000_000}


def size_name(n: int) -> str:
    return next((k for k, v in SIZES.items() if v == n), str(n))
