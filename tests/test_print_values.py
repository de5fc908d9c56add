"""`go print`, `go locals`, `--json` and GDB's map pretty-printer on
testprogs/print_values, against the program's own rendering of its values,
in every cell of toolchain x debugger x {live, core} (the program's
directives say which commands apply where: locals live only, the
pretty-printer in GDB only)."""

import pytest

from harness.runner import run_program
from harness.toolchains import selected

CELLS = [("gdb", "live"), ("gdb", "core"), ("lldb", "live"), ("lldb", "core")]


@pytest.mark.parametrize("cell", CELLS, ids=lambda c: "-".join(c))
@pytest.mark.parametrize("toolchain", selected(), ids=lambda t: t.name)
def test_print_values(toolchain, cell, tmp_path):
    debugger, mode = cell
    run_program("print_values", toolchain, debugger, mode, str(tmp_path))
