"""Maps stopped in the middle of growing decode exactly, live in both
debuggers, for every toolchain: classic maps at evacuate_fast64's entry and
inside its slot loop (an old bucket half evacuated), and mid same-size grow;
swiss maps at a table split's entry and inside installTableSplit (old table
and new left half both in the directory); and a map after heavy deletion. One test item per command;
one debugger session per cell."""

import pytest

from harness.cells import check_command, command_params
from harness.toolchains import selected

CELLS = [dict(debugger=debugger, mode="live", label=debugger) for debugger in ("gdb", "lldb")]


@pytest.mark.parametrize("command", command_params("map_growth", selected(), CELLS))
def test_map_stopped_mid_growth(command, tmp_path_factory):
    check_command(command, tmp_path_factory)
