"""go report: the crash report for a map fatal (live at the catch, or a core)."""

import argparse

from gomapdbg import watch
from gomapdbg.arguments import add_value_caps, count, value_caps
from gomapdbg.commands.command import Command, Parser
from gomapdbg.loader import core
from gomapdbg.target import make_target


def parser() -> Parser:
    p = Parser(
        prog="go report",
        description="Explain a crash: the verdict; for a map fatal the throwing goroutine, the map "
        "and its contents, the competing writers/readers with the evidence that they touch the "
        "same map, the code that touches it and the write log (go watch); for a panic, a signal "
        "or another fatal error what happened; and a summary of all goroutines.",
    )
    p.add_argument("--entries", type=count, default=20, metavar="N", help="map entries to show (default 20)")
    p.add_argument("--all", action="store_true", help="show every entry of the map")
    p.add_argument("--buckets", action="store_true", help="show the map's buckets/groups instead of entries")
    p.add_argument("--all-goroutines", action="store_true", help="every goroutine's stack, not a summary")
    p.add_argument("--json", action="store_true", help="one JSON object (see README)")
    # The catch passes the fatal message it read; not for users.
    p.add_argument("--message", help=argparse.SUPPRESS)
    add_value_caps(p)
    return p


def _write_log(dbg) -> dict:
    """The watch (go watch) armed on this live process, for the write log."""
    armed = watch.WATCHES.get(dbg.live_pid() or 0) if not dbg.is_core() else None
    if armed is None:
        return {}
    return {"recorder": armed.recorder, "watched_map": armed.map, "watched": armed.description}


def go_report(dbg, args) -> None:
    target = make_target(dbg, need_process=True, need_threads=True, need_frame=False)
    core.report_command(
        target,
        message=args.message,
        # Live, a stop on a signal is part of what happened (who sent it).
        siginfo=None if dbg.is_core() else dbg.stop_siginfo(),
        pid=dbg.live_pid() or 0,
        **_write_log(dbg),
        entries=max(args.entries, 0),
        all=args.all,
        buckets=args.buckets,
        all_goroutines=args.all_goroutines,
        json=args.json,
        caps=value_caps(args),
        write=dbg.write,
    )


REPORT = Command(
    "report", "Explain a crash: the verdict, the map, who touched it, and why.", parser, go_report
)
