"""The `go` commands, parsed once here for both debuggers.

Each command module registers itself with @command: an argparse parser
factory (its description is the help text) and a handler that calls the C++
core once. Errors become one line; a Python traceback is shown only with
GOMAPDBG_DEBUG=1.
"""

from __future__ import annotations

import argparse
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


# name -> (parser factory, handler), in registration order
COMMANDS: dict[str, tuple[Callable[[], Parser], Callable]] = {}


def command(name: str, parser: Callable[[], Parser]):
    """Registers a handler(debugger, args) as `go NAME`."""

    def register(handler):
        COMMANDS[name] = (parser, handler)
        return handler

    return register


def help_text(name: str) -> str:
    return COMMANDS[name][0]().format_help()


def short_help(name: str) -> str:
    return COMMANDS[name][0]().description or name


def run_command(dbg: Debugger, name: str, argument: str) -> str | None:
    """Runs `go NAME ARGUMENT`; returns an error line, or None on success."""
    parser_factory, handler = COMMANDS[name]
    try:
        args = parser_factory().parse_args(shlex.split(argument))
        handler(dbg, args)
        return None
    except _HelpShown:
        dbg.write(help_text(name))
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


# Command modules register themselves on import.
from gomapdbg.commands import (  # noqa: E402,F401  pylint: disable=wrong-import-position
    catch,
    goroutines,
    info,
    locals,
    map,
    print,
    report,
    watch,
)
