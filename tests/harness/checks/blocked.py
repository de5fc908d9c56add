"""Checks of `go goroutines --blocked-on EXPR` against the goroutines the
program parked on that mutex: exactly those (none missing, none more), each
with the wait reason the runtime gave it and the semaphore it sleeps on."""

from __future__ import annotations

import re

from harness.checks.values import parse_json
from harness.truth import Truth


def _parked(truth: Truth, name: str) -> dict[int, tuple[str, int]]:
    """The program's record `blocked_NAME GOID:STATE:SEMA ...`: goid -> (state, sema)."""
    parked = {}
    for word in truth.values[f"blocked_{name}"].split():
        goid, state, sema = word.rsplit(":", 2)
        parked[int(goid)] = (state, int(sema, 16))
    return parked


def check_blocked_on(output: str, name: str, truth: Truth) -> list[str]:
    """The JSON listing names the mutex at its address and lists exactly the
    parked goroutines, with their wait reasons and semaphores."""
    doc, error = parse_json(output)
    if error:
        return [error]
    failures = []
    address = int(truth.values[f"address_{name}"], 16)
    blocked_on = doc.get("blocked_on") or {}
    if int(blocked_on.get("address", "0x0"), 16) != address:
        failures.append(f"blocked_on.address is {blocked_on.get('address')}, {name} is at {hex(address)}")
    want = _parked(truth, name)
    got = {g["goid"]: g for g in doc.get("goroutines", [])}
    if set(got) != set(want):
        failures.append(f"goroutines {sorted(got)} listed, the program parked {sorted(want)} on {name}")
    for goid, (state, sema) in want.items():
        g = got.get(goid)
        if not g:
            continue
        if g.get("wait_reason") != state:
            failures.append(
                f"goroutine {goid} waits for {g.get('wait_reason')!r}, the runtime said {state!r}"
            )
        semaphore = g.get("semaphore") or {}
        if int(semaphore.get("address", "0x0"), 16) != sema:
            failures.append(f"goroutine {goid} sleeps on {semaphore}, the program parked it on {hex(sema)}")
    return failures


_LINE = re.compile(r"goroutine (\d+) \[([^\],]+)[^\]]*\]: .*, on (\S+) (0x[0-9a-f]+)$")


def check_blocked_on_text(output: str, name: str, truth: Truth) -> list[str]:
    """The text listing: a line per parked goroutine with its wait reason and
    `, on FIELD SEMA` at its end, and no other goroutine line."""
    want = _parked(truth, name)
    address = truth.values[f"address_{name}"]
    failures = []
    if not any(line.startswith("blocked on ") and f" at {address})" in line for line in output.splitlines()):
        failures.append(f"no line 'blocked on ... at {address})'")
    got = {}
    for line in output.splitlines():
        if " goroutine " not in f" {line.strip()}" or not line.strip().startswith(("goroutine", "*")):
            continue
        m = _LINE.search(line)
        if not m:
            failures.append(f"goroutine line without its semaphore: {line!r}")
            continue
        got[int(m.group(1))] = (m.group(2), int(m.group(4), 16))
    if set(got) != set(want):
        failures.append(f"goroutines {sorted(got)} listed, the program parked {sorted(want)} on {name}")
    for goid, (state, sema) in want.items():
        if goid in got and got[goid] != (state, sema):
            failures.append(
                f"goroutine {goid}: {got[goid][0]!r} on {hex(got[goid][1])}, want {state!r} on {hex(sema)}"
            )
    return failures
