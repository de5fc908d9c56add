"""Loading the plugins the way README says, in plain batch mode, and what a
user sees when something is missing."""

import glob
import os
import re
import shutil
import subprocess
import sys

from harness import programs
from harness.toolchains import REPO, newest

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
    tc = newest()
    binary = programs.build("basic_maps", tc)
    for out in (gdb("go info", binary=binary), lldb("go info", binary=binary)):
        assert f"go version: {tc.version_prefix}" in out, out
        assert f"map layout: {tc.map_layout} (" in out, out


def test_gdb_map_pretty_printer_is_registered_and_works_without_a_process():
    binary = programs.build("basic_maps", newest())
    out = gdb("info pretty-printer", "print 'main.nilMap'", binary=binary)
    assert "gomapdbg" in out and "$1 = nil" in out, out
    assert "Traceback" not in out


def test_go_print_and_locals_without_a_process_say_so():
    binary = programs.build("basic_maps", newest())
    for cmd in ("go print intInt9", "go locals"):
        for out in (gdb(cmd, binary=binary), lldb(cmd, binary=binary)):
            assert "no process or core file: run the program, attach, or load a core" in out, out
            assert "Traceback" not in out


def test_go_map_without_a_process_says_so():
    binary = programs.build("basic_maps", newest())
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


def _one_gomapdbg_line(out: str) -> str:
    lines = [line for line in out.splitlines() if "gomapdbg" in line and "command script import" not in line]
    assert len(lines) == 1, out
    assert "Traceback" not in out, out
    return lines[0]


def test_core_module_built_for_another_python_is_one_line_and_the_debugger_still_works(tmp_path):
    """A build folder holding only a module for another Python (the real
    module under another interpreter's ABI tag, as a build for it leaves)."""
    real = glob.glob(
        os.path.join(REPO, "build", "python", f"gomapdbg_core.{sys.implementation.cache_tag}-*.so")
    )
    assert real, "the core module is not built"
    other = f"cpython-{sys.version_info.major}{sys.version_info.minor - 2}"
    name = os.path.basename(real[0]).replace(sys.implementation.cache_tag, other)
    shutil.copy(real[0], tmp_path / name)
    env = dict(os.environ, GOMAPDBG_BUILD=str(tmp_path))
    want = (
        f"gomapdbg: the C++ core in {tmp_path} was built for Python {sys.version_info.major}."
        f"{sys.version_info.minor - 2} ({name}), but this debugger embeds Python "
        f"{sys.version_info.major}.{sys.version_info.minor}: run scripts/setup to rebuild it"
    )
    out = gdb("print 1+1", env=env)
    assert _one_gomapdbg_line(out).startswith(want), out
    assert "$1 = 2" in out, out
    out = lldb("expr 1+1", env=env)
    assert _one_gomapdbg_line(out).startswith(want), out
    assert "= 2" in out, out


def test_core_module_missing_a_library_is_one_line_and_the_debugger_still_works(tmp_path):
    """A module for this Python whose shared library is gone (a library
    uninstalled after the build)."""
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "gone.c").write_text("int gomapdbg_gone(void) { return 1; }\n")
    (tmp_path / "stub.c").write_text(
        "int gomapdbg_gone(void);\nint PyInit_gomapdbg_core(void) { return gomapdbg_gone(); }\n"
    )
    subprocess.run(
        ["cc", "-shared", "-fPIC", "-o", str(lib / "libgomapdbg_gone.so"), str(lib / "gone.c")], check=True
    )
    suffix = f".{sys.implementation.cache_tag}-x86_64-linux-gnu.so"
    module = tmp_path / f"gomapdbg_core{suffix}"
    subprocess.run(
        [
            "cc",
            "-shared",
            "-fPIC",
            "-o",
            str(module),
            str(tmp_path / "stub.c"),
            f"-L{lib}",
            "-lgomapdbg_gone",
        ],
        check=True,
    )
    shutil.rmtree(lib)
    env = dict(os.environ, GOMAPDBG_BUILD=str(tmp_path))
    want = f"gomapdbg: cannot load the C++ core from {tmp_path} for Python {sys.version_info.major}.{sys.version_info.minor} (libgomapdbg_gone.so: cannot open shared object file"
    out = gdb("print 1+1", env=env)
    line = _one_gomapdbg_line(out)
    assert line.startswith(want) and line.endswith("run scripts/setup"), out
    assert "$1 = 2" in out, out
    out = lldb("expr 1+1", env=env)
    line = _one_gomapdbg_line(out)
    assert line.startswith(want) and line.endswith("run scripts/setup"), out
    assert "= 2" in out, out


def test_a_program_that_is_not_go_is_refused_in_one_line():
    """A C program (the system's ls): every front end says so, nothing else."""
    ls = shutil.which("ls")
    expected = "is not a Go program (no Go build info, no .gopclntab, no runtime.main)"
    outputs = {
        "gdb": gdb("go info", binary=ls),
        "lldb": lldb("go info", binary=ls),
    }
    standalone = subprocess.run(
        [os.path.join(REPO, "scripts", "gomapdbg"), "info", ls], capture_output=True, text=True, timeout=120
    )
    outputs["standalone"] = standalone.stdout + standalone.stderr
    for name, out in outputs.items():
        refusals = [line for line in out.splitlines() if expected in line]
        assert len(refusals) == 1, f"{name}: {out}"
        assert "Traceback" not in out and "go version" not in out and "internal error" not in out, out


def test_lldb_import_prints_nothing_and_passes_sigurg_without_stopping():
    binary = programs.build("basic_maps", newest())
    out = lldb("process handle SIGURG", binary=binary)
    imported = out.split("command script import", 1)[1].split("(lldb) process handle SIGURG", 1)[0]
    assert imported.strip() == LLDB_PLUGIN, out
    assert re.search(r"^SIGURG +true +false +false *$", out, re.M), out


def test_lldb_catch_breakpoints_are_named_and_off_removes_only_them():
    binary = programs.build("basic_maps", newest())
    out = lldb(
        "breakpoint set -n main.main",
        "go catch on",
        "breakpoint list",
        "go catch off",
        "breakpoint list",
        binary=binary,
    )
    on, off = out.split("(lldb) go catch off", 1)
    listed = on.split("(lldb) breakpoint list", 1)[1]
    armed = re.search(r"go catch: on \((.*); SIGABRT\)", on).group(1).count(" @ ")
    catches = len(re.findall(r"^  Names:\n    gomapdbg_catch$", listed, re.M))
    assert catches == armed > 0 and "main.main" in listed, out
    assert "gomapdbg_catch" not in off and "main.main" in off.split("(lldb) breakpoint list", 1)[1], out
