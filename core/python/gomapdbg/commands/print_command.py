"""go print: any Go value in gomapdbg's canonical rendering, or as JSON."""

from gomapdbg.arguments import TYPE_NAMES, VARIABLE_NAMES, add_value_caps, completes, count, value_caps
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
    completes(p.add_argument("expression", nargs="+", metavar="EXPR"), VARIABLE_NAMES)
    completes(p.add_argument("--type", help="Go type of the value at ADDRESS, e.g. 'main.Point'"), TYPE_NAMES)
    p.add_argument("--deref", type=count, default=0, metavar="N", help="follow pointers N levels (default 0)")
    p.add_argument("--json", action="store_true", help="print one JSON object (see README)")
    add_frame_options(p)
    add_value_caps(p)
    return p


def go_print(dbg, args) -> None:
    target, _ = make_frame_target(dbg, args)
    core.print_command(
        target,
        " ".join(args.expression),
        type=args.type,
        deref=args.deref,
        json=args.json,
        caps=value_caps(args),
        write=dbg.write,
    )


PRINT = Command("print", "A Go value in Go syntax: variable, field, element, map entry.", parser, go_print)
