"""Our goroutine listings (`go goroutines`) and crash reports (`go report`)
in GDB, LLDB and the standalone script."""

from __future__ import annotations

import re

from suite.dump import OurGdb, OurLldb, Standalone


OUR_GOROUTINE = re.compile(r"^[ *] goroutine \d+ \[")


class GdbGoroutines(OurGdb):
    scenario = "goroutines"
    entry = OUR_GOROUTINE

    def command(self, case):
        return "go goroutines"


class LldbGoroutines(OurLldb):
    scenario = "goroutines"
    entry = OUR_GOROUTINE

    def command(self, case):
        return "go goroutines"


class StandaloneGoroutines(Standalone):
    scenario = "goroutines"
    entry = OUR_GOROUTINE
    notes = ""

    def arguments(self, case):
        return ["goroutines", case.scenario.binary, case.scenario.core]


class ReportMixin:
    scenario = "report"
    entry = re.compile(r"^verdict: concurrent map writes ")


class GdbReport(ReportMixin, OurGdb):
    def command(self, case):
        return "go report"


class LldbReport(ReportMixin, OurLldb):
    def command(self, case):
        return "go report"


class StandaloneReport(ReportMixin, Standalone):
    notes = ""

    def arguments(self, case):
        return ["report", case.scenario.binary, case.scenario.core]
