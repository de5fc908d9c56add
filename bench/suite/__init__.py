"""The benchmark suite behind scripts/bench (bench/bench.py is its command
line): one module per part of a run, from the cores measured on to the
markdown written. The tests' harness builds the programs and their cores."""

import os
import sys

sys.path.insert(
    0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "tests")
)
