"""What a `go` command is, and how one runs.

A command is an argparse parser factory (its description is the help text)
and a handler that calls the C++ core once. Errors become one line; a Python
traceback is shown only with GOMAPDBG_DEBUG=1.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shlex
import traceback
from typing import Callable

from gomapdbg.debugger import Debugger
from gomapdbg.loader import core


class CommandError(Exception):
    """A failure to report in one line (the front end marks the command failed)."""


class _HelpShown(Exception):
    pass


class Parser(argparse.ArgumentParser):
    """argparse that reports instead of exiting the debugger."""

    def error(self, message):
        raise CommandError(f"{message} (see 'help {self.prog}')")

    def exit(self, status=0, message=None):
        if message:
            raise CommandError(message.strip())
        raise _HelpShown()


@dataclasses.dataclass(frozen=True)
class Command:
    """`go NAME`: handler(debugger, parsed arguments)."""

    name: str
    parser: Callable[[], Parser]
    handler: Callable[[Debugger, argparse.Namespace], None]

    def help_text(self) -> str:
        return self.parser().format_help()

    def short_help(self) -> str:
        return self.parser().description or self.name


def run(dbg: Debugger, command: Command, argument: str) -> str | None:
    """Runs `go NAME ARGUMENT`; returns an error line, or None on success."""
    name = command.name
    try:
        args = command.parser().parse_args(shlex.split(argument))
        command.handler(dbg, args)
        return None
    except _HelpShown:
        dbg.write(command.help_text())
        return None
    except (CommandError, core.Error) as e:
        return f"go {name}: {e}"
    except ValueError as e:  # shlex: unbalanced quotes
        return f"go {name}: {e}"
    except KeyboardInterrupt:
        return f"go {name}: interrupted"
    except Exception as e:  # noqa: BLE001 - never let a traceback reach the user
        if os.environ.get("GOMAPDBG_DEBUG"):
            traceback.print_exc()
        return f"go {name}: internal error: {type(e).__name__}: {e} (GOMAPDBG_DEBUG=1 shows a traceback)"
