"""The README's main job, scripts/demo, runs and shows maps in both debuggers."""

import os
import re
import subprocess

from harness.toolchains import REPO


def test_demo_catches_a_map_crash_and_shows_maps_in_both_debuggers():
    res = subprocess.run([os.path.join(REPO, "scripts", "demo")], capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    out = res.stdout
    assert "map layout: swiss" in out
    assert "main.strStr9 (global): map[string]string @ 0x" in out
    assert "arg (argument): map[string]int @ 0x" in out
    assert "main.intInt9 (global): map[int]int @ 0x" in out
    assert "(3 of 1000 entries shown; --all shows every entry)" in out
    assert "gomapdbg: caught fatal error in runtime.fatal: concurrent map writes" in out, out
    assert re.search(r"; competing \w+: goroutine \d+ \((certain|likely)\)", out), out
    assert "(the program's own exit status, returned by the wrapper: 2)" in out, out
