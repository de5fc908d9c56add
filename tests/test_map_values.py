"""Maps of every key and value kind (testprogs/map_kinds), and maps after
heavy deletion, match the program's truth entry by entry, in every cell of
toolchain x debugger x {live, core}, and with no debugger (scripts/gomapdbg)
on the cores. One test item per command; one debugger session per cell."""

import pytest

from harness.cells import EVERY_CELL, check_command, command_params, memory_types_cell
from harness.toolchains import selected, selected_arm64

CELLS = EVERY_CELL
# arm64 programs (under qemu-user) on their cores, in each debugger and the
# standalone tool (live arm64 sessions: testprogs/basic_maps and print_values).
ARM64_CORE_CELLS = [cell for cell in EVERY_CELL if cell["mode"] == "core"]


@pytest.mark.parametrize("command", command_params("map_kinds", selected(), CELLS))
def test_map_kinds(command, tmp_path_factory):
    check_command(command, tmp_path_factory)


@pytest.mark.parametrize("command", command_params("map_kinds", selected_arm64(), ARM64_CORE_CELLS))
def test_map_kinds_on_arm64_cores(command, tmp_path_factory):
    """Every key and value kind of an arm64 program, read from its core."""
    check_command(command, tmp_path_factory)


MEMORY_TYPES_CELL = memory_types_cell("standalone")


@pytest.mark.parametrize("command", command_params("map_kinds", selected(), [MEMORY_TYPES_CELL]))
def test_map_kinds_runtime_types_from_memory(command, tmp_path_factory):
    """The same checks with every interface's dynamic type decoded from its
    runtime type descriptor alone (GOMAPDBG_RUNTIME_TYPES=memory), which
    DWARF otherwise answers for most types."""
    check_command(command, tmp_path_factory)


@pytest.mark.parametrize("command", command_params("map_corrupt", selected(), CELLS))
def test_corrupt_map_headers(command, tmp_path_factory):
    check_command(command, tmp_path_factory)
