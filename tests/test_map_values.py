"""Maps of every key and value kind (testprogs/map_kinds), and maps after
heavy deletion, match the program's truth entry by entry, in every cell of
toolchain x debugger x {live, core}, and with no debugger (scripts/gomapdbg)
on the cores."""

import pytest

from harness.runner import run_program
from harness.toolchains import selected

CELLS = [("gdb", "live"), ("gdb", "core"), ("lldb", "live"), ("lldb", "core"), ("standalone", "core")]


@pytest.mark.parametrize("cell", CELLS, ids=lambda c: "-".join(c))
@pytest.mark.parametrize("toolchain", selected(), ids=lambda t: t.name)
def test_map_kinds(toolchain, cell, tmp_path):
    debugger, mode = cell
    run_program("map_kinds", toolchain, debugger, mode, str(tmp_path))


@pytest.mark.parametrize("cell", CELLS, ids=lambda c: "-".join(c))
@pytest.mark.parametrize("toolchain", selected(), ids=lambda t: t.name)
def test_corrupt_map_headers(toolchain, cell, tmp_path):
    debugger, mode = cell
    run_program("map_corrupt", toolchain, debugger, mode, str(tmp_path))
