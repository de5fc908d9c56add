"""sync/atomic values and mutexes (issue 15) on testprogs/sync_primitives:
`go print` of atomic.Pointer, atomic.Value, the atomic numbers, free,
locked and contended sync.Mutex and sync.RWMutex (text, JSON, --deref), and
`go goroutines --blocked-on` listing exactly the goroutines the program
parked on each mutex, with their wait reasons and semaphores; against what
the program recorded of itself, in every toolchain x {GDB, LLDB} x {live,
core} and standalone on the core. One test item per command; one debugger
session per cell."""

import pytest

from harness import programs
from harness.cells import EVERY_CELL, check_command, command_params, memory_types_cell
from harness.toolchains import selected

CELLS = EVERY_CELL


@pytest.mark.parametrize("command", command_params("sync_primitives", selected(), CELLS))
def test_sync_primitives(command, tmp_path_factory):
    check_command(command, tmp_path_factory)


# The core's test hook: dynamic types from runtime type descriptors only
# (what an atomic.Value holds), whose names carry the package's name, not
# its path ("atomic.Int64", and "sync.Mutex" for go1.24's internal/sync.Mutex).
MEMORY_TYPES_CELL = memory_types_cell("gdb")


@pytest.mark.parametrize("command", command_params("sync_primitives", selected(), [MEMORY_TYPES_CELL]))
def test_sync_primitives_runtime_types_from_memory(command, tmp_path_factory):
    check_command(command, tmp_path_factory)


def _stripped_commands() -> list[programs.Command]:
    return [
        programs.Command(
            "go goroutines --blocked-on gMutex",
            checks=[programs.Check("check-error", "--blocked-on needs DWARF")],
        )
    ]


# A stripped binary has neither the mutex's type nor the semaphore table's
# layout: one line says so.
STRIPPED = dict(
    debugger="standalone",
    mode="core",
    label="standalone-core-stripped",
    ldflags="-s -w",
    commands=_stripped_commands,
)


@pytest.mark.parametrize("command", command_params("sync_primitives", selected(), [STRIPPED]))
def test_blocked_on_needs_dwarf(command, tmp_path_factory):
    check_command(command, tmp_path_factory)
