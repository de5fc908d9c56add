"""`go print`, `go locals`, `--json` and GDB's map pretty-printer on
testprogs/print_values, against the program's own rendering of its values,
in every cell of toolchain x debugger x {live, core} (the program's
directives say which commands apply where: locals live only, the
pretty-printer in GDB only)."""

import pytest

from harness.runner import run_program
from harness.toolchains import selected

# The core's test hook: dynamic types from runtime type descriptors only.
MEMORY_TYPES = {"GOMAPDBG_RUNTIME_TYPES": "memory"}

CELLS = [("gdb", "live"), ("gdb", "core"), ("lldb", "live"), ("lldb", "core")]


@pytest.mark.parametrize("cell", CELLS, ids=lambda c: "-".join(c))
@pytest.mark.parametrize("toolchain", selected(), ids=lambda t: t.name)
def test_print_values(toolchain, cell, tmp_path):
    debugger, mode = cell
    run_program("print_values", toolchain, debugger, mode, str(tmp_path))


@pytest.mark.parametrize("toolchain", selected(), ids=lambda t: t.name)
def test_print_values_runtime_types_from_memory(toolchain, tmp_path):
    """The same checks with every interface's dynamic type decoded from its
    runtime type descriptor alone (GOMAPDBG_RUNTIME_TYPES=memory), which
    DWARF otherwise answers for most types."""
    run_program("print_values", toolchain, "gdb", "core", str(tmp_path), extra_env=MEMORY_TYPES)
