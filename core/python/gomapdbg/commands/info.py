"""go info: what gomapdbg detected about the executable."""

from gomapdbg.commands import CommandError, Parser, command
from gomapdbg.loader import core


def parser() -> Parser:
    return Parser(
        prog="go info",
        description="Show what gomapdbg detected: Go version, map layout, DWARF, build settings.",
    )


@command("info", parser)
def go_info(dbg, args) -> None:
    exe = dbg.executable()
    if not exe:
        raise CommandError("no executable loaded")
    core.info_command(exe, write=dbg.write)
