"""What a `go` command is, and how one runs.

A command is a one-line summary (what `help go` lists), an argparse parser
factory (its description is the help text) and a handler that calls the C++
core once. Errors become one line; a Python traceback is shown only with
GOMAPDBG_DEBUG=1.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import traceback
from typing import Callable

from gomapdbg.arguments import command_words
from gomapdbg.debugger import Debugger
from gomapdbg.loader import core
from gomapdbg.target import say_core_mismatch
from gomapdbg.text_style import text_style


class CommandError(Exception):
    """A failure to report in one line (the front end marks the command failed)."""


class _HelpShown(Exception):
    pass


class Parser(argparse.ArgumentParser):
    """argparse that reports instead of exiting the debugger."""

    def error(self, message):
        raise CommandError(f"{message} (see 'help {self.prog}')")

    def print_help(self, file=None):
        # run() writes the help through the debugger, once.
        raise _HelpShown()

    def exit(self, status=0, message=None):
        if message:
            raise CommandError(message.strip())
        raise _HelpShown()


@dataclasses.dataclass(frozen=True)
class Command:
    """`go NAME`: handler(debugger, parsed arguments). live_only: it needs a
    live process in a debugger (not on a core, not in the standalone CLI).
    executable_check(executable): raises (one line) when the command cannot
    work on that program at all, checked before anything else (also by the
    standalone CLI, before it says a command needs a debugger)."""

    name: str
    summary: str
    parser: Callable[[], Parser]
    handler: Callable[[Debugger, argparse.Namespace], None]
    live_only: bool = False
    executable_check: Callable[[str], None] | None = None

    def help_text(self) -> str:
        return self.parser().format_help()


def run(dbg: Debugger, command: Command, argument: str) -> str | None:
    """Runs `go NAME ARGUMENT`; returns an error line, or None on success."""
    name = command.name
    try:
        args = command.parser().parse_args(command_words(argument))
        json = getattr(args, "json", False)
        executable = dbg.executable()
        if command.executable_check and executable:
            command.executable_check(executable)
        with text_style(dbg, plain=json):
            say_core_mismatch(dbg, json)
            command.handler(dbg, args)
        return None
    except _HelpShown:
        dbg.write(command.help_text())
        return None
    except (CommandError, core.Error) as e:
        return f"go {name}: {e}"
    except ValueError as e:  # command_words: an unclosed quote
        return f"go {name}: {e}"
    except KeyboardInterrupt:
        return f"go {name}: interrupted"
    except Exception as e:  # noqa: BLE001 - never let a traceback reach the user
        if os.environ.get("GOMAPDBG_DEBUG"):
            traceback.print_exc()
        return f"go {name}: internal error: {type(e).__name__}: {e} (GOMAPDBG_DEBUG=1 shows a traceback)"
