"""Runs inside `gdb -batch -x`: one test session (see session.py)."""

import json
import os
import sys

import gdb

sys.path.insert(0, os.path.join(os.environ["GOMAPDBG_REPO"], "tests"))
from harness.session import FACT, MARKER, substitute  # noqa: E402
from harness.truth import read_truth  # noqa: E402


def run(command):
    try:
        gdb.execute(command)
    except gdb.error as e:
        gdb.write(f"error: {e}\n")
    gdb.flush()


def main():
    with open(os.environ["GOMAPDBG_SESSION"]) as f:
        spec = json.load(f)
    gdb.execute("set pagination off")
    gdb.execute("set confirm off")
    gdb.execute(f"source {os.environ['GOMAPDBG_REPO']}/gdb/gomapdbg_gdb.py")
    gdb.execute(f"file {spec['binary']}")
    if spec["mode"] == "core":
        gdb.execute(f"core-file {spec['core']}")
        gdb.write(FACT.format("crash_tid", gdb.selected_thread().ptid[1]) + "\n")
    else:
        for key, value in spec["env"].items():
            gdb.execute(f"set environment {key} {value}")
        if spec["catch"]:
            gdb.execute("go catch on")
        elif spec["break_function"]:
            gdb.execute(f"break {spec['break_function']}")
        else:
            gdb.execute(f"break {os.path.basename(spec['break_file'])}:{spec['break_line']}")
        gdb.execute("run")
    truth = read_truth(spec["truth"])
    for i, command in enumerate(spec["commands"]):
        gdb.write(MARKER.format(i) + "\n")
        run(substitute(command, spec, truth))
    gdb.write("<<<gomapdbg-driver-done>>>\n")
    if spec["mode"] == "live":
        gdb.execute("kill")


main()
