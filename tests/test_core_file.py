"""The C++ core's own ELF core-file reader agrees with GDB on a real core:
the threads (NT_PRSTATUS: LWP ids and registers) and the signal that killed
the process. (Its memory reads are checked by every core cell of test_foundation_maps,
against the *-debugger-memory cells that read the core through the
debugger.)"""

import os
import re
import subprocess
import sys

import pytest

from harness import programs
from harness.runner import produce_core
from harness.toolchains import REPO, distinct, newest, oldest

sys.path.insert(0, os.path.join(REPO, "build", "python"))
import gomapdbg_core  # noqa: E402


def gdb_threads(binary, core):
    out = subprocess.run(
        ["gdb", "-nx", "-batch", "-ex", "thread apply all info registers rip rsp fs_base", binary, core],
        capture_output=True,
        text=True,
        timeout=300,
    ).stdout
    threads = {}
    current = None
    for line in out.splitlines():
        m = re.match(r"Thread \S+ \(LWP (\d+)\)", line)
        if m:
            current = threads.setdefault(int(m.group(1)), {})
            continue
        m = re.match(r"(rip|rsp|fs_base)\s+(0x[0-9a-f]+)", line)
        if m and current is not None:
            current[m.group(1)] = int(m.group(2), 16)
    return threads


@pytest.mark.parametrize("toolchain", distinct(oldest(), newest()), ids=lambda t: t.name)
def test_core_threads_match_gdb(toolchain, tmp_path):
    binary = programs.build("basic_maps", toolchain)
    core = produce_core(
        binary, str(tmp_path), {"GOMAPDBG_MODE": "crash", "GOMAPDBG_TRUTH": str(tmp_path / "truth.txt")}
    )
    ours = gomapdbg_core.core_threads(core, binary)
    theirs = gdb_threads(binary, core)
    assert len(ours) >= 2
    assert {tid for tid, _, _ in ours} == set(theirs)
    for tid, _, regs in ours:
        for name in ("rip", "rsp", "fs_base"):
            assert regs[name] == theirs[tid][name], (tid, name)
    assert any(signal == 6 for _, signal, _ in ours), "no thread records SIGABRT"


def test_not_a_core_file(tmp_path):
    binary = programs.build("basic_maps", newest())
    with pytest.raises(gomapdbg_core.UsageError, match="is not a core file"):
        gomapdbg_core.core_threads(binary, binary)
