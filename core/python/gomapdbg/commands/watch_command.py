"""go watch: record every write of a map with hardware watchpoints, live,
without stopping the program (see gomapdbg.watch)."""

from gomapdbg import watch
from gomapdbg.arguments import MAP_TYPE_NAMES, VARIABLE_NAMES, completes, count
from gomapdbg.commands.command import Command, CommandError, Parser
from gomapdbg.loader import core
from gomapdbg.target import make_target


def parser() -> Parser:
    p = Parser(
        prog="go watch",
        description="Record who writes a map, live: hardware watchpoints on the byte of its header "
        "that every write toggles (classic hmap.flags, swiss Map.writing), on every thread of the "
        "process and the threads it starts later, sampled without stopping it. At a crash of that "
        "map, go report shows the write log and names the writer whose write overlapped the "
        "thrower's (certain). Without EXPR: who has written it so far, per goroutine and call site.",
        epilog="Needs a live linux/amd64 process on this machine (not an arm64 program, "
        "not even live under qemu-user) and perf events (as root, or "
        "kernel.perf_event_paranoid <= 2 for your own processes). Each watched write costs a "
        "debug exception (tens of µs); the race still runs at speed otherwise.",
    )
    expression = p.add_argument(
        "expression", nargs="?", metavar="EXPR", help="the map (or ADDRESS with --type)"
    )
    completes(expression, VARIABLE_NAMES)
    completes(
        p.add_argument("--type", metavar="T", help="EXPR is an address of a map of type T"), MAP_TYPE_NAMES
    )
    p.add_argument("--off", action="store_true", help="disarm the watch")
    p.add_argument("--last", type=count, default=16, metavar="N", help="writes listed (default 16)")
    p.add_argument("--json", action="store_true", help="the summary as one JSON object")
    return p


def go_watch(dbg, args) -> None:
    pid = dbg.live_pid()
    if not pid:
        raise CommandError("needs a live process on this machine (a core records no writes)")
    if args.off:
        dbg.write("go watch: off\n" if watch.disarm(pid) else "go watch: nothing was watched\n")
        return
    target = make_target(dbg, need_process=True, need_threads=args.expression is None)
    if args.expression:
        armed = watch.arm(pid, core.watch_request(target, args.expression, args.type))
        threads = len(armed.recorder.threads())
        line = f"go watch: recording every write of {armed.description} on {threads} threads"
        core.write_prose(line, write=dbg.write)
        missing = armed.recorder.exec_addresses_unavailable()
        if missing:
            dbg.write("go watch: no debug register left for the throw marker: the log ends at the catch\n")
        return
    current = watch.WATCHES.get(pid)
    if current is None:
        raise CommandError("nothing is watched in this process (go watch EXPR)")
    core.watch_summary(
        target, current.recorder, current.description, last=max(args.last, 1), json=args.json, write=dbg.write
    )


WATCH = Command(
    "watch",
    "Record who writes a map, live, with hardware watchpoints.",
    parser,
    go_watch,
    live_only=True,
    # Only this machine's own processes: not an arm64 core nor one under qemu-user.
    executable_check=lambda executable: core.require_watchable(executable),
)
