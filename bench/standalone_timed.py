"""scripts/gomapdbg with a timer around its command, for scripts/bench.

    python3 bench/standalone_timed.py TIMING_FILE COMMAND BINARY CORE [ARGS...]

Runs the same main() as scripts/gomapdbg (the product CLI) after importing
its modules, and writes the seconds main() took to TIMING_FILE: like the
timers the benchmark puts around `go ...` in GDB and LLDB, it covers the
command (opening binary and core included), not Python's start.
GOMAPDBG_BENCH_CHECKOUT=DIR runs another checkout's package instead (with
its own build: scripts/bench --baseline DIR).
"""

import os
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHECKOUT = os.environ.get("GOMAPDBG_BENCH_CHECKOUT", REPO)
sys.path.insert(0, os.path.join(CHECKOUT, "core", "python"))

import gomapdbg.commands  # noqa: E402,F401  (loaded before the timer, as the debuggers' plugins are)
from gomapdbg.loader import core  # noqa: E402,F401
from gomapdbg.standalone import main  # noqa: E402

if __name__ == "__main__":
    start = time.perf_counter()
    status = main(sys.argv[2:])
    sys.stdout.flush()
    with open(sys.argv[1], "w") as f:
        f.write(repr(time.perf_counter() - start))
    sys.exit(status)
