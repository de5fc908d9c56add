"""Runs one debugger session on a test program and splits its output by command.

Both debuggers are driven from inside, by a small Python driver that the
debugger itself runs (gdb -batch -x gdb_driver.py; LLDB through its SB API in
lldb_driver.py; with no debugger at all, scripts/gomapdbg's code path in
standalone_driver.py, on core files): it loads the plugin, stops the program (live at the #break
line, or on its core file), fills in the templates from the truth file the
program wrote, and runs each command after a marker line.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess

from harness.toolchains import REPO

MARKER = "<<<gomapdbg-command {}>>>"
DONE = "<<<gomapdbg-driver-done>>>"
_MARKER_RE = re.compile(r"^<<<gomapdbg-command (\d+)>>>$", re.M)
# What the debugger itself says (not gomapdbg), e.g. the core's signalled thread.
FACT = "<<<gomapdbg-fact {}={}>>>"
_FACT_RE = re.compile(r"^<<<gomapdbg-fact (\w+)=(.*)>>>$", re.M)
SESSION_TIMEOUT = 600


def lldb_python_path() -> str:
    """Where LLDB's own Python module lives (Debian's dist-packages link to it is broken)."""
    out = subprocess.run(["lldb-16", "-P"], capture_output=True, text=True, check=True, timeout=60)
    return out.stdout.strip()


@dataclasses.dataclass
class SessionSpec:
    binary: str
    mode: str  # "live" or "core"
    commands: list[str]
    truth: str  # path of the truth file (written by the program)
    layout: str  # expected map layout, for {layout}
    version: str  # expected version prefix, for {version}
    grow_function: str = ""  # for {grow_function}
    core: str | None = None
    break_file: str | None = None
    break_line: int | None = None
    break_function: str | None = None
    catch: bool = False
    env: dict[str, str] = dataclasses.field(default_factory=dict)


def substitute(text: str, spec: dict, truth) -> str:
    """Fills {layout}, {version}, {addr:NAME}, {type:NAME}, {value:NAME}, {crash_tid}."""

    def one(m: re.Match) -> str:
        key, _, name = m.group(1).partition(":")
        if key == "layout":
            return spec["layout"]
        if key == "grow_function":
            return spec["grow_function"]
        if key == "version":
            return spec["version"]
        if key == "addr":
            return hex(truth.maps[name].address)
        if key == "type":
            return truth.maps[name].type
        if key == "value":
            return truth.values[name]
        if key == "crash_tid":
            return truth.values["crash_tid"]
        raise KeyError(f"unknown template {{{m.group(1)}}}")

    return re.sub(r"\{([a-z_]+(?::[A-Za-z0-9_]+)?)\}", one, text)


def split_output(stdout: str, count: int) -> list[str]:
    """The output of each command, by the markers the drivers print."""
    outputs = [""] * count
    stdout = stdout.split(DONE, 1)[0]  # the last command's output ends there
    parts = _MARKER_RE.split(stdout)
    for i in range(1, len(parts) - 1, 2):
        outputs[int(parts[i])] = parts[i + 1].strip("\n")
    return outputs


def facts(transcript: str) -> dict[str, str]:
    """The debugger facts a driver printed (FACT lines)."""
    return dict(_FACT_RE.findall(transcript))


def run_session(debugger: str, spec: SessionSpec, workdir: str) -> tuple[list[str], str]:
    """Returns (outputs per command, the whole transcript)."""
    spec_path = os.path.join(workdir, f"session-{debugger}-{spec.mode}.json")
    with open(spec_path, "w") as f:
        json.dump(dataclasses.asdict(spec), f)
    env = dict(os.environ)
    env.update(spec.env)
    env["GOMAPDBG_SESSION"] = spec_path
    env["GOMAPDBG_REPO"] = REPO
    env["PYTHONPATH"] = os.path.join(REPO, "tests")
    if debugger == "lldb":
        env["PYTHONPATH"] = lldb_python_path() + os.pathsep + env["PYTHONPATH"]
        # liblldb loaded into a plain Python cannot find its server by itself.
        env.setdefault("LLDB_DEBUGSERVER_PATH", "/usr/lib/llvm-16/bin/lldb-server")
    here = os.path.dirname(os.path.abspath(__file__))
    if debugger == "standalone":
        cmd = ["/usr/bin/python3", os.path.join(here, "standalone_driver.py")]
    elif debugger == "gdb":
        cmd = [
            "gdb",
            "-nx",
            "-batch",
            "-iex",
            "set debuginfod enabled off",
            "-x",
            os.path.join(here, "gdb_driver.py"),
        ]
    elif debugger == "lldb":
        cmd = ["/usr/bin/python3", os.path.join(here, "lldb_driver.py")]
    else:  # "standalone": the Python module on the core file, no debugger
        cmd = ["/usr/bin/python3", os.path.join(here, "standalone_driver.py")]
    res = subprocess.run(
        cmd,
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=SESSION_TIMEOUT,
        stdin=subprocess.DEVNULL,
    )
    transcript = (
        f"$ {' '.join(cmd)}\n[exit {res.returncode}]\n--- stdout\n{res.stdout}\n--- stderr\n{res.stderr}"
    )
    if DONE not in res.stdout:
        raise AssertionError(f"{debugger} session did not finish:\n{transcript[-6000:]}")
    return split_output(res.stdout, len(spec.commands)), transcript
