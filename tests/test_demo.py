"""The README's main job, scripts/demo, runs and shows maps in both debuggers."""

import os
import subprocess

from harness.toolchains import REPO


def test_demo_shows_maps_live_in_gdb_and_from_a_core_in_lldb():
    res = subprocess.run([os.path.join(REPO, "scripts", "demo")], capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    out = res.stdout
    assert "map layout: swiss" in out
    assert "main.strStr9 (global): map[string]string @ 0x" in out
    assert "arg (argument): map[string]int @ 0x" in out
    assert "main.intInt9 (global): map[int]int @ 0x" in out
    assert "(3 of 1000 entries shown; --all shows every entry)" in out
    assert "error" not in out.lower(), out
