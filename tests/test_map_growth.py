"""Maps stopped in the middle of growing decode exactly, live in both
debuggers, for every toolchain: classic maps at evacuate_fast64's entry and
inside its slot loop (an old bucket half evacuated), and mid same-size grow;
swiss maps at a table split's entry and inside installTableSplit (old table
and new left half both in the directory); and a map after heavy deletion."""

import pytest

from harness.runner import run_program
from harness.toolchains import selected


@pytest.mark.parametrize("debugger", ["gdb", "lldb"])
@pytest.mark.parametrize("toolchain", selected(), ids=lambda t: t.name)
def test_map_stopped_mid_growth(toolchain, debugger, tmp_path):
    run_program("map_growth", toolchain, debugger, "live", str(tmp_path))
