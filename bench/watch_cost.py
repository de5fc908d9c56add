#!/usr/bin/python3
"""What the live write recorder (gomapdbg_core.WriteRecorder) costs a Go
program per map write, measured in one run of one process.

    /usr/bin/python3 bench/watch_cost.py [--toolchains go1.26,go1.25.12-noswiss]
        [--rounds 5] [--plain-writes 2000000] [--watched-writes 5000]

bench/watch/map_writes.go times N writes m[i&1023] = i to a full map[int]int
each time it reads N on stdin. Rounds alternate: N writes unwatched, then N'
writes with the recorder armed on the map header's writing flag (classic
hmap.flags, swiss Map.writing; each write toggles it twice, so two hits per
write), disarmed again before the next round. Reported: median ns per write
either way, their ratio, the added cost per write and per hit (hits counted
from the samples), and the time to arm (every thread) and to read the log.
Medians of ratios within one process, not absolute claims: the machine is a
shared VM where each debug exception exits to the hypervisor.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests"))
sys.path.insert(0, os.path.join(REPO, "build", "python"))

import gomapdbg_core as core  # noqa: E402
from harness.toolchains import MATRIX, Toolchain  # noqa: E402

SOURCE = os.path.join(REPO, "bench", "watch")
WRITING_FLAG_OFFSET = {"classic": 8, "swiss": 34}  # hmap.flags, Map.writing


def build(tc: Toolchain) -> str:
    out = os.path.join(REPO, "build", "bench", "watch", tc.name, "map_writes")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    res = subprocess.run(
        [tc.go, "build", "-o", out, "map_writes.go"], cwd=SOURCE, env=tc.env(), capture_output=True, text=True
    )
    if res.returncode != 0:
        raise RuntimeError(f"building map_writes with {tc.name} failed:\n{res.stderr}")
    return out


class Program:
    """map_writes, driven line by line."""

    def __init__(self, binary: str):
        self.proc = subprocess.Popen(
            [binary], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1
        )
        self.header = int(self.proc.stdout.readline(), 16)

    def time_writes(self, n: int) -> float:
        """Nanoseconds per write over n writes."""
        self.proc.stdin.write(f"{n}\n")
        return int(self.proc.stdout.readline()) / n

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def measure(tc: Toolchain, rounds: int, plain_writes: int, watched_writes: int) -> dict:
    program = Program(build(tc))
    try:
        flag = program.header + WRITING_FLAG_OFFSET[tc.map_layout]
        program.time_writes(plain_writes)  # warm up
        plain, watched, hits, arm, read = [], [], [], [], []
        for _ in range(rounds):
            plain.append(program.time_writes(plain_writes))
            t0 = time.perf_counter()
            recorder = core.WriteRecorder(program.proc.pid, flag, 1, buffer_pages=1024)
            arm.append(time.perf_counter() - t0)
            watched.append(program.time_writes(watched_writes))
            t0 = time.perf_counter()
            log = recorder.log()
            read.append(time.perf_counter() - t0)
            recorder.stop()
            if log["lost"] or log["complete_since_ns"]:
                raise RuntimeError(
                    f"{tc.name}: the log is not whole ({log['lost']} lost); use bigger buffers"
                )
            hits.append(len(log["samples"]) / watched_writes)
    finally:
        program.close()
    p, w, h = statistics.median(plain), statistics.median(watched), statistics.median(hits)
    return {
        "plain": p,
        "watched": w,
        "hits": h,
        "arm_ms": statistics.median(arm) * 1e3,
        "read_ms": statistics.median(read) * 1e3,
    }


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--toolchains", default="go1.26,go1.25.12-noswiss")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--plain-writes", type=int, default=2_000_000)
    p.add_argument("--watched-writes", type=int, default=5_000)
    args = p.parse_args()
    names = args.toolchains.split(",")
    print(
        "| toolchain | layout | ns/write unwatched | ns/write watched | ratio | added µs/write "
        "| hits/write | added µs/hit | arm ms | read ms |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for tc in [t for t in MATRIX if t.name in names]:
        m = measure(tc, args.rounds, args.plain_writes, args.watched_writes)
        added = (m["watched"] - m["plain"]) / 1e3
        print(
            f"| {tc.name} | {tc.map_layout} | {m['plain']:.1f} | {m['watched']:.0f} "
            f"| {m['watched'] / m['plain']:.0f}x | {added:.1f} | {m['hits']:.2f} "
            f"| {added / m['hits']:.1f} | {m['arm_ms']:.1f} | {m['read_ms']:.1f} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
