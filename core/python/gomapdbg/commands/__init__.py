"""The `go` commands, parsed once here for both debuggers (one module per
command group; see gomapdbg.commands.command for what a command is)."""

from __future__ import annotations

from gomapdbg import completion
from gomapdbg.commands.catch_command import CATCH
from gomapdbg.commands.command import Command, run
from gomapdbg.commands.goroutines_command import BT, GOROUTINE, GOROUTINES, THREADS
from gomapdbg.commands.info_command import INFO
from gomapdbg.commands.locals_command import LOCALS
from gomapdbg.commands.map_command import MAP
from gomapdbg.commands.print_command import PRINT
from gomapdbg.commands.report_command import REPORT
from gomapdbg.commands.watch_command import WATCH
from gomapdbg.debugger import Debugger

# name -> command, in the order help and the front ends list them
COMMANDS: dict[str, Command] = {
    c.name: c for c in (CATCH, GOROUTINES, BT, GOROUTINE, THREADS, INFO, LOCALS, MAP, PRINT, REPORT, WATCH)
}


def help_text(name: str) -> str:
    return COMMANDS[name].help_text()


def short_help(name: str) -> str:
    return COMMANDS[name].summary


def listing(names) -> str:
    """The commands `names`, one a line with its summary (for a help list)."""
    width = max(len(n) for n in names)
    return "".join(f"  {n.ljust(width)}  {COMMANDS[n].summary}\n" for n in names)


def complete_command(dbg: Debugger, name: str, text: str) -> list[str]:
    """Candidates for the last word of `go NAME TEXT` (gomapdbg.completion)."""
    return completion.candidates(dbg, COMMANDS[name].parser(), text)


def run_command(dbg: Debugger, name: str, argument: str) -> str | None:
    """Runs `go NAME ARGUMENT`; returns an error line, or None on success."""
    return run(dbg, COMMANDS[name], argument)
