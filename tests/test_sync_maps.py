"""sync.Maps (testprogs/sync_maps) in `go map`, `go print`, their JSON, the
physical view and GDB's pretty-printer match the program's truth: its live
entries, its length, how the toolchain implements sync.Map (read/dirty maps
or hash trie) and what its deletions left (deleted and expunged entries), in
every cell of toolchain x debugger x {live, core}, and with no debugger
(scripts/gomapdbg) on the cores. One test item per command; one debugger
session per cell."""

import pytest

from harness.cells import check_command, command_params
from harness.toolchains import selected

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


@pytest.mark.parametrize("command", command_params("sync_maps", selected(), CELLS))
def test_sync_maps(command, tmp_path_factory):
    check_command(command, tmp_path_factory)
