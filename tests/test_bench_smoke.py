"""scripts/bench --smoke keeps the benchmark suite working (issues 4 and 7).

A benchmark, not a timed test: this runs the smallest sizes once (a 10k-entry
map, 1000 parked goroutines, a report core with 100 goroutines and a
1000-entry map) and checks only that every tool ran and the tables have every
column and ratio. Missing tools (Delve, runtime-gdb.py, /usr/bin/time) fail
the test; scripts/setup installs them.
"""

import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "bench"))

import bench  # noqa: E402


def _section(table, heading):
    assert heading in table, heading
    return table.split(heading, 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]


def _rows(section, names, cells):
    for name in names:
        rows = [line for line in section.splitlines() if line.startswith(f"| {name} | ")]
        assert rows, f"no row for {name}"
        values = rows[0].strip("|").split("|")
        assert len(values) == cells and all(c.strip() for c in values), rows[0]


def _ratios(section, measurements):
    header = next(line for line in section.splitlines() if line.startswith("| ours \\ peer |"))
    for m in measurements:
        if not m.ours:
            assert f" {m.name} |" in header
    for m in measurements:
        if m.ours:
            assert any(line.startswith(f"| {m.name} | ") and "×)" in line for line in section.splitlines())


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
    for layout, toolchain in bench.LAYOUTS.items():
        maps = bench.measurements("map", layout)
        section = _section(table, f"### {layout} ({toolchain}), `main.strInt` (map[string]int), 10k entries")
        _rows(section, [m.name for m in maps], 6)
        _ratios(section, maps)

        listings = bench.measurements("goroutines", layout)
        section = _section(table, f"### {layout} ({toolchain}), 1k parked goroutines")
        _rows(section, [m.name for m in listings], 6)
        _ratios(section, listings)

        section = _section(table, f"### {layout} ({toolchain}), 100 goroutines, 1k-entry map")
        _rows(section, [m.name for m in bench.measurements("report", layout)], 4)
    assert "## Targets (issues 4 and 7)" in table


def test_bench_smoke_baseline_itself(tmp_path):
    """--baseline with this checkout itself: every comparable dump alternates
    with the same code, so the outputs are identical and the ratios near 1."""
    out = tmp_path / "self.md"
    res = subprocess.run(
        [os.path.join(REPO, "scripts", "bench"), "--smoke", "--reps", "3", "--baseline", REPO]
        + ["--goroutines", "--report", "none", "--tools", "gdb", "lldb", "standalone", "--output", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr[-4000:]
    section = _section(out.read_text(), "## This checkout / baseline (`--baseline`)")
    rows = [line.strip("|").split("|") for line in section.splitlines() if "| `main.strInt` |" in line]
    assert len(rows) == 3 * len(bench.LAYOUTS), section
    for layout, expression, entries, tool, ours, base, ratio, process, output in rows:
        assert output.strip() == "identical", (layout, tool, output)
        # Same code on both sides: only the machine's noise (10k entries, ~20-70 ms a dump).
        assert 1 / 3 < float(ratio) < 3, (layout, tool, ratio)
