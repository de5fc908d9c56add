"""Test programs: building them with a toolchain and reading the expectations
written in their comments.

A test program (testprogs/NAME/main.go) says what to check, Rust-debuginfo
style, in comment lines taken in order:

    // #break                       a live breakpoint on this line
    // #break-at: main.stop         a live breakpoint on a function instead
    // #catch                       live: run with `go catch on` instead, and
                                    stop where the runtime throws
    // ldflags: -w                  build with these linker flags
    // command: go map intInt9      run in every debugger and mode (and by
                                    scripts/gomapdbg, "standalone", on cores)
    // live-command: go map arg     only when stopped live at #break
    // gdb-command: / lldb-command: only in that debugger; likewise
                                    live-, core-, classic-, swiss- (map
                                    layout), combined as gdb-live-command:
    // check: layout: {layout}[...] a line of the last command's output, in
                                    order; [...] matches anything
    // check-map: intInt9           the last command printed map intInt9
                                    exactly as the program's truth file says
    // check-error: no variable     the last command failed with this text
    // check-buckets: NAME          `go map NAME --buckets --all` shows each
                                    entry of NAME exactly once in its slots
    // check-entries: NAME          the entries listed are exactly NAME's in
                                    the truth (nothing else compared)
    // check-header: NAME           the header line (or --json "header") shows
                                    the fields the program read in its own
                                    map header with unsafe (truth.Header)
    // check-layout: NAME           `go map NAME --buckets --all` (text or
                                    --json) shows the buckets/groups, tables,
                                    control bytes, chains and summary the
                                    program read of its map (truth.Physical)
    // check-key-json: NAME KEY     `go map NAME --key KEY --json` agrees with
                                    the truth (entry, control bytes, hash)
    // check-key: NAME KEY          `go map NAME --key KEY` shows KEY's entry
    // check-growth: NAME          map NAME (an int map filled with k: 2*k)
                                    holds exactly keys 0..len-1; with
                                    "NAME mid-growth" a classic map must
                                    also be between two bucket arrays
    // check-growth-buckets: NAME  `go map NAME --buckets --all` of such a
                                    map: its slot lines show exactly keys
                                    0..len-1 and the summary counts len live
    // check-growth-buckets-json: NAME  the same of `--buckets --all --json`:
                                    its "live" slots (not its "copy" ones)
    // check-growing: same-size     the classic map header shows oldbuckets
                                    non-nil (and flags sameSizeGrow)
    // check-report:                the last command's JSON (go report --json)
                                    on a crash_writers core names the message,
                                    map, thrower and competing accessor the
                                    program's truth implies
    // check-report-text:           the last command's text (go report) has
                                    the verdict as its first and last line,
                                    naming the program's accessors, and titles
                                    the map section by the truth's `name`
    // check-value: gMap            a line `LHS = VALUE` (LHS gMap or main.gMap,
                                    or the only line) whose VALUE is the
                                    program's truth.Render of gMap
    // check-json: gMap             the output is JSON whose "value" (or the
                                    "value" of variable gMap among "variables")
                                    equals the program's truth JSON of gMap
    // check-json-map: gMap         the output is `go map --json` of map gMap
                                    with exactly the truth's entries
    // check-sync-json-map: NAME    `go map --all --json` of a sync.Map: its
                                    layout and len and exactly the entries of
                                    truth map NAME
    // check-sync-print-json: V NAME  `go print V --json` of a sync.Map: type
                                    sync.Map, len and entries of truth map NAME
    // check-sync-buckets: NAME     `go map --buckets` (text or --json) of a
                                    sync.Map: live entries, trie totals, and
                                    the deleted/expunged/amended/misses the
                                    program's operations imply (read/dirty)
    // check-sync-key-json: K      `go map --key K --json` of a sync.Map: the
                                    entry state (and in each of the read and
                                    dirty maps) the truth's key_K says
    // check-deref: gList 2         like check-value, against the truth's
                                    rendering of gList following 2 pointer
                                    levels (truth.RenderDeref)
    // check-json-deref: gList 2    like check-json, against the same

    // check-goroutines:            the last command's JSON (go goroutines -t
                                    N --json) agrees with the goroutines the
                                    program recorded (group and goroutine
                                    records: counts per function, each parked
                                    goroutine's state and frames as
                                    runtime.Stack printed them), and every
                                    stack reaches its start function
    // check-crash: F1 F2           the last command's JSON (go goroutines -t
                                    N --json) names the crashed goroutine: one
                                    of the goroutines in truth value
                                    `writers`, on the thread the debugger
                                    reports as having received the signal,
                                    with frames F1 ... in this order

    // check-groups: F1 F2          `go goroutines --group` lists one labelled
                                    group per function Fi whose ids are the
                                    goroutines the runtime's traceback showed in
                                    Fi, as many as the group records say
    // check-thread-numbers:        `go threads` shows beside each LWP the
                                    number the debugger's own `info threads` /
                                    `thread list` gives it (none standalone),
                                    and marks the debugger's selected thread
    // check-blocked-on: gMutex      the last command's JSON (go goroutines
                                    --blocked-on X --json) names the mutex at
                                    truth value address_gMutex and lists
                                    exactly the goroutines of truth value
                                    blocked_gMutex (GOID:STATE:SEMA ...), each
                                    with that wait reason and semaphore
    // check-blocked-on-text: gMutex  the same of the text listing

{layout} is the map layout the toolchain is known to use, {grow_function}
the runtime function that grows such maps, {growth_file} and {growth_line}
a statement inside it (Toolchain.growth_stop, from the toolchain's source); {addr:NAME}, {type:NAME} and
{value:NAME} come from the program's truth file; {crash_tid} is the LWP of
the thread the debugger selected on loading the core (the kernel dumps the
signalled thread first), {selected_tid} the LWP of the debugger's selected
thread before the first command (live: the one at the breakpoint);
{thread:crash_tid} and {thread:selected_tid} name that thread as go commands
do, "thread 4242 (#3)", with the number the debugger's own thread listing
gives it (none standalone).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import subprocess

from harness.toolchains import REPO, Toolchain, layout_family

TESTPROGS = os.path.join(REPO, "testprogs")
BUILD = os.path.join(REPO, "build", "testprogs")


@dataclasses.dataclass
class Check:
    kind: str  # "check", "check-map", "check-error", "check-value", "check-json", ... (see above)
    text: str


@dataclasses.dataclass
class Command:
    text: str
    debuggers: tuple[str, ...] = ("gdb", "lldb", "standalone")
    modes: tuple[str, ...] = ("live", "core")
    layouts: tuple[str, ...] = ("classic", "swiss")
    checks: list[Check] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class ProgramSpec:
    name: str
    source: str
    break_line: int | None
    commands: list[Command]
    break_function: str | None = None
    ldflags: str = ""
    catch: bool = False

    def commands_for(self, debugger: str, mode: str, layout: str) -> list[Command]:
        family = layout_family(layout)
        return [
            c for c in self.commands if debugger in c.debuggers and mode in c.modes and family in c.layouts
        ]


_DIRECTIVE = re.compile(
    r"//\s*(?:(#break|#catch)(?![-\w])|(#break-at|ldflags|(?:[a-z]+-){0,3}command|check(?:-[a-z]+)*):\s?(.*)$)"
)


def parse_spec(name: str) -> ProgramSpec:
    source = os.path.join(TESTPROGS, name, "main.go")
    spec = ProgramSpec(name, source, None, [])
    with open(source, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            m = _DIRECTIVE.search(line)
            if not m:
                continue
            kind = m.group(1) or m.group(2)
            text = (m.group(3) or "").rstrip()
            if kind == "#break":
                spec.break_line = number
            elif kind == "#catch":
                spec.catch = True
            elif kind == "#break-at":
                spec.break_function = text.strip()
            elif kind == "ldflags":
                spec.ldflags = text.strip()
            elif kind.endswith("command"):
                cmd = Command(text)
                for qualifier in filter(None, kind[: -len("command")].split("-")):
                    if qualifier in ("gdb", "lldb"):
                        cmd.debuggers = (qualifier,)
                    elif qualifier in ("live", "core"):
                        cmd.modes = (qualifier,)
                    elif qualifier in ("classic", "swiss"):
                        cmd.layouts = (qualifier,)
                    else:
                        raise ValueError(f"{source}:{number}: unknown directive {kind}")
                spec.commands.append(cmd)
            else:
                if not spec.commands:
                    raise ValueError(f"{source}:{number}: {kind} before any command")
                spec.commands[-1].checks.append(Check(kind, text))
    return spec


def source_digest(directory: str) -> str:
    """A short digest of every file under `directory` (names and contents)."""
    h = hashlib.sha256()
    for root, _, files in sorted(os.walk(directory)):
        for f in sorted(files):
            with open(os.path.join(root, f), "rb") as fh:
                h.update(f.encode() + fh.read())
    return h.hexdigest()[:16]


def go_build(tc: Toolchain, args: list[str], binary: str, cwd: str, what: str) -> None:
    """`go build ARGS` of `what` in `cwd` into `binary`, built beside it and
    renamed into place: parallel test workers may build the same program,
    and neither may run the other's half-written file."""
    os.makedirs(os.path.dirname(binary), exist_ok=True)
    partial = f"{binary}.{os.getpid()}"
    res = subprocess.run(
        [tc.go, "build", "-o", partial, *args],
        cwd=cwd,
        env=tc.env(),
        capture_output=True,
        text=True,
        timeout=900,
    )
    if res.returncode != 0:
        raise RuntimeError(f"building {what} with {tc.name} failed:\n{res.stderr[-3000:]}")
    os.replace(partial, binary)


def write_stamp(stamp: str, digest: str) -> None:
    """The digest a cached build was made from, written whole or not at all."""
    with open(f"{stamp}.{os.getpid()}", "w") as f:
        f.write(digest)
    os.replace(f"{stamp}.{os.getpid()}", stamp)


def build(name: str, tc: Toolchain, ldflags: str = "", flags: tuple[str, ...] = ()) -> str:
    """Builds testprogs/NAME with a toolchain; cached by source digest.
    `flags`: more `go build` flags (-trimpath)."""
    options = ldflags + "".join(" " + f for f in flags) if flags else ldflags
    digest = source_digest(TESTPROGS) + hashlib.sha256(options.encode()).hexdigest()[:8]
    out_dir = os.path.join(BUILD, tc.name)
    suffix = "-" + re.sub(r"[^a-z0-9]+", "", ldflags) if ldflags else ""
    suffix += "".join("-" + re.sub(r"[^a-z0-9]+", "", f) for f in flags)
    binary = os.path.join(out_dir, name + suffix)
    stamp = binary + ".digest"
    if os.path.exists(binary) and os.path.exists(stamp) and open(stamp).read() == digest:
        return binary
    args = [*flags, *(["-ldflags", ldflags] if ldflags else []), "./" + name]
    go_build(tc, args, binary, TESTPROGS, name)
    write_stamp(stamp, digest)
    return binary
