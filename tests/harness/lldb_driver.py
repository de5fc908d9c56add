"""Drives LLDB through its SB API for one test session (see session.py)."""

import json
import os
import sys

import lldb

sys.path.insert(0, os.path.join(os.environ["GOMAPDBG_REPO"], "tests"))
from harness.session import FACT, MARKER, substitute  # noqa: E402
from harness.truth import read_truth  # noqa: E402


def main():
    with open(os.environ["GOMAPDBG_SESSION"]) as f:
        spec = json.load(f)
    lldb.SBDebugger.Initialize()
    debugger = lldb.SBDebugger.Create()
    debugger.SetAsync(False)
    interpreter = debugger.GetCommandInterpreter()

    def run(command, show=True):
        result = lldb.SBCommandReturnObject()
        interpreter.HandleCommand(command, result)
        if show:
            sys.stdout.write(result.GetOutput() or "")
            sys.stdout.write(result.GetError() or "")
            sys.stdout.flush()
        return result

    run(f"command script import {os.environ['GOMAPDBG_REPO']}/lldb/gomapdbg_lldb.py")
    if spec["mode"] == "core":
        run(f"target create {spec['binary']} --core {spec['core']}")
        thread = debugger.GetSelectedTarget().GetProcess().GetSelectedThread()
        sys.stdout.write(FACT.format("crash_tid", thread.GetThreadID()) + "\n")
    else:
        run(f"target create {spec['binary']}")
        if spec["catch"]:
            run("go catch on")
        elif spec["break_function"]:
            run(f"breakpoint set -n {spec['break_function']}")
        else:
            run(f"breakpoint set -f {os.path.basename(spec['break_file'])} -l {spec['break_line']}")
        env = " ".join(f"-E {k}={v}" for k, v in spec["env"].items())
        result = run(f"process launch {env}")
        if not result.Succeeded():
            sys.exit("lldb_driver: process launch failed: " + (result.GetError() or ""))
    truth = read_truth(spec["truth"])
    for i, command in enumerate(spec["commands"]):
        sys.stdout.write(MARKER.format(i) + "\n")
        sys.stdout.flush()
        run(substitute(command, spec, truth))
    sys.stdout.write("<<<gomapdbg-driver-done>>>\n")
    sys.stdout.flush()
    if spec["mode"] == "live":
        run("process kill", show=False)
    lldb.SBDebugger.Destroy(debugger)


main()
