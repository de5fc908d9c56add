"""One test item per command of a test program, one debugger session per cell.

A cell (program x toolchain x debugger x mode, and the environment of the
run) starts its debugger once, on the first of its items to run, and keeps
what each command printed and what its checks found; each item then reports
one command, so a failure's test id names the command that failed."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from typing import Callable

import pytest

from harness import programs
from harness.runner import CellRun, commands_of, run_cell
from harness.toolchains import Toolchain


@dataclasses.dataclass(frozen=True)
class Cell:
    program: str
    toolchain: Toolchain
    debugger: str
    mode: str
    label: str  # the cell's part of a test id, after the toolchain's name
    extra_env: tuple[tuple[str, str], ...] = ()  # the debugger's environment
    ldflags: str | None = None  # instead of the program's own
    commands: Callable[[], list[programs.Command]] | None = None  # instead of the program's own

    def commands_for(self, spec: programs.ProgramSpec) -> list[programs.Command]:
        return (
            self.commands() if self.commands else commands_of(spec, self.debugger, self.mode, self.toolchain)
        )


@dataclasses.dataclass(frozen=True)
class CellCommand:
    cell: Cell
    index: int  # of the command among the cell's


# Every debugger and mode a program's commands run in: GDB and LLDB live and
# on a core, and the standalone tool on the core.
EVERY_CELL = [
    dict(debugger=debugger, mode=mode, label=f"{debugger}-{mode}")
    for debugger, mode in [
        ("gdb", "live"),
        ("gdb", "core"),
        ("lldb", "live"),
        ("lldb", "core"),
        ("standalone", "core"),
    ]
]


def memory_types_cell(debugger: str) -> dict:
    """A cell on the core with the core's test hook on: interfaces' dynamic
    types (and --type names) from runtime type descriptors only, never DWARF."""
    return dict(
        debugger=debugger,
        mode="core",
        label=f"{debugger}-core-memory-types",
        extra_env={"GOMAPDBG_RUNTIME_TYPES": "memory"},
    )


def command_params(program: str, toolchains: list[Toolchain], cells: list[dict]) -> list:
    """pytest params, one per command of PROGRAM in each toolchain x cell, a
    cell's commands together. A cell: debugger, mode, label and optionally
    extra_env (a dict), ldflags and commands (a function that returns them)."""
    spec = programs.parse_spec(program)
    params = []
    for tc in toolchains:
        for options in cells:
            cell = Cell(program, tc, **dict(options, extra_env=tuple(options.get("extra_env", {}).items())))
            for index, command in enumerate(cell.commands_for(spec)):
                test_id = f"{tc.name}-{cell.label}-{index:02d}-{_slug(command.text)}"
                params.append(pytest.param(CellCommand(cell, index), id=test_id))
    return params


def _slug(command: str) -> str:
    """A command as a test id part: words joined by "_", at most 48 characters."""
    return re.sub(r"[^\w.:{}=-]+", "_", command).strip("_")[:48]


_runs: dict[Cell, CellRun | str] = {}


def check_command(item: CellCommand, tmp_path_factory) -> None:
    """Fails with what the checks of the item's command found wrong (the
    cell's session runs on the first of its items)."""
    run = _run(item.cell, tmp_path_factory)
    if isinstance(run, str):
        raise AssertionError(run)
    failures = run.failures[item.index]
    if failures:
        raise AssertionError(
            f"{len(failures)} check(s) failed (transcript: {run.transcript_log}):\n\n" + "\n\n".join(failures)
        )


def _run(cell: Cell, tmp_path_factory) -> CellRun | str:
    """The cell's checked session, or why it did not finish (kept too: the
    cell's other items report it instead of starting another debugger)."""
    if cell not in _runs:
        workdir = str(tmp_path_factory.mktemp(f"{cell.program}-{cell.toolchain.name}-{cell.label}"))
        try:
            run = run_cell(
                cell.program,
                cell.toolchain,
                cell.debugger,
                cell.mode,
                workdir,
                extra_env=dict(cell.extra_env),
                ldflags=cell.ldflags,
                commands=cell.commands_for(programs.parse_spec(cell.program)),
            )
            _runs[cell] = dataclasses.replace(run, outputs=[])  # the failures quote what they need
        except (AssertionError, RuntimeError, OSError, subprocess.SubprocessError) as e:
            _runs[cell] = f"the {cell.debugger} {cell.mode} session of {cell.program} failed: {e}"
    return _runs[cell]
