"""Runs a test session as a user's terminal would: the debugger's output on
a pseudo-terminal of a given width (colour and line breaking depend on it)."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import tempfile
import termios

from harness.session import DONE, SESSION_TIMEOUT, SessionSpec, _session_command, split_output


def _terminal(columns: int) -> tuple[int, int]:
    """(master, slave) of a pseudo-terminal `columns` wide that passes '\\n' as is."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    attrs = termios.tcgetattr(slave)
    attrs[1] &= ~termios.ONLCR
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    return master, slave


def _read_all(master: int) -> bytes:
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: every writer has closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    return b"".join(chunks)


def run_session_on_terminal(
    debugger: str, spec: SessionSpec, workdir: str, columns: int, env: dict[str, str] | None = None
) -> list[str]:
    """Outputs per command, stdout on a terminal `columns` wide; `env` adds to
    (or, with None values, removes from) the session's environment."""
    cmd, session_env = _session_command(debugger, spec, workdir)
    session_env.pop("COLUMNS", None)
    session_env["TERM"] = "xterm-256color"
    for name, value in (env or {}).items():
        if value is None:
            session_env.pop(name, None)
        else:
            session_env[name] = value
    master, slave = _terminal(columns)
    with tempfile.TemporaryFile() as stderr:
        proc = subprocess.Popen(
            cmd, cwd=workdir, env=session_env, stdin=subprocess.DEVNULL, stdout=slave, stderr=stderr
        )
        os.close(slave)
        out = _read_all(master).decode("utf-8", "replace")
        os.close(master)
        proc.wait(timeout=SESSION_TIMEOUT)
        stderr.seek(0)
        errors = stderr.read().decode("utf-8", "replace")
    if DONE not in out:
        raise AssertionError(
            f"{debugger} session on a terminal did not finish:\n{out[-4000:]}\n{errors[-2000:]}"
        )
    return split_output(out, len(spec.commands))
