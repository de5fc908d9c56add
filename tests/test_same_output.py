"""GDB, LLDB and the standalone tool print the same thing: one core of
testprogs/basic_maps per toolchain, the same commands in each, and every
command's output must be identical across the three, errors included (the
other tests check what the output says against the program's truth; this
one checks that the front ends add, drop or reorder nothing)."""

import os

import pytest

from harness.runner import core_session, crash_core
from harness.session import run_session, without_thread_numbers
from harness.toolchains import selected

COMMANDS = [
    "go info",
    "go map main.intInt1000",
    "go map strStr9 --all",
    "go map int64Str9 --buckets --all",
    "go map strInt1000 --key k5",
    "go map intInt9 --json",
    "go map {addr:strInt9} --type 'map[string]int' --all",
    "go print main.strStr8",
    "go print intInt8 --json",
    "go locals --frame main.inspect",
    "go locals --frame main.inspect --json",
    "go goroutines",
    "go goroutines -t 8 --group",
    "go bt",
    "go threads",
    "go map nosuch",
    "go map 0x10 --type 'map[int]int'",
    "go print notMap",
]


@pytest.mark.parametrize("toolchain", selected(), ids=lambda t: t.name)
def test_front_ends_print_the_same(toolchain, tmp_path, tmp_path_factory):
    binary, core, truth = crash_core("basic_maps", toolchain, tmp_path_factory)
    outputs = {}
    for front_end in ("gdb", "lldb", "standalone"):
        work = tmp_path / front_end
        work.mkdir()
        spec = core_session(toolchain, binary, core, truth, COMMANDS)
        outputs[front_end], _ = run_session(front_end, spec, str(work))
    differences = []
    for i, command in enumerate(COMMANDS):
        texts = {name: without_thread_numbers(out[i]) for name, out in outputs.items()}
        if not texts["gdb"].strip():
            differences.append(f"`{command}` printed nothing in GDB")
        for name in ("lldb", "standalone"):
            if texts[name] != texts["gdb"]:
                differences.append(
                    f"`{command}`: {name} differs from gdb\n--- gdb\n{texts['gdb'][:1500]}\n"
                    f"--- {name}\n{texts[name][:1500]}"
                )
    assert not differences, "\n\n".join(differences[:6])
    assert os.path.exists(core)
