"""Goroutines and threads (issue 4): `go goroutines`, `go bt`, `go goroutine`
and `go threads` on testprogs/goroutines, in every toolchain x debugger x
{live, core}, against what the program recorded of itself (including the
runtime's own traceback), and on a core of the same program built with
-ldflags=-s -w (no symbols, no DWARF: pclntab and version tables only)."""

import pytest

from harness.runner import run_program
from harness.toolchains import selected

CELLS = [
    ("gdb", "live", None),
    ("gdb", "core", None),
    ("lldb", "live", None),
    ("lldb", "core", None),
    ("gdb", "core", "-s -w"),
    ("lldb", "core", "-s -w"),
]


def _cell_id(cell):
    debugger, mode, ldflags = cell
    return f"{debugger}-{mode}" + ("-stripped" if ldflags else "")


@pytest.mark.parametrize("cell", CELLS, ids=_cell_id)
@pytest.mark.parametrize("toolchain", selected(), ids=lambda t: t.name)
def test_goroutines(toolchain, cell, tmp_path):
    debugger, mode, ldflags = cell
    run_program("goroutines", toolchain, debugger, mode, str(tmp_path), ldflags=ldflags)
