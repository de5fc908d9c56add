"""go locals: the selected frame's arguments and locals, read from DWARF."""

from gomapdbg.arguments import add_value_caps, value_caps
from gomapdbg.commands.command import Command, Parser
from gomapdbg.loader import core
from gomapdbg.target import add_frame_options, make_frame_target


def parser() -> Parser:
    p = Parser(
        prog="go locals",
        description="Print the arguments and locals of the selected Go frame, one 'name = VALUE' a line.",
        epilog="Variables the compiler optimized away are listed with the reason. With --goroutine "
        "or --frame, the frame comes from gomapdbg's own unwinder (any goroutine, live or on a core).",
    )
    add_frame_options(p)
    p.add_argument("--json", action="store_true", help="print one JSON object (see README)")
    add_value_caps(p)
    return p


def go_locals(dbg, args) -> None:
    target, where = make_frame_target(dbg, args)
    if where and not args.json:
        core.write_text(where, write=dbg.write)
    core.locals_command(target, json=args.json, caps=value_caps(args), write=dbg.write)


LOCALS = Command("locals", "Arguments and locals of the selected Go frame.", parser, go_locals)
