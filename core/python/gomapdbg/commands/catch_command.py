"""go catch: arm breakpoints on the runtime's fatal path (see gomapdbg.catch),
and what the front ends run when the catch stops."""

from __future__ import annotations

import shlex

from gomapdbg import catch
from gomapdbg.commands.command import Command, CommandError, Parser, run
from gomapdbg.commands.report_command import REPORT
from gomapdbg.debugger import Debugger
from gomapdbg.loader import core
from gomapdbg.text_style import text_style


def parser() -> Parser:
    p = Parser(
        prog="go catch",
        description="Stop on the Go runtime's fatal path (runtime.fatal/throw/fatalthrow/fatalpanic "
        "and SIGABRT) and print the crash report for map errors.",
    )
    p.add_argument("action", nargs="?", choices=("on", "off", "status"), default="status")
    return p


def go_catch(dbg, args) -> None:
    if not dbg.can_set_breakpoints:
        raise CommandError("this front end cannot set breakpoints (use a debugger)")
    if args.action == "on":
        exe = dbg.executable()
        if not exe:
            raise CommandError("no executable loaded")
        entries = catch.fatal_entries(exe)
        if not entries:
            raise CommandError(f"{exe} has none of {', '.join(core.FATAL_PATH_FUNCTIONS)}")
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


CATCH = Command(
    "catch",
    "Stop at the Go runtime's fatal errors and explain map crashes there.",
    parser,
    go_catch,
    live_only=True,
)


def report_caught(dbg: Debugger, pid: int, function: str | None, signal: str | None = None) -> None:
    """Explains the fatal error the catch stopped at (in `function`, or by
    `signal`), once per process."""
    if pid in catch.STATE.reported:
        return
    catch.STATE.reported.add(pid)
    message = catch.read_message(dbg, function) if function else None
    where = f"in {function}" if function else f"by {signal}"
    with text_style(dbg):
        core.write_prose(
            f"gomapdbg: caught fatal error {where}: {message or '(message not read)'}", dbg.write
        )
    error = run(dbg, REPORT, f"--message {shlex.quote(message)}" if message else "")
    if error:
        dbg.write(error + "\n")
