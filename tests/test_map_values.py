"""Maps of every key and value kind (testprogs/map_kinds), and maps after
heavy deletion, match the program's truth entry by entry, in every cell of
toolchain x debugger x {live, core}, and with no debugger (scripts/gomapdbg)
on the cores."""

import pytest

from harness.runner import run_program
from harness.toolchains import selected

# The core's test hook: dynamic types from runtime type descriptors only.
MEMORY_TYPES = {"GOMAPDBG_RUNTIME_TYPES": "memory"}

CELLS = [("gdb", "live"), ("gdb", "core"), ("lldb", "live"), ("lldb", "core"), ("standalone", "core")]


@pytest.mark.parametrize("cell", CELLS, ids=lambda c: "-".join(c))
@pytest.mark.parametrize("toolchain", selected(), ids=lambda t: t.name)
def test_map_kinds(toolchain, cell, tmp_path):
    debugger, mode = cell
    run_program("map_kinds", toolchain, debugger, mode, str(tmp_path))


@pytest.mark.parametrize("toolchain", selected(), ids=lambda t: t.name)
def test_map_kinds_runtime_types_from_memory(toolchain, tmp_path):
    """The same checks with every interface's dynamic type decoded from its
    runtime type descriptor alone (GOMAPDBG_RUNTIME_TYPES=memory), which
    DWARF otherwise answers for most types."""
    run_program("map_kinds", toolchain, "standalone", "core", str(tmp_path), extra_env=MEMORY_TYPES)


@pytest.mark.parametrize("cell", CELLS, ids=lambda c: "-".join(c))
@pytest.mark.parametrize("toolchain", selected(), ids=lambda t: t.name)
def test_corrupt_map_headers(toolchain, cell, tmp_path):
    debugger, mode = cell
    run_program("map_corrupt", toolchain, debugger, mode, str(tmp_path))
