"""go locals: the selected frame's arguments and locals, read from DWARF."""

from gomapdbg.commands import Parser, command
from gomapdbg.loader import core
from gomapdbg.target import make_target


def parser() -> Parser:
    p = Parser(
        prog="go locals",
        description="Print the arguments and locals of the selected Go frame, one 'name = VALUE' a line.",
        epilog="Variables the compiler optimized away are listed with the reason.",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object (see README)")
    return p


@command("locals", parser)
def go_locals(dbg, args) -> None:
    target = make_target(dbg, need_process=True)
    core.locals_command(target, json=args.json, write=dbg.write)
