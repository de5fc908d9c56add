"""Runs inside `gdb -batch -x`: one test session (see session.py)."""

import json
import os
import re
import sys

import gdb

sys.path.insert(0, os.path.join(os.environ["GOMAPDBG_REPO"], "tests"))
from harness.session import GENERAL_REGISTERS, FACT, MARKER, substitute, wait_for_release  # noqa: E402
from harness.truth import read_truth  # noqa: E402


def run(command):
    try:
        gdb.execute(command)
    except gdb.error as e:
        gdb.write(f"error: {e}\n")
    gdb.flush()


_REGISTERS = GENERAL_REGISTERS + ("eflags",)


def checkpoint(spec, index):
    """Read-only test hook: report the stopped process and wait for the test."""
    if not spec.get("checkpoints"):
        return
    frame = gdb.newest_frame()
    regs = {r: int(frame.read_register(r)) & 0xFFFFFFFFFFFFFFFF for r in _REGISTERS}
    gdb.write(f"<<<gomapdbg-checkpoint {index} {gdb.selected_inferior().pid} {json.dumps(regs)}>>>\n")
    gdb.flush()
    wait_for_release(spec["checkpoints"], index)


def thread_facts():
    """The selected thread and GDB's thread numbers, as `info threads` shows
    them ("* 1    Thread 0x7f... (LWP 4242) ...", "  2    LWP 4243 ...")."""
    gdb.write(FACT.format("selected_tid", gdb.selected_thread().ptid[1]) + "\n")
    listing = gdb.execute("info threads", to_string=True)
    # A remote stub (qemu-user) names them "Thread 1.4242": process 1, LWP 4242.
    pairs = re.findall(r"^[* ]\s*(\d+)\s+.*?\b(?:LWP |Thread \d+\.)(\d+)", listing, re.M)
    gdb.write(FACT.format("thread_numbers", " ".join(f"{n}:{t}" for n, t in pairs)) + "\n")


def main():
    with open(os.environ["GOMAPDBG_SESSION"]) as f:
        spec = json.load(f)
    gdb.execute("set pagination off")
    gdb.execute("set confirm off")
    gdb.execute(f"source {os.environ['GOMAPDBG_REPO']}/gdb/gomapdbg_gdb.py")
    for command in spec.get("early_setup", []):
        run(command)
    gdb.execute(f"file {spec['binary']}")
    if spec["mode"] == "core":
        gdb.execute(f"core-file {spec['core']}")
        gdb.write(FACT.format("crash_tid", gdb.selected_thread().ptid[1]) + "\n")
        for command in spec.get("setup", []):
            run(command)
    elif spec["mode"] == "attach":
        gdb.execute(f"target remote {spec['remote']}" if spec.get("remote") else f"attach {spec['pid']}")
        gdb.execute("go catch on")
        gdb.execute("continue")
    else:
        if spec.get("remote"):  # the program waits at its first instruction (session.py)
            gdb.execute(f"target remote {spec['remote']}")
        for key, value in spec["env"].items():
            gdb.execute(f"set environment {key} {value}")
        if spec.get("watch_expression"):
            gdb.execute(f"break {os.path.basename(spec['watch_file'])}:{spec['watch_line']}")
        elif spec["catch"]:
            gdb.execute("go catch on")
        elif spec["break_function"]:
            gdb.execute(f"break {spec['break_function']}")
        else:
            gdb.execute(f"break {os.path.basename(spec['break_file'])}:{spec['break_line']}")
        out = spec.get("stdout_file")
        if spec.get("remote"):
            gdb.execute("continue")
        else:
            gdb.execute("run" + (f" > {out} 2> {out}.err" if out else ""))
        if spec.get("watch_expression"):
            run(f"go watch {spec['watch_expression']}")
            gdb.execute("delete")
            if spec["catch"]:
                gdb.execute("go catch on")
            else:
                gdb.execute(f"break {spec['break_function']}")
            gdb.execute("continue")
    thread_facts()
    truth = read_truth(spec["truth"])
    checkpoint(spec, 0)
    for i, command in enumerate(spec["commands"]):
        gdb.write(MARKER.format(i) + "\n")
        run(substitute(command, spec, truth))
        checkpoint(spec, i + 1)
    if spec.get("finish"):
        # Detach (removing the breakpoints) and let the program run alone:
        # GDB's own `continue` to the exit races with exiting threads.
        pid = gdb.selected_inferior().pid
        gdb.execute("delete")
        gdb.execute("detach")
        gdb.write(f"<<<gomapdbg-detached {pid}>>>\n")
    gdb.write("<<<gomapdbg-driver-done>>>\n")
    if spec["mode"] in ("live", "attach") and not spec.get("finish"):
        gdb.execute("kill")


main()
