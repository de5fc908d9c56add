"""Running one tool as a process: its wall time and peak RSS (/usr/bin/time),
its output in a file."""

from __future__ import annotations

import dataclasses
import os
import shlex
import subprocess
import sys
import tempfile
import time

from suite.config import BUILD, RUN_TIMEOUT


@dataclasses.dataclass
class Run:
    """One run of one tool: wall time of the process, the dump itself (timed
    inside the tool where it can be, else None), its peak RSS and output."""

    total_s: float
    dump_s: float | None
    rss_kb: int
    out_path: str  # its stdout
    stderr: str


TIME = "/usr/bin/time"


def run_process(argv: list[str], out_path: str, env=None, stdin_text: str | None = None) -> Run:
    """Runs argv with stdout to out_path; measures wall time and its peak RSS
    with /usr/bin/time (a small parent: a child forked from this Python
    would inherit its RSS high-water mark in ru_maxrss)."""
    rss_path = out_path + ".rss"
    argv = [TIME, "-f", "%M", "-o", rss_path] + argv
    stdin = subprocess.DEVNULL
    if stdin_text is not None:
        stdin = tempfile.TemporaryFile()
        stdin.write(stdin_text.encode())
        stdin.seek(0)
    with open(out_path, "wb") as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, stdin=stdin, env=env, cwd=BUILD)
        try:
            proc.wait(RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise RuntimeError(f"{argv[5]} ran over {RUN_TIMEOUT} s: {shlex.join(argv)}")
        total = time.perf_counter() - start
        err.seek(0)
        stderr = err.read().decode(errors="replace")
    if stdin_text is not None:
        stdin.close()
    if proc.returncode != 0:
        raise RuntimeError(f"{shlex.join(argv[5:])} exited {proc.returncode}:\n{stderr[-3000:]}")
    with open(rss_path) as f:
        rss_kb = int(f.read().split()[-1])
    os.unlink(rss_path)
    return Run(total, None, rss_kb, out_path, stderr)


def log(text: str) -> None:
    print(f"bench: {text}", file=sys.stderr, flush=True)
