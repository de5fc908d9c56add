"""The foundation slice: `go map` and `go info` on testprogs/basic_maps, in
every cell of toolchain x debugger x {live, core}, against the program's own
truth. Memory is read the default way (live: /proc/PID/mem; core: the core
file read by the C++ core) and, in the *-debugger-memory cells, through the
debugger's memory API."""

import pytest

from harness.runner import run_program
from harness.toolchains import selected

CELLS = [
    ("gdb", "live", {}),
    ("gdb", "live", {"GOMAPDBG_MEMORY": "debugger"}),
    ("gdb", "core", {}),
    ("gdb", "core", {"GOMAPDBG_MEMORY": "debugger"}),
    ("lldb", "live", {}),
    ("lldb", "live", {"GOMAPDBG_MEMORY": "debugger"}),
    ("lldb", "core", {}),
    ("lldb", "core", {"GOMAPDBG_MEMORY": "debugger"}),
    ("standalone", "core", {}),
]


def _cell_id(cell):
    debugger, mode, env = cell
    memory = env.get("GOMAPDBG_MEMORY")
    return f"{debugger}-{mode}" + (f"-{memory}-memory" if memory else "")


@pytest.mark.parametrize("cell", CELLS, ids=_cell_id)
@pytest.mark.parametrize("toolchain", selected(), ids=lambda t: t.name)
def test_basic_maps(toolchain, cell, tmp_path):
    debugger, mode, env = cell
    run_program("basic_maps", toolchain, debugger, mode, str(tmp_path), env)


@pytest.mark.parametrize("cell", [c for c in CELLS if not c[2]], ids=_cell_id)
@pytest.mark.parametrize("toolchain", selected(), ids=lambda t: t.name)
def test_binary_without_dwarf(toolchain, cell, tmp_path):
    debugger, mode, env = cell
    run_program("no_dwarf", toolchain, debugger, mode, str(tmp_path), env)
