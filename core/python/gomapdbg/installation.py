"""Where gomapdbg's files are, in a checkout or installed (cmake --install, the
Debian package), its version, and the LLDB init line.

An install mirrors the checkout under PREFIX/share/gomapdbg (gdb/, lldb/,
scripts/, core/python/gomapdbg), so ROOT is three folders up from here in
both; only the compiled module moves: build/python in a checkout, beside the
package (core/python) in an install. The version is in gomapdbg.version."""

from __future__ import annotations

import os

PYTHON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # core/python
ROOT = os.path.dirname(os.path.dirname(PYTHON_DIR))
# Only a checkout has the build description (an install ships no CMakeLists.txt).
CHECKOUT = os.path.exists(os.path.join(ROOT, "CMakeLists.txt"))
MODULE_DIR = os.environ.get("GOMAPDBG_BUILD") or (
    os.path.join(ROOT, "build", "python") if CHECKOUT else PYTHON_DIR
)
# What fixes a missing or unloadable core module.
REPAIR = "run scripts/setup" if CHECKOUT else "reinstall gomapdbg"
LLDB_PLUGIN = os.path.join(ROOT, "lldb", "gomapdbg_lldb.py")


def setup_lldbinit(home: str | None = None) -> str:
    """Adds `command script import LLDB_PLUGIN` to ~/.lldbinit once, or
    replaces an import of another gomapdbg_lldb.py (a checkout's, an older
    install's); returns what it did."""
    path = os.path.join(home or os.path.expanduser("~"), ".lldbinit")
    wanted = f"command script import {LLDB_PLUGIN}"
    lines = open(path).read().splitlines() if os.path.exists(path) else []
    if wanted in (line.strip() for line in lines):
        return f"{path} already imports {LLDB_PLUGIN}: nothing to do"
    ours = [i for i, line in enumerate(lines) if _imports_gomapdbg(line)]
    if ours:
        old = lines[ours[0]].strip()
        lines[ours[0]] = wanted
        done = f"{path}: replaced `{old}` with `{wanted}`"
    else:
        lines.append(wanted)
        done = f"{path}: added `{wanted}`"
    with open(path, "w") as f:
        f.write("".join(line + "\n" for line in lines))
    return done


def _imports_gomapdbg(line: str) -> bool:
    words = line.split()
    return words[:3] == ["command", "script", "import"] and words[-1].endswith("gomapdbg_lldb.py")
