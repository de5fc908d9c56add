"""The foundation slice: `go map` and `go info` on testprogs/basic_maps, in
every cell of toolchain x debugger x {live, core}, against the program's own
truth. Memory is read the default way (live: /proc/PID/mem; core: the core
file read by the C++ core) and, in the *-debugger-memory cells, through the
debugger's memory API. One test item per command; one debugger session per
cell."""

import pytest

from harness.cells import EVERY_CELL, check_command, command_params
from harness.toolchains import selected, selected_arm64

DEBUGGER_MEMORY = {"GOMAPDBG_MEMORY": "debugger"}


def _cell(debugger, mode, extra_env=None):
    label = f"{debugger}-{mode}" + ("-debugger-memory" if extra_env else "")
    return dict(debugger=debugger, mode=mode, label=label, extra_env=extra_env or {})


CELLS = [
    _cell("gdb", "live"),
    _cell("gdb", "live", DEBUGGER_MEMORY),
    _cell("gdb", "core"),
    _cell("gdb", "core", DEBUGGER_MEMORY),
    _cell("lldb", "live"),
    _cell("lldb", "live", DEBUGGER_MEMORY),
    _cell("lldb", "core"),
    _cell("lldb", "core", DEBUGGER_MEMORY),
    _cell("standalone", "core"),
]


# arm64 programs (under qemu-user live): memory always through the debugger.
@pytest.mark.parametrize(
    "command",
    command_params("basic_maps", selected(), CELLS)
    + command_params("basic_maps", selected_arm64(), EVERY_CELL),
)
def test_basic_maps(command, tmp_path_factory):
    check_command(command, tmp_path_factory)


@pytest.mark.parametrize(
    "command", command_params("no_dwarf", selected(), [c for c in CELLS if not c["extra_env"]])
)
def test_binary_without_dwarf(command, tmp_path_factory):
    check_command(command, tmp_path_factory)
