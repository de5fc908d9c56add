"""scripts/bench --smoke keeps the benchmark suite working (issue 7).

A benchmark, not a timed test: this runs the smallest size once and checks
only that every tool ran and the table has every column and ratio. Missing
tools (Delve, runtime-gdb.py, /usr/bin/time) fail the test; scripts/setup
installs them.
"""

import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "bench"))

import bench  # noqa: E402


def test_bench_smoke_table(tmp_path):
    out = tmp_path / "latest.md"
    res = subprocess.run(
        [os.path.join(REPO, "scripts", "bench"), "--smoke", "--output", str(out)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert res.returncode == 0, res.stderr[-4000:]
    table = out.read_text()
    assert table.strip() in res.stdout
    names = [m.name for m in bench.MEASUREMENTS if m.scenario == "map"]
    for layout, toolchain in bench.LAYOUTS.items():
        heading = f"## {layout} ({toolchain}), `main.strInt` (map[string]int), 10k entries"
        assert heading in table
        section = table.split(heading, 1)[1].split("\n## ", 1)[0]
        for name in names:
            rows = [line for line in section.splitlines() if line.startswith(f"| {name} | ")]
            assert rows, f"no row for {name} under {heading}"
            cells = rows[0].strip("|").split("|")
            assert len(cells) == 6 and all(c.strip() for c in cells), rows[0]
        header = next(line for line in section.splitlines() if line.startswith("| ours \\ peer |"))
        for peer in [m.name for m in bench.MEASUREMENTS if not m.ours]:
            assert f" {peer} |" in header
        for ours in [m.name for m in bench.MEASUREMENTS if m.ours]:
            assert any(line.startswith(f"| {ours} | ") and "×)" in line for line in section.splitlines())
    assert "## Targets (issue 7)" in table
