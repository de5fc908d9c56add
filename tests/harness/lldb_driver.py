"""Drives LLDB through its SB API for one test session (see session.py)."""

import json
import os
import re
import sys

import lldb

sys.path.insert(0, os.path.join(os.environ["GOMAPDBG_REPO"], "tests"))
from harness.session import GENERAL_REGISTERS, FACT, MARKER, substitute, wait_for_release  # noqa: E402
from harness.truth import read_truth  # noqa: E402


_REGISTERS = GENERAL_REGISTERS + ("rflags",)
# LLDB 16 reads qemu-user's guest cores (only CORE notes, no NT_FILE) only as
# Linux ones when the target says so; live, a triple without an OS keeps its
# static dynamic loader, where the POSIX one would run the program on from
# its first instruction as soon as it connects.
CORE_TRIPLES = {"arm64": "aarch64-unknown-linux-gnu"}


def checkpoint(spec, debugger, index):
    """Read-only test hook: report the stopped process and wait for the test."""
    if not spec.get("checkpoints"):
        return
    process = debugger.GetSelectedTarget().GetProcess()
    frame = process.GetSelectedThread().GetFrameAtIndex(0)
    regs = {r: frame.FindRegister(r).GetValueAsUnsigned() for r in _REGISTERS}
    sys.stdout.write(f"<<<gomapdbg-checkpoint {index} {process.GetProcessID()} {json.dumps(regs)}>>>\n")
    sys.stdout.flush()
    wait_for_release(spec["checkpoints"], index)


def complete(interpreter, line):
    """GDB's `complete LINE` in LLDB: each completion of LINE's last word, as
    the whole line, one a line."""
    matches = lldb.SBStringList()
    interpreter.HandleCompletion(line, len(line), 0, -1, matches)
    stem = line if not line or line[-1].isspace() else line[: len(line) - len(line.split()[-1])]
    for i in range(1, matches.GetSize()):  # 0 is what all of them share
        sys.stdout.write(stem + matches.GetStringAtIndex(i).rstrip() + "\n")
    sys.stdout.flush()


def thread_facts(debugger, run):
    """The selected thread and LLDB's thread numbers, as `thread list` shows
    them ("* thread #1: tid = 4242, ...")."""
    thread = debugger.GetSelectedTarget().GetProcess().GetSelectedThread()
    sys.stdout.write(FACT.format("selected_tid", thread.GetThreadID()) + "\n")
    listing = run("thread list", show=False).GetOutput() or ""
    # A remote stub's (qemu-user) tids are shown in hex: "tid = 0x5fb0".
    pairs = re.findall(r"thread #(\d+): tid = (0x[0-9a-f]+|\d+)", listing)
    sys.stdout.write(FACT.format("thread_numbers", " ".join(f"{n}:{int(t, 0)}" for n, t in pairs)) + "\n")


def connect(run, socket):
    """Connects to a gdbstub listening on the Unix socket SOCKET."""
    result = run(f"process connect --plugin gdb-remote unix-connect://{socket}")
    if not result.Succeeded():
        sys.exit("lldb_driver: process connect failed: " + (result.GetError() or ""))


def main():
    with open(os.environ["GOMAPDBG_SESSION"]) as f:
        spec = json.load(f)
    lldb.SBDebugger.Initialize()
    debugger = lldb.SBDebugger.Create()
    debugger.SetAsync(False)
    interpreter = debugger.GetCommandInterpreter()

    def run(command, show=True):
        if command.startswith("complete "):
            return complete(interpreter, command.removeprefix("complete "))
        result = lldb.SBCommandReturnObject()
        interpreter.HandleCommand(command, result)
        if show:
            sys.stdout.write(result.GetOutput() or "")
            sys.stdout.write(result.GetError() or "")
            sys.stdout.flush()
        return result

    run(f"command script import {os.environ['GOMAPDBG_REPO']}/lldb/gomapdbg_lldb.py")
    for command in spec.get("early_setup", []):
        run(command)
    if spec["mode"] == "core":
        triple = CORE_TRIPLES.get(spec.get("goarch"))
        arch = f"--arch {triple} " if triple else ""
        run(f"target create {arch}{spec['binary']} --core {spec['core']}")
        thread = debugger.GetSelectedTarget().GetProcess().GetSelectedThread()
        sys.stdout.write(FACT.format("crash_tid", thread.GetThreadID()) + "\n")
        for command in spec.get("setup", []):
            run(command)
    elif spec["mode"] == "attach":
        run(f"target create {spec['binary']}")
        if spec.get("remote"):
            connect(run, spec["remote"])
        else:
            run(f"process attach -p {spec['pid']}")
        run("go catch on")
        run("process continue")
    else:
        run(f"target create {spec['binary']}")
        if spec.get("watch_expression"):
            run(f"breakpoint set -f {os.path.basename(spec['watch_file'])} -l {spec['watch_line']}")
        elif spec["catch"]:
            run("go catch on")
        elif spec["break_function"]:
            run(f"breakpoint set -n {spec['break_function']}")
        else:
            run(f"breakpoint set -f {os.path.basename(spec['break_file'])} -l {spec['break_line']}")
        if spec.get("remote"):  # the program waits at its first instruction (session.py)
            connect(run, spec["remote"])
            run("process continue")
        else:
            env = " ".join(f"-E {k}={v}" for k, v in spec["env"].items())
            if spec.get("stdout_file"):
                env += f" -o {spec['stdout_file']} -e {spec['stdout_file']}.err"
            result = run(f"process launch {env}")
            if not result.Succeeded():
                sys.exit("lldb_driver: process launch failed: " + (result.GetError() or ""))
        if spec.get("watch_expression"):
            run(f"go watch {spec['watch_expression']}")
            run("breakpoint delete -f")
            if spec["catch"]:
                run("go catch on")
            else:
                run(f"breakpoint set -n {spec['break_function']}")
            run("process continue")
    thread_facts(debugger, run)
    truth = read_truth(spec["truth"])
    checkpoint(spec, debugger, 0)
    for i, command in enumerate(spec["commands"]):
        sys.stdout.write(MARKER.format(i) + "\n")
        sys.stdout.flush()
        run(substitute(command, spec, truth))
        checkpoint(spec, debugger, i + 1)
    if spec.get("finish"):
        # Detach (removing the breakpoints) and let the program run alone.
        pid = debugger.GetSelectedTarget().GetProcess().GetProcessID()
        run("breakpoint delete -f", show=False)
        run("process detach", show=False)
        sys.stdout.write(f"<<<gomapdbg-detached {pid}>>>\n")
    sys.stdout.write("<<<gomapdbg-driver-done>>>\n")
    sys.stdout.flush()
    if spec["mode"] in ("live", "attach") and not spec.get("finish"):
        run("process kill", show=False)
    lldb.SBDebugger.Destroy(debugger)


main()
