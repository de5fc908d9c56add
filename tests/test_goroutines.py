"""Goroutines and threads (issue 4): `go goroutines`, `go bt`, `go goroutine`
and `go threads` on testprogs/goroutines, in every toolchain x debugger x
{live, core}, against what the program recorded of itself (including the
runtime's own traceback), and on a core of the same program built with
-ldflags=-s -w (no symbols, no DWARF: pclntab and version tables only). One test item per command; one debugger
session per cell."""

import pytest

from harness.cells import check_command, command_params
from harness.toolchains import selected, selected_arm64


def _cell(debugger, mode, ldflags=None):
    label = f"{debugger}-{mode}" + ("-stripped" if ldflags else "")
    return dict(debugger=debugger, mode=mode, label=label, ldflags=ldflags)


CELLS = [
    _cell("gdb", "live"),
    _cell("gdb", "core"),
    _cell("lldb", "live"),
    _cell("lldb", "core"),
    _cell("gdb", "core", "-s -w"),
    _cell("lldb", "core", "-s -w"),
]


# arm64 programs (live under qemu-user's gdbstub): the unstripped cells.
ARM64_CELLS = [c for c in CELLS if not c["ldflags"]]


@pytest.mark.parametrize(
    "command",
    command_params("goroutines", selected(), CELLS)
    + command_params("goroutines", selected_arm64(), ARM64_CELLS),
)
def test_goroutines(command, tmp_path_factory):
    check_command(command, tmp_path_factory)
