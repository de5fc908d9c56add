"""gomapdbg without a debugger: the same commands on a core file (or on the
executable alone for `info`), with memory and threads read by the C++ core.

    scripts/gomapdbg map BINARY CORE EXPR [--all] [--buckets] [--key K] ...
    scripts/gomapdbg info BINARY
"""

from __future__ import annotations

import argparse
import os
import sys

from gomapdbg.debugger import Debugger, FrameInfo


class StandaloneDebugger(Debugger):
    """A core file read directly; no live process, no selected frame."""

    name = "standalone"

    def __init__(self, executable: str, core: str | None):
        self._executable = os.path.abspath(executable)
        self._core = os.path.abspath(core) if core else None

    def executable(self) -> str | None:
        return self._executable

    def has_process(self) -> bool:
        return self._core is not None

    def is_core(self) -> bool:
        return self._core is not None

    def core_path(self) -> str | None:
        return self._core

    def reads_core_directly(self) -> bool:
        return True

    def live_pid(self) -> int | None:
        return None

    def read_memory(self, address: int, size: int) -> bytes | None:
        return None  # never used: the core is read by the C++ core

    def selected_frame(self) -> FrameInfo | None:
        return None

    def write(self, text: str) -> None:
        sys.stdout.write(text)


def main(argv: list[str] | None = None) -> int:
    from gomapdbg.commands import COMMANDS, run_command  # after sys.path is set up by the caller

    argv = list(sys.argv[1:] if argv is None else argv)
    usage = (
        "usage: gomapdbg COMMAND BINARY [CORE] [ARGS...]\n"
        f"commands: {', '.join(COMMANDS)}; `gomapdbg COMMAND --help` for each"
    )
    if not argv or argv[0] in ("-h", "--help"):
        print(usage)
        return 0 if argv else 2
    name = argv.pop(0)
    if name not in COMMANDS:
        print(f"gomapdbg: unknown command {name!r}\n{usage}", file=sys.stderr)
        return 2
    if argv and argv[0] in ("-h", "--help"):
        return 0 if run_command(StandaloneDebugger("/dev/null", None), name, "--help") is None else 2
    if not argv:
        print(f"gomapdbg {name}: missing BINARY", file=sys.stderr)
        return 2
    binary = argv.pop(0)
    core = None
    if name != "info":
        if not argv:
            print(f"gomapdbg {name}: missing CORE", file=sys.stderr)
            return 2
        core = argv.pop(0)
    for path in filter(None, (binary, core)):
        if not os.path.exists(path):
            print(f"gomapdbg {name}: {path}: no such file", file=sys.stderr)
            return 2
    error = run_command(StandaloneDebugger(binary, core), name, " ".join(_quote(a) for a in argv))
    sys.stdout.flush()
    if error:
        print(error, file=sys.stderr)
        return 1
    return 0


def _quote(arg: str) -> str:
    import shlex

    return shlex.quote(arg)


if __name__ == "__main__":
    sys.exit(main())
