"""The markdown results: a table per scenario (medians, per-entry times,
ratios of ours to each peer, peak RSS) and the targets met or missed."""

from __future__ import annotations

import os
import time

from suite.columns import MEASUREMENTS, measurements
from suite.config import LAYOUTS, MAPS, size_name


def fmt_time(s: float) -> str:
    if s >= 1:
        return f"{s:.2f} s"
    if s >= 1e-3:
        return f"{s * 1e3:.1f} ms"
    return f"{s * 1e6:.0f} µs"


def fmt_per_entry(s: float) -> str:
    if s >= 1e-3:
        return f"{s * 1e3:.2f} ms"
    if s >= 1e-6:
        return f"{s * 1e6:.2f} µs"
    return f"{s * 1e9:.0f} ns"


def fmt_rss(kb: int) -> str:
    return f"{kb / 1024:.0f} MiB"


def _count_name(n: int) -> str:
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n)


def _table(row: dict, names: list[str], unit: str, one: str) -> list[str]:
    """The cells of one scenario and the ratios, per entry, of ours / peers."""
    lines = [
        f"| tool | {unit} | time | per {one} | process | peak RSS |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name in names:
        c = row.get(name)
        if c is None:
            lines.append(f"| {name} | not run | | | | |")
            continue
        err = f" ({c.errors} errors)" if c.errors else ""
        if c.stopped:
            err += ", then stopped by an error"
        lines.append(
            f"| {name} | {c.entries}{err} | {fmt_time(c.dump_s)} | {fmt_per_entry(c.per_entry_s)} "
            f"| {fmt_time(c.total_s)} | {fmt_rss(c.rss_kb)} |"
        )
    ours = [n for n in names if n in row and next(m for m in MEASUREMENTS if m.name == n).ours]
    peers = [n for n in names if n in row and n not in ours]
    if "gdb" in row and ours:
        peers.append("gdb")
    if not ours or not peers:
        return lines
    lines += [
        "",
        f"Ratios, per {one}, ours / peer (below 1: ours is faster; in brackets: speedup):",
        "",
    ]
    lines.append("| ours \\ peer | " + " | ".join(peers) + " |")
    lines.append("|---|" + "---:|" * len(peers))
    for o in ours:
        cells = []
        for peer in peers:
            r = row[o].per_entry_s / row[peer].per_entry_s
            cells.append("—" if peer == o else f"{r:.3g} ({1 / r:.3g}×)")
        lines.append(f"| {o} | " + " | ".join(cells) + " |")
    return lines


def report(results: dict, args, elapsed: float) -> str:
    lines = [
        "# gomapdbg benchmark",
        "",
        f"`scripts/bench {' '.join(args.argv)}`".replace(" `", "`"),
        f"— {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs, "
        f"{args.reps} repetition(s), medians; {elapsed:.0f} s in all.",
        "",
        "Each cell: the command's own time (inside the tool: the command alone, after the "
        "debugger loaded binary and core), the time per entry (goroutine), the whole process's "
        "wall time, and its peak RSS. Peers too slow for a full dump are capped "
        f"(runtime-gdb.py at {args.runtime_gdb_cap}, Delve at {args.delve_cap} entries; "
        f"runtime-gdb.py's `info goroutines` up to {args.runtime_gdb_goroutines_cap} goroutines) "
        "and compared per entry. Times are wall-clock on a machine other work shares.",
        "",
    ]
    if results["map"]:
        lines += ["## Map dumps (`go map EXPR --all`)", ""]
        for m in measurements("map"):
            if m.notes:
                lines.append(f"- **{m.name}**: {m.notes}")
        lines.append("")
    for (layout, expression, size), row in results["map"].items():
        tc = LAYOUTS[layout]
        lines += [f"### {layout} ({tc}), `{expression}` ({MAPS[expression]}), {size_name(size)} entries", ""]
        lines += _table(row, [m.name for m in measurements("map", layout)], "entries", "entry")
        lines.append("")
    if results["goroutines"]:
        lines += [
            "## Goroutine listings (`go goroutines`)",
            "",
            "Cores of bench/progs/fill with N goroutines parked on a channel (plus the runtime's "
            "own). Ours list each goroutine with state, location (file:line), thread and creator.",
            "",
        ]
        for m in measurements("goroutines"):
            if m.notes:
                lines.append(f"- **{m.name}**: {m.notes}")
        lines.append("")
    names = [m.name for m in measurements("goroutines")]
    for (layout, count), row in results["goroutines"].items():
        lines += [f"### {layout} ({LAYOUTS[layout]}), {_count_name(count)} parked goroutines", ""]
        lines += _table(row, names, "goroutines", "goroutine")
        lines.append("")
    if results["report"]:
        lines += [
            "## Crash report (`go report`)",
            "",
            "A core of bench/progs/fill -race: two goroutines writing `main.strInt` until "
            "`fatal error: concurrent map writes` (GOTRACEBACK=crash), with parked goroutines. "
            "No peer produces this report; the time is ours alone.",
            "",
        ]
    names = [m.name for m in measurements("report")]
    for (layout, goroutines, entries), row in results["report"].items():
        lines += [
            f"### {layout} ({LAYOUTS[layout]}), {_count_name(goroutines)} goroutines, "
            f"{_count_name(entries)}-entry map",
            "",
            "| tool | report | process | peak RSS |",
            "|---|---:|---:|---:|",
        ]
        for name in names:
            c = row[name]
            lines.append(f"| {name} | {fmt_time(c.dump_s)} | {fmt_time(c.total_s)} | {fmt_rss(c.rss_kb)} |")
        lines.append("")
    if args.baseline:
        lines += _baseline_section(results["baseline"], args)
    lines += targets(results)
    return "\n".join(lines) + "\n"


def _baseline_section(results: dict, args) -> list[str]:
    lines = [
        "## This checkout / baseline (`--baseline`)",
        "",
        f"This checkout: {args.baseline.ours_description}; baseline: {args.baseline.description}, "
        "each with its own build. Each repetition runs this checkout, then the baseline, on the same "
        "core; the ratios are medians over those pairs of this checkout's time / the baseline's "
        "(below 1: this checkout is faster): the command's own time and the whole process's. "
        "*output*: the two outputs of every pair compared (identical: byte for byte, but for the "
        "commands LLDB echoes, whose paths differ).",
        "",
        "| layout | map | entries | tool | this checkout | baseline | ratio | process ratio | output |",
        "|---|---|---:|---|---:|---:|---:|---:|---|",
    ]
    for (layout, expression, size), row in results.items():
        for name, c in row.items():
            lines.append(
                f"| {layout} | `{expression}` | {size_name(size)} | {name} | {fmt_time(c.ours.dump_s)} "
                f"| {fmt_time(c.base.dump_s)} | {c.dump_ratio:.3f} | {c.total_ratio:.3f} | {c.output} |"
            )
    return lines + [""]


def targets(results: dict) -> list[str]:
    """The issues' targets, checked against this run's numbers (reported,
    never asserted)."""
    out = ["## Targets (issues 4 and 7)", ""]
    for (layout, expression, size), row in results["map"].items():
        if expression != "main.strInt":
            continue
        needed = ("gdb", "lldb", "delve", "raw limit", "runtime-gdb.py", "standalone", "standalone C++")
        if not all(name in row for name in needed):
            out.append(f"- not checked ({layout} {size_name(size)}): not every tool ran (--tools)")
            continue
        g, lldb = row["gdb"], row["lldb"]
        dlv, raw = row["delve"], row["raw limit"]
        rg = row["runtime-gdb.py"]
        rg_name = "runtime-gdb.py"
        if rg.stopped and "runtime-gdb.py fixed" in row:
            rg, rg_name = row["runtime-gdb.py fixed"], "runtime-gdb.py fixed (the unmodified one stops early)"
        where = f"{layout} {size_name(size)}"
        checks = [
            (
                f"GDB ≥ 250× faster per entry than {rg_name} ({where})",
                rg.per_entry_s / g.per_entry_s >= 250,
                f"{rg.per_entry_s / g.per_entry_s:.0f}×",
            ),
            (
                f"GDB faster than Delve on the same dump ({where})",
                g.per_entry_s < dlv.per_entry_s,
                f"{dlv.per_entry_s / g.per_entry_s:.2f}× faster",
            ),
            (
                f"LLDB within 1.5× of GDB ({where})",
                lldb.dump_s <= 1.5 * g.dump_s,
                f"{lldb.dump_s / g.dump_s:.2f}×",
            ),
        ]
        for name in ("standalone", "standalone C++"):
            checks.append(
                (
                    f"{name} within 2× of the raw limit ({where})",
                    row[name].dump_s <= 2 * raw.dump_s,
                    f"{row[name].dump_s / raw.dump_s:.2f}×",
                )
            )
        if size == 1_000_000:
            checks.insert(
                0, (f"1M-entry dump through GDB ≤ 2 s ({where})", g.dump_s <= 2, fmt_time(g.dump_s))
            )
        if size >= 10_000_000:
            for m in measurements("map"):
                if m.ours and m.name in row:
                    c = row[m.name]
                    checks.append(
                        (
                            f"{m.name} peak RSS bounded while dumping {size_name(size)} ({where})",
                            c.rss_kb < 1024 * 1024,
                            fmt_rss(c.rss_kb),
                        )
                    )
        out += _checks(checks)
    for (layout, count), row in results["goroutines"].items():
        if count != 100_000:
            continue
        checks = []
        for name in ("gdb", "lldb", "standalone"):
            c = row[name]
            checks.append(
                (
                    f"100k goroutines listed in ≤ 1 s, {name} ({layout})",
                    c.dump_s <= 1,
                    f"{fmt_time(c.dump_s)} (whole process {fmt_time(c.total_s)})",
                )
            )
        out += _checks(checks)
    for (layout, goroutines, entries), row in results["report"].items():
        if (goroutines, entries) != (10_000, 100_000):
            continue
        checks = []
        for name in ("gdb", "lldb", "standalone"):
            c = row[name]
            checks.append(
                (
                    f"`go report` on 10k goroutines and a 100k-entry map in ≤ 1 s, {name} ({layout})",
                    c.dump_s <= 1,
                    f"{fmt_time(c.dump_s)} (whole process {fmt_time(c.total_s)})",
                )
            )
        out += _checks(checks)
    out.append("")
    return out


def _checks(checks) -> list[str]:
    return [f"- {'met' if ok else '**missed**'}: {text}: {value}" for text, ok, value in checks]
