"""The code is formatted: clang-format for C++, black for Python."""

import glob
import os
import subprocess

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_cpp_is_clang_formatted():
    files = sorted(
        glob.glob(os.path.join(REPO, "core", "**", "*.cc"), recursive=True)
        + glob.glob(os.path.join(REPO, "core", "**", "*.h"), recursive=True)
        + glob.glob(os.path.join(REPO, "bench", "**", "*.cc"), recursive=True)
    )
    assert files
    res = subprocess.run(["clang-format", "--dry-run", "-Werror", *files], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr[-4000:]


def test_python_is_black_formatted():
    dirs = [os.path.join(REPO, d) for d in ("core/python", "gdb", "lldb", "tests", "bench")]
    res = subprocess.run(["black", "--check", "-q", *dirs], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr[-4000:]
