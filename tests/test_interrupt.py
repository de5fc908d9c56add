"""Ctrl-C stops a long `go map --all` (entries, --buckets, --json, and
--buckets --json) cleanly in both debuggers, at an interactive prompt on a
terminal, and the next command works; a dump over a second shows progress
on the terminal. GDB's pager pages the output, and its `q` stops a command
as cleanly."""

import os
import pty
import select
import subprocess
import time

import pytest

from harness.toolchains import REPO, newest

FILL = os.path.join(REPO, "bench", "progs", "fill")


@pytest.fixture(scope="module")
def big_core(tmp_path_factory):
    """A core with a 3,000,000-entry map[string]int (a few seconds to dump)."""
    work = tmp_path_factory.mktemp("interrupt")
    tc = newest()
    binary = str(work / "fill")
    subprocess.run([tc.go, "build", "-o", binary, "."], cwd=FILL, env=tc.env(), check=True, timeout=600)
    args_env = dict(os.environ, GOTRACEBACK="crash")
    res = subprocess.run(
        ["bash", "-c", f"ulimit -c unlimited; cd {work} && {binary} -entries 3000000"],
        env=args_env,
        capture_output=True,
        timeout=600,
    )
    cores = [n for n in os.listdir(work) if n.startswith("core")]
    assert cores, f"no core: {res.stderr[-2000:]!r}"
    return binary, str(work / cores[0])


class Terminal:
    """A debugger on a pseudo-terminal, read with a deadline."""

    def __init__(self, argv):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execvp(argv[0], argv)
        self.text = b""

    def read_until(self, needle: bytes, timeout: float) -> bool:
        deadline = time.time() + timeout
        while needle not in self.text and time.time() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.2)
            if ready:
                try:
                    self.text += os.read(self.fd, 1 << 16)
                except OSError:
                    break
        return needle in self.text

    def send(self, data: bytes):
        os.write(self.fd, data)

    def close(self):
        try:
            os.kill(self.pid, 9)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        os.close(self.fd)


# (command, what its output starts with, what only a finished dump prints)
DUMPS = {
    "entries": ("go map main.strInt --all", b"entries:", b"(3000000 entries)"),
    "buckets": ("go map main.strInt --buckets --all", b" groups @ ", b"summary: "),
    "json": ("go map main.strInt --json --all", b'"entries": [', b'"complete": true'),
    "buckets-json": ("go map main.strInt --buckets --json --all", b'"groups": [', b'"summary": '),
}


@pytest.mark.parametrize("dump", DUMPS)
@pytest.mark.parametrize("debugger", ["gdb", "lldb"])
def test_ctrl_c_interrupts_a_long_dump(debugger, dump, big_core):
    command, started, finished = DUMPS[dump]
    binary, core = big_core
    if debugger == "gdb":
        argv = [
            "gdb",
            "-nx",
            "-q",
            "-iex",
            "set debuginfod enabled off",
            "-iex",
            "set pagination off",
            "-ex",
            f"source {REPO}/gdb/gomapdbg_gdb.py",
            binary,
            core,
        ]
        prompt = b"(gdb) "
    else:
        argv = [
            "lldb-16",
            "-o",
            f"command script import {REPO}/lldb/gomapdbg_lldb.py",
            "--core",
            core,
            binary,
        ]
        prompt = b"(lldb) "
    term = Terminal(argv)
    try:
        assert term.read_until(prompt, 60), term.text[-2000:]
        term.text = b""
        term.send(command.encode() + b"\n")
        assert term.read_until(started, 60), term.text[-2000:]
        # Past a second, the terminal shows progress.
        assert term.read_until(b"[gomapdbg] ", 30), term.text[-2000:]
        term.send(b"\x03")
        assert term.read_until(b"nterrupted", 60), term.text[
            -3000:
        ]  # "go map: interrupted" (GDB), "Interrupted." (LLDB)
        assert finished not in term.text, "the dump ran to its end"
        term.text = b""
        term.read_until(prompt, 10)
        term.send(b"go info\n")
        assert term.read_until(b"go version: " + newest().version_prefix.encode(), 30), term.text[-2000:]
    finally:
        term.close()


PAGER_PROMPT = b"--Type <RET> for more, q to quit"


@pytest.mark.parametrize(
    "command,started,name",
    [("go report", b"verdict: ", "go report"), ("go map main.strInt --all", b"entries:", "go map")],
    ids=["report", "long-dump"],
)
def test_gdb_pager_quit_stops_the_command(command, started, name, big_core):
    """GDB's pager pages our output like its own; `q` at its prompt stops
    the command in one line (no traceback, nothing written again: a dump
    goes out in chunks of 256 KiB, and the one the pager stopped in must
    not come back), and the next command works."""
    binary, core = big_core
    argv = ["gdb", "-nx", "-q", "-iex", "set debuginfod enabled off", "-iex", "set height 0"]
    # Paging starts once the core is loaded (its thread list would page too).
    argv += ["-ex", f"source {REPO}/gdb/gomapdbg_gdb.py", "-ex", "set height 10", binary, core]
    term = Terminal(argv)
    try:
        assert term.read_until(b"(gdb) ", 60), term.text[-2000:]
        term.text = b""
        term.send(command.encode() + b"\n")
        assert term.read_until(PAGER_PROMPT, 60), term.text[-2000:]
        assert started in term.text, term.text[-2000:]
        term.text = b""
        term.send(b"q\n")
        assert term.read_until(b"(gdb) ", 60), term.text[-2000:]
        after = term.text.decode(errors="replace")
        assert PAGER_PROMPT.decode() not in after and started.decode() not in after, after[-2000:]
        assert "Traceback" not in after, after[-2000:]
        assert f"{name}: interrupted" in after, after[-2000:]
        term.text = b""
        term.send(b"go info\n")
        assert term.read_until(b"go version: " + newest().version_prefix.encode(), 30), term.text[-2000:]
    finally:
        term.close()
