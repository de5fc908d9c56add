"""go map: a map's header and entries."""

from gomapdbg.arguments import MAP_TYPE_NAMES, VARIABLE_NAMES, add_value_caps, completes, count, value_caps
from gomapdbg.commands.command import Command, CommandError, Parser
from gomapdbg.loader import core
from gomapdbg.target import add_frame_options, make_frame_target


def parser() -> Parser:
    p = Parser(
        prog="go map",
        description="Print a Go map or sync.Map: address, type, layout (classic or swiss; "
        "sync-readdirty or sync-trie), header and entries.",
        epilog="EXPR is a local or argument of the selected frame, a global (main.m or m), "
        "or ADDRESS --type 'map[K]V' where ADDRESS is the map header (what %p prints).",
    )
    completes(p.add_argument("expression", nargs="+", metavar="EXPR"), VARIABLE_NAMES)
    completes(
        p.add_argument("--type", help="Go type of the value at ADDRESS, e.g. 'map[string]int'"),
        MAP_TYPE_NAMES,
    )
    p.add_argument("--limit", type=count, default=100, metavar="N", help="entries to show (default 100)")
    p.add_argument("--all", action="store_true", help="show every entry (or bucket, with --buckets)")
    p.add_argument(
        "--buckets",
        action="store_true",
        help="the physical layout: buckets/groups with control bytes, overflow chains, "
        "evacuation state, then load factor, histograms and an occupancy picture; of a "
        "sync.Map, its read/dirty maps or hash trie",
    )
    p.add_argument(
        "--key",
        metavar="K",
        help="show the bucket/group holding key K (strings unquoted or quoted); of a sync.Map, "
        "where K's entry is",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object (see README)")
    add_frame_options(p)
    add_value_caps(p)
    return p


def go_map(dbg, args) -> None:
    target, _ = make_frame_target(dbg, args)
    run = core.map_command_json if args.json else core.map_command
    run(
        target,
        " ".join(args.expression),
        type=args.type,
        limit=args.limit,
        all=args.all,
        buckets=args.buckets,
        key=args.key,
        caps=value_caps(args),
        write=dbg.write,
    )


MAP = Command("map", "A Go map: header, layout and entries, or its buckets.", parser, go_map)
