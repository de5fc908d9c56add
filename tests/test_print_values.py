"""`go print`, `go locals`, `--json` and GDB's map pretty-printer on
testprogs/print_values, against the program's own rendering of its values,
in every cell of toolchain x debugger x {live, core}, and standalone on
the core (the program's
directives say which commands apply where: locals live only, the
pretty-printer in GDB only). One test item per command; one debugger
session per cell."""

import pytest

from harness.cells import EVERY_CELL, check_command, command_params, memory_types_cell
from harness.toolchains import selected, selected_arm64

CELLS = EVERY_CELL


@pytest.mark.parametrize("command", command_params("print_values", selected() + selected_arm64(), CELLS))
def test_print_values(command, tmp_path_factory):
    check_command(command, tmp_path_factory)


MEMORY_TYPES_CELL = memory_types_cell("gdb")


@pytest.mark.parametrize("command", command_params("print_values", selected(), [MEMORY_TYPES_CELL]))
def test_print_values_runtime_types_from_memory(command, tmp_path_factory):
    """The same checks with every interface's dynamic type decoded from its
    runtime type descriptor alone (GOMAPDBG_RUNTIME_TYPES=memory), which
    DWARF otherwise answers for most types."""
    check_command(command, tmp_path_factory)
