"""go goroutines, go goroutine, go bt, go threads: the runtime's goroutines
and threads, with stacks unwound by the core from .gopclntab."""

from gomapdbg.arguments import GOROUTINE_IDS, GOROUTINE_STATES, VARIABLE_NAMES, completes
from gomapdbg.commands.command import Command, CommandError, Parser
from gomapdbg.loader import core
from gomapdbg.target import make_target

_DEFAULT_STACK_DEPTH = 10


def _target(dbg, need_frame: bool = False):
    """need_frame: an expression may name the selected frame's variables."""
    return make_target(dbg, need_process=True, need_threads=True, need_frame=need_frame)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise CommandError(f"'{text}' is not a number") from None
    if value < 1:
        raise CommandError("depth must be 1 or more")
    return value


def goroutines_parser() -> Parser:
    p = Parser(
        prog="go goroutines",
        description="List goroutines: id, state (wait reason), thread, location and creator.",
        epilog="A goroutine's location is its first frame outside the runtime. "
        "Dead goroutines are listed only with --status dead.",
    )
    p.add_argument(
        "-t",
        dest="depth",
        nargs="?",
        const=_DEFAULT_STACK_DEPTH,
        type=_positive,
        metavar="DEPTH",
        help=f"also show each stack, DEPTH frames deep (default {_DEFAULT_STACK_DEPTH})",
    )
    completes(
        p.add_argument(
            "--status", metavar="S", help="only status S (running, waiting, ...) or wait reason S"
        ),
        GOROUTINE_STATES,
    )
    p.add_argument("--func", metavar="REGEX", help="only goroutines with a frame or start function matching")
    p.add_argument("--user", action="store_true", help="hide system goroutines (started in runtime)")
    p.add_argument("--group", action="store_true", help="collapse goroutines with identical stacks")
    completes(
        p.add_argument(
            "--blocked-on",
            metavar="EXPR",
            help="only goroutines asleep on the sync.Mutex or sync.RWMutex EXPR names (a variable, "
            "a field, a pointer or an ADDRESS), with the semaphore each sleeps on",
        ),
        VARIABLE_NAMES,
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    return p


def go_goroutines(dbg, args) -> None:
    core.goroutines_command(
        _target(dbg, need_frame=args.blocked_on is not None),
        stack_depth=args.depth or 0,
        status=args.status,
        function_regex=args.func,
        user_only=args.user,
        group=args.group,
        json=args.json,
        blocked_on=args.blocked_on,
        write=dbg.write,
    )


GOROUTINES = Command(
    "goroutines", "List goroutines: id, state, thread, location, creator.", goroutines_parser, go_goroutines
)


def bt_parser() -> Parser:
    p = Parser(
        prog="go bt",
        description="Backtrace of a goroutine, parked or running, with file:line and inlined calls.",
        epilog="Without GOID: the goroutine of the selected thread (on a crash core, the one that crashed).",
    )
    completes(
        p.add_argument("which", nargs="?", metavar="GOID|all", help="a goroutine id, or all"),
        GOROUTINE_IDS,
        "all",
    )
    p.add_argument(
        "-n", dest="depth", type=_positive, default=100, metavar="DEPTH", help="frames (default 100)"
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    return p


def go_bt(dbg, args) -> None:
    core.bt_command(_target(dbg), which=args.which, depth=args.depth, json=args.json, write=dbg.write)


BT = Command("bt", "Backtrace of a goroutine (default: the selected thread's).", bt_parser, go_bt)


def goroutine_parser() -> Parser:
    p = Parser(
        prog="go goroutine",
        description="Everything about one goroutine: status, wait reason, thread, start, creator, stack.",
    )
    completes(p.add_argument("goid", metavar="GOID"), GOROUTINE_IDS)
    p.add_argument("--json", action="store_true", help="print JSON")
    return p


def go_goroutine(dbg, args) -> None:
    core.goroutine_command(_target(dbg), args.goid, json=args.json, write=dbg.write)


GOROUTINE = Command(
    "goroutine",
    "Everything about one goroutine: status, thread, creator, stack.",
    goroutine_parser,
    go_goroutine,
)


def threads_parser() -> Parser:
    p = Parser(
        prog="go threads",
        description="OS threads: pc/sp, their M, whether on g0/gsignal or a goroutine's stack.",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    return p


def go_threads(dbg, args) -> None:
    core.threads_command(_target(dbg), json=args.json, write=dbg.write)


THREADS = Command("threads", "OS threads: their M and whose stack they run on.", threads_parser, go_threads)
