"""Installed like a real package: the Debian package (cpack) installed on this
machine with dpkg and `cmake --install` into a prefix, then GDB, LLDB and the
CLI run from a directory outside the checkout, on a real core of a test
program, checked against the program's own record of its maps. The package is
purged at the end, and while it is installed the checkout's plugin still loads
its own package (the other tests use it)."""

import glob
import os
import subprocess

import pytest

from harness import programs
from harness.checks import check_map
from harness.runner import crash_core
from harness.toolchains import REPO, distinct, newest, oldest
from harness.truth import read_truth

BUILD = os.path.join(REPO, "build")
MAP = "intInt9"  # a basic_maps global with entries in every layout
DECLINED = "auto-loading has been declined"  # GDB's safe-path warning


def run(args, **options) -> str:
    """What `args` printed on stdout (the debuggers' own warnings go to stderr)."""
    return run_both(args, **options)[0]


def run_both(args, **options) -> tuple[str, str]:
    res = subprocess.run(args, capture_output=True, text=True, timeout=300, **options)
    assert res.returncode == 0, f"{args} exited {res.returncode}:\n{res.stdout}{res.stderr}"
    return res.stdout, res.stderr


def project_version() -> str:
    """project(VERSION) of CMakeLists.txt: the one place the version is set."""
    with open(os.path.join(REPO, "CMakeLists.txt")) as f:
        return next(line.split("VERSION")[1].split()[0] for line in f if line.startswith("project("))


# apt-get waits for dpkg's lock, which the machine's own apt jobs may hold.
APT = ["apt-get", "-o", "DPkg::Lock::Timeout=600"]


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    """The .deb built from the checkout's build and installed; purged afterwards."""
    out = tmp_path_factory.mktemp("deb")
    run(["cpack", "--config", os.path.join(BUILD, "CPackConfig.cmake"), "-B", str(out)], cwd=out)
    (deb,) = glob.glob(str(out / "gomapdbg_*.deb"))
    run(APT + ["install", "-y", "-qq", deb])
    try:
        yield deb
    finally:
        run(APT + ["purge", "-y", "-qq", "gomapdbg"])
        assert not os.path.exists("/usr/share/gomapdbg") and not os.path.exists(
            "/etc/gdb/gdbinit.d/gomapdbg.py"
        ), "the purged package left files behind"


@pytest.fixture
def outside(tmp_path):
    """A working directory and HOME outside the checkout, with no init files."""
    return {"cwd": tmp_path, "env": dict(os.environ, HOME=str(tmp_path))}


def toolchains():
    return distinct(oldest("classic"), newest())


def after_command(output: str, prompt: str) -> str:
    """What the debugger printed after echoing `prompt` (LLDB's batch mode echoes each command)."""
    assert prompt in output, output
    return output.split(prompt, 1)[1].lstrip("\n")


def test_package_installs_the_tools_the_gdb_snippet_and_its_dependencies(package):
    listing = run(["dpkg", "-L", "gomapdbg"]).split()
    for path in (
        "/usr/bin/gomapdbg",
        "/usr/bin/gomapdbg-catch",
        "/etc/gdb/gdbinit.d/gomapdbg.py",
        "/usr/share/gomapdbg/gdb/gomapdbg_gdb.py",
        "/usr/share/gomapdbg/lldb/gomapdbg_lldb.py",
        "/usr/share/gomapdbg/core/python/gomapdbg/loader.py",
    ):
        assert path in listing, listing
    # Debian's gdb reads this directory before the program loads.
    assert "--with-system-gdbinit-dir=/etc/gdb/gdbinit.d" in run(["gdb", "--configuration"])
    depends = run(["dpkg-query", "-W", "-f=${Depends}", "gomapdbg"])
    for dependency in ("gdb | gdb-multiarch", "libdw1", "python3 (>= 3."):
        assert dependency in depends, depends


@pytest.mark.parametrize("toolchain", toolchains(), ids=lambda t: t.name)
def test_installed_gdb_has_the_go_commands_with_no_init_file_edit(
    package, outside, toolchain, tmp_path_factory
):
    binary, core, truth = crash_core("basic_maps", toolchain, tmp_path_factory)
    out, err = run_both(["gdb", "-batch", "-ex", "go info", binary], **outside)
    assert f"go version: {toolchain.version_prefix}" in out and f"map layout: {toolchain.map_layout} (" in out
    # Go's runtime-gdb.py is declined quietly, in one line, instead of GDB's warning.
    assert DECLINED not in err and out.startswith("gomapdbg: not auto-loading "), out + err
    assert "/src/runtime/runtime-gdb.py (Go's map printer would override gomapdbg's" in out, out
    out, err = run_both(["gdb", "-batch", "-ex", f"go map {MAP} --all", binary, core], **outside)
    assert DECLINED not in err, err
    shown = out[out.index(f"main.{MAP} (global)") :]
    assert check_map(shown, MAP, read_truth(truth), toolchain.map_layout) == [], out


@pytest.mark.parametrize("toolchain", toolchains(), ids=lambda t: t.name)
def test_installed_cli_on_path(package, outside, toolchain, tmp_path_factory):
    binary, core, truth = crash_core("basic_maps", toolchain, tmp_path_factory)
    out = run(["gomapdbg", "info", binary], **outside)
    assert f"go version: {toolchain.version_prefix}" in out, out
    out = run(["gomapdbg", "map", binary, core, MAP, "--all"], **outside)
    assert check_map(out, MAP, read_truth(truth), toolchain.map_layout) == [], out
    assert run(["gomapdbg", "--version"], **outside) == f"gomapdbg {project_version()}\n"
    assert run(["gomapdbg-catch", "--version"], **outside) == f"gomapdbg {project_version()}\n"


def test_installed_lldb_after_setup_lldbinit(package, outside, tmp_path_factory):
    toolchain = newest()
    binary, core, truth = crash_core("basic_maps", toolchain, tmp_path_factory)
    line = "command script import /usr/share/gomapdbg/lldb/gomapdbg_lldb.py"
    lldbinit = os.path.join(outside["env"]["HOME"], ".lldbinit")
    assert run(["gomapdbg", "setup-lldbinit"], **outside) == f"{lldbinit}: added `{line}`\n"
    again = run(["gomapdbg", "setup-lldbinit"], **outside)
    assert again == f"{lldbinit} already imports /usr/share/gomapdbg/lldb/gomapdbg_lldb.py: nothing to do\n"
    assert open(lldbinit).read() == line + "\n"
    out = run(["lldb-16", "-b", "-o", f"go map {MAP} --all", "--core", core, binary], **outside)
    shown = after_command(out, f"(lldb) go map {MAP} --all\n")
    assert check_map(shown, MAP, read_truth(truth), toolchain.map_layout) == [], out


def test_setup_lldbinit_replaces_another_gomapdbg_import(package, outside):
    home = outside["env"]["HOME"]
    old = "command script import /src/gomapdbg/lldb/gomapdbg_lldb.py"
    with open(os.path.join(home, ".lldbinit"), "w") as f:
        f.write(f"settings set target.x86-disassembly-flavor intel\n{old}\n")
    new = "command script import /usr/share/gomapdbg/lldb/gomapdbg_lldb.py"
    assert run(["gomapdbg", "setup-lldbinit"], **outside) == (
        f"{home}/.lldbinit: replaced `{old}` with `{new}`\n"
    )
    assert open(os.path.join(home, ".lldbinit")).read() == (
        f"settings set target.x86-disassembly-flavor intel\n{new}\n"
    )


def test_the_checkout_plugin_loads_its_own_package_while_the_package_is_installed(package, outside):
    where = "python import gomapdbg.loader as l; print(l.__file__); print(l.core.__file__)"
    plugin = os.path.join(REPO, "gdb", "gomapdbg_gdb.py")
    out = run(["gdb", "-nx", "-batch", "-ex", f"source {plugin}", "-ex", where], **outside)
    assert out.splitlines() == [
        os.path.join(REPO, "core", "python", "gomapdbg", "loader.py"),
        *glob.glob(os.path.join(BUILD, "python", "gomapdbg_core.*.so")),
    ], out
    assert run([os.path.join(REPO, "scripts", "gomapdbg"), "--version"], **outside).startswith(
        f"gomapdbg {project_version()} (git "
    )


def test_cmake_install_into_a_prefix(tmp_path, outside):
    prefix = tmp_path / "prefix"
    run(["cmake", "--install", BUILD, "--prefix", str(prefix)])
    binary = programs.build("basic_maps", newest())
    out = run([str(prefix / "bin" / "gomapdbg"), "info", binary], **outside)
    assert f"go version: {newest().version_prefix}" in out, out
    # The prefix's GDB snippet (GDB reads only /etc's by itself) loads the prefix's package and module.
    snippet = prefix / "etc" / "gdb" / "gdbinit.d" / "gomapdbg.py"
    where = "python import gomapdbg.loader as l; print(l.__file__); print(l.core.__file__)"
    out = run(["gdb", "-nx", "-batch", "-iex", f"source {snippet}", "-ex", where, "-ex", "go info", binary])
    python = prefix / "share" / "gomapdbg" / "core" / "python"
    lines = [line for line in out.splitlines() if not line.startswith("gomapdbg: not auto-loading ")]
    assert lines[0] == str(python / "gomapdbg" / "loader.py"), out
    assert lines[1].startswith(str(python / "gomapdbg_core.")), out
    assert f"go version: {newest().version_prefix}" in out, out
    assert run([str(prefix / "bin" / "gomapdbg-catch"), "--version"]) == f"gomapdbg {project_version()}\n"
