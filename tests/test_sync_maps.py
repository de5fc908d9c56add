"""sync.Maps (testprogs/sync_maps) in `go map`, `go print`, their JSON, the
physical view and GDB's pretty-printer match the program's truth: its live
entries, its length, how the toolchain implements sync.Map (read/dirty maps
or hash trie) and what its deletions left (deleted and expunged entries), in
every cell of toolchain x debugger x {live, core}, and with no debugger
(scripts/gomapdbg) on the cores. One test item per command; one debugger
session per cell."""

import dataclasses
import os
import sys

import pytest

from harness import programs
from harness.cells import EVERY_CELL, check_command, command_params
from harness.runner import run_cell
from harness.toolchains import MATRIX, REPO
from harness.toolchains import selected

CELLS = EVERY_CELL


@pytest.mark.parametrize("command", command_params("sync_maps", selected(), CELLS))
def test_sync_maps(command, tmp_path_factory):
    check_command(command, tmp_path_factory)


# go1.24 and go1.25 still have the read/dirty sync.Map behind
# GOEXPERIMENT=nosynchashtriemap (gone in go1.26): the same program and checks
# built that way, in one live and one core cell of each debugger.
TRIE_OFF_CELLS = [("gdb", "live"), ("lldb", "core"), ("standalone", "core")]


@pytest.mark.parametrize("debugger,mode", TRIE_OFF_CELLS, ids=[f"{d}-{m}" for d, m in TRIE_OFF_CELLS])
@pytest.mark.parametrize(
    "tc", [t for t in MATRIX if t.minor in (24, 25) and not t.experiment], ids=lambda t: t.name
)
def test_sync_maps_without_hash_trie(tc, debugger, mode, tmp_path):
    variant = dataclasses.replace(tc, name=f"{tc.name}-nosynctrie", experiment="nosynchashtriemap")
    run = run_cell("sync_maps", variant, debugger, mode, str(tmp_path))
    failures = [f"`{c.text}`: {f}" for c, fs in zip(run.commands, run.failures) for f in fs]
    assert not failures, "\n\n".join(failures) + f"\n(transcript: {run.transcript_log})"


@pytest.mark.parametrize("tc", selected(), ids=lambda t: t.name)
def test_fallback_layouts_match_dwarf(tc):
    """The trie entry and go1.19's readOnly, laid out from their Go
    declarations when DWARF lacks them (maps/sync_map.h), are what each
    toolchain's DWARF says wherever it has them; every toolchain has one (go1.27
    only the entry's shape instance)."""
    sys.path.insert(0, os.path.join(REPO, "build", "python"))
    import gomapdbg_core as core

    binary = programs.build("sync_maps", tc)
    found = 0
    for name, ours in core.sync_map_fallback_structs().items():
        dwarf = core.dwarf_struct(binary, name)
        if dwarf is None:
            continue
        found += 1
        assert dwarf["size"] == ours["size"], (name, dwarf)
        assert {f: dwarf["fields"].get(f) for f in ours["fields"]} == ours["fields"], (name, dwarf)
    assert found, f"{tc.name}: DWARF has {found} of {list(core.sync_map_fallback_structs())}"
