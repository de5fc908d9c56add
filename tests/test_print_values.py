"""`go print`, `go locals`, `--json` and GDB's map pretty-printer on
testprogs/print_values, against the program's own rendering of its values,
in every cell of toolchain x debugger x {live, core}, and standalone on
the core (the program's
directives say which commands apply where: locals live only, the
pretty-printer in GDB only). One test item per command; one debugger
session per cell."""

import pytest

from harness.cells import check_command, command_params
from harness.toolchains import selected

# The core's test hook: dynamic types from runtime type descriptors only.
MEMORY_TYPES = {"GOMAPDBG_RUNTIME_TYPES": "memory"}

CELLS = [
    dict(debugger=debugger, mode=mode, label=f"{debugger}-{mode}")
    for debugger, mode in [
        ("gdb", "live"),
        ("gdb", "core"),
        ("lldb", "live"),
        ("lldb", "core"),
        ("standalone", "core"),
    ]
]


@pytest.mark.parametrize("command", command_params("print_values", selected(), CELLS))
def test_print_values(command, tmp_path_factory):
    check_command(command, tmp_path_factory)


MEMORY_TYPES_CELL = dict(debugger="gdb", mode="core", label="gdb-core-memory-types", extra_env=MEMORY_TYPES)


@pytest.mark.parametrize("command", command_params("print_values", selected(), [MEMORY_TYPES_CELL]))
def test_print_values_runtime_types_from_memory(command, tmp_path_factory):
    """The same checks with every interface's dynamic type decoded from its
    runtime type descriptor alone (GOMAPDBG_RUNTIME_TYPES=memory), which
    DWARF otherwise answers for most types."""
    check_command(command, tmp_path_factory)
