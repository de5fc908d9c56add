"""Variables as the compiler leaves them in DWARF, on testprogs/dwarf_vars:
a generic function's shape-typed arguments and locals read with the real
types its dictionary names, an inlined call's arguments (selected in the
debugger or with --goroutine/--frame), an argument moved to the heap read
at the function's entry, and only the variables of the lexical blocks and
lines in scope at the PC. Every value against the program's own rendering;
GDB and LLDB live and on a core, standalone on the core. One test item per
command; one debugger session per cell."""

import pytest

from harness.cells import EVERY_CELL, check_command, command_params
from harness.toolchains import selected

CELLS = EVERY_CELL


@pytest.mark.parametrize("command", command_params("dwarf_vars", selected(), CELLS))
def test_frame_variables(command, tmp_path_factory):
    check_command(command, tmp_path_factory)
