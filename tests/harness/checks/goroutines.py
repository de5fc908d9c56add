"""Checks of `go goroutines --json` against what the program recorded of
its goroutines, of the crashed goroutine of a core, of `--group`'s labelled
groups and of `go threads`' thread numbers."""

from __future__ import annotations

import json
import re

from harness.checks.report import json_output
from harness.truth import Truth


def _names(goroutine: dict) -> list[str]:
    return [f["function"] for f in goroutine.get("frames", [])]


def differences(want, g: dict | None, frames: bool = True) -> list[str]:
    """How goroutine `g` of our JSON (None: not listed) differs from the
    runtime's record `want`: missing, another state, or (with `frames`)
    frames that do not contain the recorded ones in order."""
    if g is None:
        return [f"goroutine {want.goid} [{want.state}] is missing"]
    failures = []
    if g["state"] != want.state:
        failures.append(f"goroutine {want.goid}: state {g['state']!r}, runtime said {want.state!r}")
    if frames and not subsequence(want.frames, _names(g)):
        failures.append(f"goroutine {want.goid}: frames {_names(g)} do not contain {want.frames} in order")
    return failures


def subsequence(wanted: list[str], names: list[str]) -> bool:
    it = iter(names)
    return all(any(w == n for n in it) for w in wanted)


def check_goroutines(output: str, truth: Truth) -> list[str]:
    """`go goroutines -t N --json` agrees with what the program recorded:
    per recorded function, how many goroutines have it on their stack; per
    parked user goroutine, the runtime's state word and its frames (as a
    subsequence: the runtime hides some); and every stack is complete and
    reaches the goroutine's start function."""
    data, failures = json_output(output)
    if data is None:
        return failures
    ours = {g["goid"]: g for g in data["goroutines"]}
    for g in ours.values():
        names = _names(g)
        if not g["complete"]:
            failures.append(
                f"goroutine {g['goid']} [{g['state']}]: stack incomplete ({g['stop_reason']}): {names}"
            )
        if g["start"]["function"] not in names:
            failures.append(
                f"goroutine {g['goid']} [{g['state']}]: start {g['start']['function']} not among {names}"
            )
    for function, count in truth.groups.items():
        having = [g["goid"] for g in ours.values() if function in _names(g)]
        if len(having) != count:
            failures.append(f"{count} goroutines run {function} (truth), {len(having)} in ours: {having}")
    compared = 0
    for want in truth.goroutines.values():
        user = any(not f.startswith("runtime.") for f in want.frames)
        if not user or want.state in ("running", "runnable"):
            continue  # not parked, or runtime-only: may have moved since it was recorded
        compared += 1
        g = ours.get(want.goid)
        failures += differences(want, g)
        if g is not None:
            failures += _check_waited(g, data.get("clock"), truth)
    if not compared:
        failures.append("no parked user goroutine in the truth file to compare with")
    return failures


# How far after the program's last clock reading the debugger may stop it.
_STOP_LATENCY_NS = 120 * 10**9


def _check_waited(g: dict, clock: dict | None, truth: Truth) -> list[str]:
    """A goroutine parked before the program's two GCs has waited, as the
    runtime computes it (since the end of the first GC, or of an earlier
    one the runtime ran by itself), at least since the first GC call ended
    and at most since main started (plus the time the debugger took to stop
    it). A core has no time of death: its latest clock reading may be far
    earlier, so there only the upper bound holds."""
    if clock is None:
        return [f"goroutine {g['goid']}: no runtime clock to say how long it waited"]
    waited = g.get("waited_ns")
    if waited is None:
        return [f"goroutine {g['goid']} [{g['state']}]: how long it waited is missing"]
    low = int(truth.values["since_gc_end_ns"]) if clock["exact"] else 0
    high = int(truth.values["since_main_ns"]) + _STOP_LATENCY_NS
    if not low <= waited <= high:
        return [
            f"goroutine {g['goid']}: waited {waited} ns, expected {low}..{high} ns by the program's clock"
        ]
    return []


def check_crash(output: str, text: str, truth: Truth) -> list[str]:
    """The crashed goroutine is one of truth's `writers`, on the thread the
    debugger says received the signal, with the given frames in order."""
    data, failures = json_output(output)
    if data is None:
        return failures
    crash = data.get("crash")
    if not crash:
        return ["no crash reported"]
    writers = {int(w) for w in truth.values["writers"].split(",")}
    if crash["goid"] not in writers:
        failures.append(f"crashed goroutine {crash['goid']} is not one of the writers {sorted(writers)}")
    if str(crash["thread"]) != truth.values.get("crash_tid"):
        failures.append(f"crash thread {crash['thread']}, the debugger says {truth.values.get('crash_tid')}")
    g = next((g for g in data["goroutines"] if g["goid"] == crash["goid"]), None)
    if g is None:
        return failures + [f"crashed goroutine {crash['goid']} not listed"]
    if g["thread"] != crash["thread"]:
        failures.append(f"crashed goroutine runs on thread {g['thread']}, crash says {crash['thread']}")
    if not subsequence(text.split(), _names(g)):
        failures.append(f"crashed goroutine's frames {_names(g)} do not contain {text.split()} in order")
    return failures


_GROUP_LINE = re.compile(r"^[* ] group of (\d+) \[([^]]+)\], goroutines?: ([\d ]+)$")


def check_groups(output: str, functions: list[str], truth: Truth) -> list[str]:
    """`go goroutines --group` with only FUNCTIONS' goroutines selected: one
    group per function, its count and its labelled goroutine ids exactly
    the goroutines the runtime's own traceback showed in that function."""
    groups = [m for m in map(_GROUP_LINE.match, output.splitlines()) if m]
    failures = []
    for function in functions:
        want = {goid for goid, g in truth.goroutines.items() if function in g.frames}
        if len(want) != truth.groups[function]:
            failures.append(f"{function}: the truth records {truth.groups[function]}, traces {sorted(want)}")
        found = [m for m in groups if {int(i) for i in m[3].split()} == want]
        if not found:
            failures.append(
                f"no group labelled 'goroutines: ' with exactly {function}'s goroutines {sorted(want)}"
            )
        elif int(found[0][1]) != len(want):
            failures.append(f"{function}: group of {found[0][1]}, {len(want)} goroutines")
    if len(groups) != len(functions):
        failures.append(f"{len(groups)} labelled group lines, expected {len(functions)}")
    return failures


_THREAD_LINE = re.compile(r"^([* ]) thread (\d+)(?: \(#(\d+)\))? ")


def _shown_threads(output: str) -> list[tuple[int, int | None, bool]]:
    """(tid, the number shown, selected) of each thread `go threads` lists, text or --json."""
    if output.lstrip().startswith("{"):
        listed = json.loads(output[output.index("{") :])["threads"]
        return [(t["tid"], t["number"], t["selected"]) for t in listed]
    lines = [m for m in map(_THREAD_LINE.match, output.splitlines()) if m]
    return [(int(m[2]), int(m[3]) if m[3] else None, m[1] == "*") for m in lines]


def check_thread_numbers(output: str, truth: Truth) -> list[str]:
    """`go threads` shows beside each LWP the debugger's own number for it,
    as the debugger itself numbers its threads (the driver's fact
    `thread_numbers`, "NUMBER:TID ..."), and the debugger's selected thread
    is the one marked '*'; with no debugger, no number."""
    numbers = dict(
        (int(tid), int(num))
        for num, tid in (pair.split(":") for pair in truth.values.get("thread_numbers", "").split())
    )
    threads = _shown_threads(output)
    if not threads:
        return ["no thread lines"]
    failures = []
    for tid, shown, _ in threads:
        if shown != numbers.get(tid):
            failures.append(f"thread {tid}: number {shown}, the debugger numbers it {numbers.get(tid)}")
    selected = [tid for tid, _, is_selected in threads if is_selected]
    if "selected_tid" in truth.values and selected != [int(truth.values["selected_tid"])]:
        failures.append(
            f"threads marked '*': {selected}, the debugger selected {truth.values['selected_tid']}"
        )
    return failures
