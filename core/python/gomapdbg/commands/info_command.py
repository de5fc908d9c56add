"""go info: what gomapdbg detected about the executable."""

from gomapdbg.commands.command import Command, CommandError, Parser
from gomapdbg.loader import core


def parser() -> Parser:
    return Parser(
        prog="go info",
        description="Show what gomapdbg detected: Go version, map layout, DWARF (and the separate debug "
        "file it came from), build settings, trimmed source paths.",
    )


def go_info(dbg, args) -> None:
    exe = dbg.executable()
    if not exe:
        raise CommandError("no executable loaded")
    debug = dbg.debug_file()
    core.info_command(
        exe,
        write=dbg.write,
        debug_file=debug.path if debug else "",
        debug_origin=debug.origin if debug else "",
    )


INFO = Command("info", "What gomapdbg detected: Go version, map layout, DWARF, build.", parser, go_info)
