"""Checks of `go report` against what the crashed program recorded: the
map fatal, the map, the thrower and the competing accessors (crash_writers),
and for other ends (a panic, a runtime fatal error, a signal from outside)
that the report names what happened and shows no map (fatal_causes)."""

from __future__ import annotations

import json
import re

from harness.checks.layout import expected_control
from harness.truth import Truth


def json_output(output: str) -> tuple[dict | None, list[str]]:
    """The output parsed as JSON, or None and why not."""
    try:
        return json.loads(output), []
    except ValueError as e:
        return None, [f"output is not JSON ({e})"]


# The messages each case can raise. An iteration also reads: a swiss
# iterator whose table grew under it looks the key up again
# ((*Iter).grownKeyElem -> getWithKey), and that read throws its own message.
_CASE_MESSAGES = {
    "iterate": {"concurrent map iteration and map write", "concurrent map read and map write"},
    "read": {"concurrent map read and map write"},
}


def _fatal_and_map(data: dict, truth: Truth, messages: set[str], accessors: set[int]) -> list[str]:
    """The message is one the program's race can raise, the thrower one of
    its accessors, and the map the one it recorded."""
    failures = []
    if data["fatal"]["message"] not in messages:
        failures.append(f"fatal message {data['fatal']['message']!r}, expected one of {sorted(messages)}")
    if data["fatal"]["goroutine"] not in accessors:
        failures.append(
            f"throwing goroutine {data['fatal']['goroutine']} is not one of the accessors {sorted(accessors)}"
        )
    m = data.get("map") or {}
    if m.get("address") != truth.values["map"] or m.get("type") != truth.values["type"]:
        failures.append(
            f"map {m.get('type')} @ {m.get('address')}, truth {truth.values['type']} @ {truth.values['map']}"
        )
    return failures


def check_report(output: str, truth: Truth, symbols: bool = True) -> list[str]:
    """`go report --json` on a crash_writers core: the message the case
    raises, the map the program recorded (named by its global, unless the
    binary has no symbols to name it by), the throwing goroutine is one of
    the program's accessors and the competing one is the other (none at all
    for a forged writing flag)."""
    data, failures = json_output(output)
    if data is None:
        return failures
    case = truth.values["case"]
    want_messages = _CASE_MESSAGES.get(case, {"concurrent map writes"})
    accessors = {int(truth.values[k]) for k in ("accessor0", "accessor1") if k in truth.values}
    thrower = data["fatal"]["goroutine"]
    failures += _fatal_and_map(data, truth, want_messages, accessors)
    want_name = truth.values["name"] if symbols else ""
    if data["map_name"] != want_name:
        failures.append(f"map named {data['map_name']!r}, expected {want_name!r}")
    m = data.get("map") or {}
    writers = [w["goroutine"] for w in data["writers"]]
    if case == "forged":
        if writers:
            failures.append(f"forged writing flag: expected no competing accessor, got {writers}")
    else:
        others = accessors - {thrower}
        if not writers or writers[0] not in others:
            failures.append(f"competing accessor {writers[:1]} is not the other accessor {sorted(others)}")
    failures += _check_map_state(m, case, truth)
    failures += _check_conflict_key(data.get("conflict_key"), truth, data["map_layout"])
    return failures


def check_report_text(output: str, truth: Truth) -> list[str]:
    """`go report` as text on a crash_writers core reads top-down and ends
    with the answer: the verdict is its first line and, word for word, its
    last; it names the program's accessors (the thrower, and the other one
    as the competing accessor, unless the writing flag was forged and there
    is none); the map section is titled by the global the program named,
    or for a map no global holds by the variable the program passed it in
    (truth `holder`, "m, argument of main.writeInts") and its frame."""
    lines = [line for line in output.splitlines() if line.strip()]
    if not lines:
        return ["no report"]
    first, last = lines[0], lines[-1]
    failures = []
    if not first.startswith("verdict: "):
        failures.append(f"the first line is not the verdict: {first!r}")
    if last != first:
        failures.append(f"the last line {last!r} is not the verdict {first!r}")
    accessors = {int(truth.values[k]) for k in ("accessor0", "accessor1") if k in truth.values}
    named = {int(goid) for goid in re.findall(r"\bgoroutine (\d+)\b", first)}
    if named != accessors:
        failures.append(
            f"the verdict names goroutines {sorted(named)}, the accessors are {sorted(accessors)}"
        )
    name = re.escape(truth.values["name"])
    if truth.values.get("holder"):
        name = re.escape(truth.values["holder"]) + r" in frame \d+"
    if not any(re.fullmatch(name + r" \(found by .*\):", line) for line in lines):
        failures.append(f"no map section titled {name!r}")
    return failures


def _json_key_text(key) -> str:
    """A report entry's JSON key in the program's canonical rendering (ints,
    strings, and crash_writers' struct key{A int; B string})."""
    if isinstance(key, dict):
        return f'main.key{{A: {key["A"]}, B: {json.dumps(key["B"])}}}'
    return json.dumps(key)


def _check_map_state(m: dict, case: str, truth: Truth) -> list[str]:
    """The map's header and entries as the program left them: the writing
    flag it forged is shown set, and every entry shown has a key the
    accessors use."""
    failures = []
    if case == "forged" and m.get("writing") is not True:
        failures.append(f"forged writing flag not shown set: writing={m.get('writing')!r}")
    domain = set(truth.values["keys"].split("\t"))
    for entry in m.get("entries") or []:
        if _json_key_text(entry["key"]) not in domain:
            failures.append(f"map entry key {entry['key']!r} is not one the program uses")
            break
    if not m.get("entries") and m.get("len"):
        failures.append(f"the report shows no entries of a map of len {m.get('len')}")
    return failures


def _check_conflict_key(conflict, truth: Truth, layout: str) -> list[str]:
    """The conflicting key, when the report recovered one, is a key the
    accessors use; its bucket/group view shows it in a slot whose control
    byte the runtime derived from the same hash the report computed (or
    says it is absent, and where a key with its hash goes)."""
    if conflict is None:
        return []
    # The JSON key is typed (an int a number); the truth and the bucket text render it.
    key, bucket = _json_key_text(conflict["key"]), conflict["bucket"]
    if key not in truth.values["keys"].split("\t"):
        return [f"conflicting key {key!r} is not one the accessors use"]
    if f"key {key} is not in the map" in bucket:
        return []
    found = re.search(
        rf"^key {re.escape(key)} is in .*, slot (\d)(?: \(hash (0x[0-9a-f]+)\))?$", bucket, re.M
    )
    if not found:
        return [f"the bucket view of conflicting key {key} does not say where it is:\n{bucket}"]
    slot = re.search(rf"^\s+\[{found[1]}\] ([0-9a-f]{{2}})\s+{re.escape(key)}: ", bucket, re.M)
    if not slot:
        return [f"the bucket view of conflicting key {key} does not show it in slot {found[1]}:\n{bucket}"]
    if found[2] and int(slot[1], 16) != expected_control(layout, int(found[2], 16)):
        return [
            f"key {key}: the runtime's control byte {slot[1]} does not match the computed hash {found[2]}"
        ]
    return []


def check_fatal(output: str, truth: Truth) -> list[str]:
    """`go report --json` of a process that died of something else than a
    map fatal: the kind of end and what Go itself printed for it (the panic
    value, the fatal message, the signal and its sender), the goroutine that
    panicked or threw, and no map, key or accessors."""
    data, failures = json_output(output)
    if data is None:
        return failures
    fatal, kind, message = data["fatal"], truth.values["kind"], truth.values["message"]
    if fatal["kind"] != kind:
        failures.append(f"fatal kind {fatal['kind']!r}, expected {kind!r}")
    if kind == "panic" and fatal["panics"][:1] != [message]:
        failures.append(f"panic values {fatal['panics']!r}, expected the first to be {message!r}")
    if kind == "runtime" and fatal["message"] != message:
        failures.append(f"fatal message {fatal['message']!r}, expected {message!r}")
    if kind == "signal":
        signal = fatal.get("signal") or {}
        if signal.get("name") != message or signal.get("sender_pid") != int(truth.values["sender"]):
            failures.append(f"signal {signal!r}, expected {message} sent by process {truth.values['sender']}")
    if "goroutine" in truth.values and fatal["goroutine"] != int(truth.values["goroutine"]):
        failures.append(f"goroutine {fatal['goroutine']}, expected {truth.values['goroutine']}")
    if "(not a map error)" not in data["verdict"]:
        failures.append(f"verdict does not say it is not a map error: {data['verdict']!r}")
    for key in ("map", "conflict_key"):
        if data[key] is not None:
            failures.append(f"{key} shown for a crash that is not a map fatal: {data[key]!r}")
    if data["writers"] or data["static_accessors"]:
        failures.append(f"accessors named for a crash that is not a map fatal: {data['writers']!r}")
    return failures


def check_absent(output: str, text: str) -> list[str]:
    """No line of the output starts with TEXT."""
    hits = [line for line in output.splitlines() if line.strip().startswith(text)]
    return [f"unexpected line(s) starting with {text!r}: {hits[:3]!r}"] if hits else []


# A precision failure: the report named a goroutine that never touches the
# map. Tests fail on the first one (no retry: it is never acceptable).
PRECISION = "PRECISION:"


def _ids(truth: Truth, key: str) -> set[int]:
    return {int(v) for v in truth.values.get(key, "").split()}


def race_accessors(truth: Truth) -> set[int]:
    """Every goroutine of a testprogs/races case that may touch the map: those
    recorded before the race, and those that appeared once it ran (appended
    as late_accessor_ID)."""
    late = {int(v) for k, v in truth.values.items() if k.startswith("late_accessor_")}
    return _ids(truth, "accessors") | late


def race_outcome(data: dict, truth: Truth) -> dict:
    """What a `go report --json` of a testprogs/races crash got right, as
    the program's truth (every goroutine that may touch the map, the
    writers, the decoys) judges it: `named` (the first competing accessor
    is another real accessor), `precise` (every named goroutine is a real
    accessor and none is a decoy), `certain` (that first one named with
    certainty) and the failures."""
    failures = []
    accessors, decoys = race_accessors(truth), _ids(truth, "decoys")
    messages = set(truth.values["messages"].split("|"))
    thrower = data["fatal"]["goroutine"]
    failures += _fatal_and_map(data, truth, messages, accessors)
    named = [w["goroutine"] for w in data["writers"]]
    wrong = [g for g in named if g not in accessors or g in decoys]
    if wrong:
        failures.append(
            f"{PRECISION} named {wrong}, which never touch the map (accessors {sorted(accessors)})"
        )
    first = data["writers"][0] if data["writers"] else None
    ok_first = first is not None and first["goroutine"] in accessors - {thrower}
    if truth.values.get("name") and data["map_name"] != truth.values["name"]:
        failures.append(f"map named {data['map_name']!r}, truth {truth.values['name']!r}")
    if not first and truth.values.get("name") and not data["static_accessors"]:
        failures.append("no accessor named and no code that touches the global map listed")
    m = data.get("map") or {}
    return {
        "map_found": m.get("address") == truth.values["map"] and m.get("type") == truth.values["type"],
        "other_active": _other_accessor_active(data, accessors - {thrower}),
        "named": ok_first,
        # Nobody named, and for a global map the code that touches it listed.
        "honest_none": not named and (not truth.values.get("name") or bool(data["static_accessors"])),
        "precise": not wrong,
        "certain": ok_first and first["certainty"] == "certain",
        "write_log": ok_first and any(e["kind"] == "write log" for e in first["evidence"]),
        "failures": failures,
    }


# States in which a goroutine may have just left a map access (the rest
# are parked: channel, lock, sleep, I/O).
_ACTIVE_STATES = {"running", "runnable", "syscall", "preempted"}


def _other_accessor_active(data: dict, others: set[int]) -> bool:
    """Whether another accessor was running, runnable, in a syscall or
    preempted when the core was taken (post-mortem evidence can only exist
    then; a parked one is never named)."""
    for group in data["goroutines"]["groups"]:
        if group["state"] in _ACTIVE_STATES and others & set(group["goids"]):
            return True
    return False


def check_race(output: str, truth: Truth, need: str = "") -> list[str]:
    """`go report --json` of a testprogs/races crash: message, map, thrower
    and precision, and, for a global map when nobody is named, the code that
    touches it; with `need` also "named" (another real accessor named first)
    or "write-log" (named certain by the live write log). Recall is the
    test's to judge over several crashes (race_outcome)."""
    data, failures = json_output(output)
    if data is None:
        return failures
    outcome = race_outcome(data, truth)
    failures += outcome["failures"]
    if need == "named" and not outcome["named"]:
        failures.append(
            f"no other real accessor named first: writers {[w['goroutine'] for w in data['writers']]}"
        )
    if need == "write-log" and not outcome["write_log"]:
        failures.append(f"not named certain from the write log: writers {data['writers'][:1]!r}")
    return failures


def check_watch_summary(output: str, truth: Truth, write_site: str) -> list[str]:
    """`go watch --json` after testprogs/watch_writers' writers finished:
    each writer goroutine made exactly its writes (two toggles of the
    writing state each), all at the program's write site, and nobody else
    wrote."""
    data, failures = json_output(output)
    if data is None:
        return failures
    writers = {int(g) for g in truth.values["writers"].split()}
    toggles = 2 * int(truth.values["writes_each"])
    seen = {g["goroutine"]: g for g in data["goroutines"]}
    if set(seen) != writers:
        failures.append(f"writing goroutines {sorted(seen)}, expected {sorted(writers)}")
    for goid in writers & set(seen):
        g = seen[goid]
        if g["writes"] != toggles:
            failures.append(f"goroutine {goid}: {g['writes']} writes recorded, expected {toggles}")
        sites = [s["site"] for s in g["sites"]]
        if sites != [write_site]:
            failures.append(f"goroutine {goid}: sites {sites}, expected [{write_site!r}]")
    if data["lost"]:
        failures.append(f"{data['lost']} writes lost")
    return failures


def _strings(value) -> list:
    """Every string of a JSON value as gomapdbg writes it: a plain str, or
    a cut one {"prefix": P, "len": N}."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict) and set(value) == {"prefix", "len"}:
        return [value]
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return [s for child in children for s in _strings(child)]


def check_report_caps(output: str, text: str, truth: Truth) -> list[str]:
    """`go report --json --max-string N`: every key and value string of the
    map's entries is at most N bytes, a longer one cut to exactly N with its
    length; in the case CASE (string keys longer than N), some are cut."""
    case, limit = text.split()
    data, failures = json_output(output)
    if data is None:
        return failures
    strings = _strings([[e["key"], e["value"]] for e in (data.get("map") or {}).get("entries", [])])
    for s in strings:
        if isinstance(s, str) and len(s.encode()) > int(limit):
            failures.append(f"string {s!r} is longer than --max-string {limit}")
        if isinstance(s, dict) and not (len(s["prefix"].encode()) == int(limit) < s["len"]):
            failures.append(f"cut string {s} is not {limit} bytes of a longer one")
    if truth.values["case"] == case and not any(isinstance(s, dict) for s in strings):
        failures.append(f"no key or value cut at --max-string {limit} in the {case} map: {strings[:5]}")
    return failures
