"""Runs one test session with no debugger (scripts/gomapdbg's code path):
the commands of a core-mode session (see session.py) on the core file."""

import json
import os
import sys

sys.path.insert(0, os.path.join(os.environ["GOMAPDBG_REPO"], "tests"))
sys.path.insert(0, os.path.join(os.environ["GOMAPDBG_REPO"], "core", "python"))
from harness.session import MARKER, substitute  # noqa: E402
from harness.truth import read_truth  # noqa: E402

from gomapdbg.commands import run_command  # noqa: E402
from gomapdbg.standalone import StandaloneDebugger  # noqa: E402


def main():
    with open(os.environ["GOMAPDBG_SESSION"]) as f:
        spec = json.load(f)
    if spec["mode"] != "core":
        sys.exit("standalone sessions read core files only")
    debugger = StandaloneDebugger(spec["binary"], spec["core"], spec.get("debug_file"))
    truth = read_truth(spec["truth"])
    for i, command in enumerate(spec["commands"]):
        print(MARKER.format(i), flush=True)
        words = substitute(command, spec, truth).split(None, 2)
        if words[:1] != ["go"] or len(words) < 2:
            print(f"error: not a gomapdbg command: {command}", flush=True)
            continue
        error = run_command(debugger, words[1], words[2] if len(words) > 2 else "")
        sys.stdout.flush()
        if error:
            print(f"error: {error}", flush=True)
    print("<<<gomapdbg-driver-done>>>", flush=True)


main()
