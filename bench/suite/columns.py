"""The columns of the tables, in order, per scenario."""

from __future__ import annotations

from suite.baselines import Delve, DelveGoroutines, RuntimeGdbPy, RuntimeGdbPyFixed, RuntimeGdbPyGoroutines
from suite.config import LAYOUTS
from suite.dump import (
    OurGdb,
    OurGdbDebuggerMemory,
    OurLldb,
    OurLldbDebuggerMemory,
    RawLimit,
    Standalone,
    StandaloneCc,
)
from suite.listings import (
    GdbGoroutines,
    GdbReport,
    LldbGoroutines,
    LldbReport,
    StandaloneGoroutines,
    StandaloneReport,
)
from suite.measurement import Measurement


# The columns, in table order, per scenario.
MEASUREMENTS: list[Measurement] = [
    OurGdb(),
    OurGdbDebuggerMemory(),
    OurLldb(),
    OurLldbDebuggerMemory(),
    Standalone(),
    StandaloneCc(),
    RuntimeGdbPy(),
    RuntimeGdbPyFixed(),
    Delve(),
    RawLimit(),
    GdbGoroutines(),
    LldbGoroutines(),
    StandaloneGoroutines(),
    RuntimeGdbPyGoroutines(),
    DelveGoroutines(),
    GdbReport(),
    LldbReport(),
    StandaloneReport(),
]


def measurements(scenario: str, layout: str | None = None) -> list[Measurement]:
    return [
        m
        for m in MEASUREMENTS
        if m.scenario == scenario and (layout is None or layout in getattr(m, "layouts", LAYOUTS))
    ]
