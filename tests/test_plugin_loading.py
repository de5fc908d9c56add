"""Loading the plugins the way README says, in plain batch mode, and what a
user sees when something is missing."""

import os
import subprocess

from harness import programs
from harness.toolchains import MATRIX, REPO

GDB_PLUGIN = os.path.join(REPO, "gdb", "gomapdbg_gdb.py")
LLDB_PLUGIN = os.path.join(REPO, "lldb", "gomapdbg_lldb.py")


def gdb(*commands, env=None, binary=None):
    args = ["gdb", "-nx", "-batch", "-iex", "set debuginfod enabled off", "-ex", f"source {GDB_PLUGIN}"]
    for c in commands:
        args += ["-ex", c]
    if binary:
        args.append(binary)
    res = subprocess.run(args, capture_output=True, text=True, timeout=120, env=env)
    return res.stdout + res.stderr


def lldb(*commands, env=None, binary=None):
    args = ["lldb-16", "-b", "-o", f"command script import {LLDB_PLUGIN}"]
    for c in commands:
        args += ["-o", c]
    if binary:
        args.append(binary)
    res = subprocess.run(args, capture_output=True, text=True, timeout=120, env=env)
    return res.stdout + res.stderr


def test_gdb_help_lists_the_go_commands():
    out = gdb("help go")
    assert all(f"go {c}" in out for c in ("map", "print", "locals", "info")), out


def test_lldb_help_lists_the_go_commands():
    out = lldb("help go")
    assert all(c in out for c in ("map", "print", "locals", "info", "gomapdbg")), out


def test_go_info_needs_no_process():
    binary = programs.build("basic_maps", MATRIX[-1])
    for out in (gdb("go info", binary=binary), lldb("go info", binary=binary)):
        assert "go version: go1.26" in out, out
        assert "map layout: swiss" in out, out


def test_gdb_map_pretty_printer_is_registered_and_works_without_a_process():
    binary = programs.build("basic_maps", MATRIX[-1])
    out = gdb("info pretty-printer", "print 'main.nilMap'", binary=binary)
    assert "gomapdbg" in out and "$1 = nil" in out, out
    assert "Traceback" not in out


def test_go_print_and_locals_without_a_process_say_so():
    binary = programs.build("basic_maps", MATRIX[-1])
    for cmd in ("go print intInt9", "go locals"):
        for out in (gdb(cmd, binary=binary), lldb(cmd, binary=binary)):
            assert "no process or core file: run the program, attach, or load a core" in out, out
            assert "Traceback" not in out


def test_go_map_without_a_process_says_so():
    binary = programs.build("basic_maps", MATRIX[-1])
    for out in (gdb("go map intInt9", binary=binary), lldb("go map intInt9", binary=binary)):
        assert "go map: no process or core file: run the program, attach, or load a core" in out, out
        assert "Traceback" not in out


def test_missing_core_module_is_one_line_and_the_debugger_still_works():
    env = dict(os.environ, GOMAPDBG_BUILD="/nonexistent")
    out = gdb("print 1+1", env=env)
    assert "gomapdbg: cannot load the C++ core from /nonexistent" in out, out
    assert "run scripts/setup" in out and "$1 = 2" in out and "Traceback" not in out, out
    out = lldb("expr 1+1", env=env)
    assert "gomapdbg: cannot load the C++ core from /nonexistent" in out, out
    assert "= 2" in out and "Traceback" not in out, out
