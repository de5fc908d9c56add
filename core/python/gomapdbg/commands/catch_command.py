"""go catch: arm breakpoints on the runtime's fatal path (see gomapdbg.catch)."""

from gomapdbg import catch
from gomapdbg.commands import CommandError, Parser, command


def parser() -> Parser:
    p = Parser(
        prog="go catch",
        description="Stop on the Go runtime's fatal path (runtime.fatal/throw/fatalthrow/fatalpanic "
        "and SIGABRT) and print the crash report for map errors.",
    )
    p.add_argument("action", nargs="?", choices=("on", "off", "status"), default="status")
    return p


@command("catch", parser)
def go_catch(dbg, args) -> None:
    arm = getattr(dbg, "arm_catch", None)
    if arm is None:
        raise CommandError("this front end cannot set breakpoints (use a debugger)")
    if args.action == "on":
        exe = dbg.executable()
        if not exe:
            raise CommandError("no executable loaded")
        entries = catch.fatal_entries(exe)
        if not entries:
            raise CommandError(f"{exe} has none of {', '.join(catch.FATAL_FUNCTIONS)}")
        catch.STATE.entries = entries
        dbg.arm_catch(entries)
        catch.STATE.armed = True
    elif args.action == "off":
        dbg.disarm_catch()
        catch.STATE.armed = False
    if catch.STATE.armed:
        names = ", ".join(f"{n} @ {a:#x}" for n, a in catch.STATE.entries.items())
        dbg.write(f"go catch: on ({names}; SIGABRT)\n")
    else:
        dbg.write("go catch: off\n")
