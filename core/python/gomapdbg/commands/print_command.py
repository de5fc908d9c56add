"""go print: any Go value in gomapdbg's canonical rendering, or as JSON."""

from gomapdbg.arguments import count
from gomapdbg.commands.command import Command, CommandError, Parser
from gomapdbg.loader import core
from gomapdbg.target import add_frame_options, make_frame_target


def parser() -> Parser:
    p = Parser(
        prog="go print",
        description="Print a Go value (variable, field, element, map entry) in Go syntax.",
        epilog="EXPR is a local or argument of the selected frame or a global, with .field, [index], "
        "[key], *, .(T); or ADDRESS --type T. Maps print inline, sorted by key (first 64 entries).",
    )
    p.add_argument("expression", nargs="+", metavar="EXPR")
    p.add_argument("--type", help="Go type of the value at ADDRESS, e.g. 'main.Point'")
    p.add_argument("--deref", type=count, default=0, metavar="N", help="follow pointers N levels (default 0)")
    p.add_argument("--json", action="store_true", help="print one JSON object (see README)")
    add_frame_options(p)
    return p


def go_print(dbg, args) -> None:
    target, _ = make_frame_target(dbg, args)
    core.print_command(
        target, " ".join(args.expression), type=args.type, deref=args.deref, json=args.json, write=dbg.write
    )


PRINT = Command("print", parser, go_print)
