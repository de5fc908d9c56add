"""The `go` commands, parsed once here for both debuggers.

Each command is an argparse parser (its description is the help text) and a
function that calls the C++ core once. Errors become one line; a Python
traceback is shown only with GOMAPDBG_DEBUG=1.
"""

from __future__ import annotations

import argparse
import os
import shlex
import traceback

from gomapdbg.debugger import Debugger
from gomapdbg.loader import core
from gomapdbg.target import make_target


class CommandError(Exception):
    """A failure to report in one line (the front end marks the command failed)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse would exit the debugger
        raise CommandError(f"{message} (see 'help go {self.prog.split()[-1]}')")

    def exit(self, status=0, message=None):
        if message:
            raise CommandError(message.strip())
        raise _HelpShown()


class _HelpShown(Exception):
    pass


def _map_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="go map",
        description="Print a Go map: address, type, layout (classic or swiss), header and entries.",
        epilog="EXPR is a local or argument of the selected frame, a global (main.m or m), "
        "or ADDRESS --type 'map[K]V' where ADDRESS is the map header (what %%p prints).",
    )
    p.add_argument("expression", nargs="+", metavar="EXPR")
    p.add_argument("--type", help="Go type of the value at ADDRESS, e.g. 'map[string]int'")
    p.add_argument("--limit", type=int, default=100, metavar="N", help="entries to show (default 100)")
    p.add_argument("--all", action="store_true", help="show every entry")
    return p


def _map(dbg: Debugger, args) -> None:
    if args.limit < 0:
        raise CommandError("--limit must be 0 or more")
    target = make_target(dbg, need_process=True)
    core.map_command(
        target, " ".join(args.expression), type=args.type, limit=args.limit, all=args.all, write=dbg.write
    )


def _info_parser() -> argparse.ArgumentParser:
    return _Parser(
        prog="go info",
        description="Show what gomapdbg detected: Go version, map layout, DWARF, build settings.",
    )


def _info(dbg: Debugger, args) -> None:
    exe = dbg.executable()
    if not exe:
        raise CommandError("no executable loaded")
    core.info_command(exe, write=dbg.write)


# name -> (parser factory, handler)
COMMANDS = {
    "map": (_map_parser, _map),
    "info": (_info_parser, _info),
}


def help_text(name: str) -> str:
    return COMMANDS[name][0]().format_help()


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
