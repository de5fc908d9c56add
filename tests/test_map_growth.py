"""Maps stopped in the middle of growing (classic: inside runtime.evacuate
with oldbuckets half evacuated; swiss: inside a table split) and after heavy
deletion decode exactly, live in both debuggers, for every toolchain."""

import pytest

from harness.runner import run_program
from harness.toolchains import selected


@pytest.mark.parametrize("debugger", ["gdb", "lldb"])
@pytest.mark.parametrize("toolchain", selected(), ids=lambda t: t.name)
def test_map_stopped_mid_growth(toolchain, debugger, tmp_path):
    run_program("map_growth", toolchain, debugger, "live", str(tmp_path))
