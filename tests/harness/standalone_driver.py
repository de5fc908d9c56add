"""Runs one test session without a debugger: the gomapdbg package and its C++
module read the core file directly (see session.py). Core mode only."""

import json
import os
import sys

sys.path.insert(0, os.path.join(os.environ["GOMAPDBG_REPO"], "tests"))
sys.path.insert(0, os.path.join(os.environ["GOMAPDBG_REPO"], "core", "python"))
from harness.session import MARKER, substitute  # noqa: E402
from harness.truth import read_truth  # noqa: E402

os.environ["GOMAPDBG_MEMORY"] = "direct"
from gomapdbg import Debugger  # noqa: E402
from gomapdbg.commands import run_command  # noqa: E402


class Standalone(Debugger):
    name = "standalone"

    def __init__(self, binary, core):
        self.binary, self.core = binary, core

    def executable(self):
        return self.binary

    def has_process(self):
        return True

    def is_core(self):
        return True

    def core_path(self):
        return self.core

    def live_pid(self):
        return None

    def read_memory(self, address, size):
        return None

    def selected_frame(self):
        return None

    def write(self, text):
        sys.stdout.write(text)


def main():
    with open(os.environ["GOMAPDBG_SESSION"]) as f:
        spec = json.load(f)
    if spec["mode"] != "core":
        sys.exit("standalone_driver: core mode only")
    dbg = Standalone(spec["binary"], spec["core"])
    truth = read_truth(spec["truth"])
    for i, command in enumerate(spec["commands"]):
        sys.stdout.write(MARKER.format(i) + "\n")
        words = substitute(command, spec, truth).split(None, 2)
        error = run_command(dbg, words[1], words[2] if len(words) > 2 else "")
        if error:
            sys.stdout.write(f"error: {error}\n")
        sys.stdout.flush()
    sys.stdout.write("<<<gomapdbg-driver-done>>>\n")


main()
