"""gomapdbg against an outside reference: Delve, on Delve's own variable
fixtures (`_fixtures/testvariables2.go`, `testvariables.go`,
`testvariables_generic.go` of its module), built with each toolchain of the
matrix (Delve 1.27 declares go1.25-1.27 and reads the older ones with
--check-go-version=false) and run to
their runtime.Breakpoint, where the SIGTRAP leaves a core (GOTRACEBACK=crash;
the generic fixture also without its first call, for its second
instantiation).
On that one core, `dlv core` lists the frame's variables through its
JSON-RPC API, and gomapdbg prints each of them (`go print NAME --deref 2
--json`, all elements) in GDB, LLDB and standalone; the values are compared
as far as both show them (harness.checks.delve_values), and the names with
`go locals --json`.

Known, explained differences are listed in delve_known_differences.json
beside this file (program, variable, toolchains as a regular expression,
optionally debuggers, and the reason). The test fails on a difference not
listed, and on a listed one that no longer occurs, so the list stays true."""

from __future__ import annotations

import json
import os
import re

import pytest

from harness import delve
from harness.checks.delve_values import differences
from harness.runner import core_session, produce_core
from harness.session import run_session
from harness.toolchains import selected

KNOWN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "delve_known_differences.json")
DEBUGGERS = ("gdb", "lldb", "standalone")
GOID = 1  # every fixture stops in its main goroutine


_cores: dict = {}
_delve: dict = {}


@pytest.fixture(scope="module", autouse=True)
def _remove_cores():
    """Cores are large (tens of MB each): gone once the module's tests ran."""
    yield
    for _, core in _cores.values():
        if os.path.exists(core):
            os.unlink(core)


def fixture_core(fixture: delve.Fixture, tc, tmp_path_factory) -> tuple[str, str]:
    """(binary, core) of a fixture stopped at its first runtime.Breakpoint,
    made once per toolchain for every debugger."""
    key = (fixture.program, tc.name)
    if key not in _cores:
        binary = delve.build_fixture(fixture, tc)
        work = str(tmp_path_factory.mktemp(f"delve-{fixture.program}-{tc.name}"))
        _cores[key] = (binary, produce_core(binary, work, {}))
    return _cores[key]


def delve_values(fixture: delve.Fixture, tc, binary: str, core: str) -> tuple[list[dict], dict]:
    """Delve's variables and expression values (harness.delve.delve_values),
    once per toolchain."""
    key = (fixture.program, tc.name)
    if key not in _delve:
        _delve[key] = delve.delve_values(binary, core, fixture, GOID)
    return _delve[key]


def compared_names(variables: list[dict]) -> list[str]:
    """Delve's variables gomapdbg can name: not shadowed (flag 2), not the
    compiler's temporaries (.autotmp_N) or results (~r0)."""
    return [v["name"] for v in variables if not v["flags"] & 2 and v["name"][:1] not in (".", "~")]


def gomapdbg_outputs(debugger, tc, binary, core, workdir, commands) -> list[str]:
    truth = os.path.join(workdir, "truth.txt")
    open(truth, "w").close()  # the fixtures write no truth
    session = core_session(tc, binary, core, truth, commands)
    outputs, _ = run_session(debugger, session, workdir)
    return outputs


def frame_number(debugger, tc, binary, core, workdir, function) -> int:
    """The number `go bt` gives the innermost frame of `function` (or of an
    instantiation of it, main.testfn[...])."""
    (out,) = gomapdbg_outputs(debugger, tc, binary, core, workdir, [f"go bt {GOID} --json"])
    frames = json.loads(out)["frames"]
    for i, frame in enumerate(frames):
        if frame["function"] == function or frame["function"].startswith(function + "["):
            return i
    raise AssertionError(f"go bt {GOID} shows no frame of {function}: {[f['function'] for f in frames]}")


def fixture_differences(fixture, tc, debugger, tmp_path_factory) -> dict[str, list[str]]:
    """Each variable's differences between Delve and gomapdbg (the variable
    name first in each): values, and names only one of them lists."""
    binary, core = fixture_core(fixture, tc, tmp_path_factory)
    theirs, their_expressions = delve_values(fixture, tc, binary, core)
    names = compared_names(theirs)
    workdir = str(tmp_path_factory.mktemp(f"delve-{fixture.program}-{tc.name}-{debugger}"))
    frame = frame_number(debugger, tc, binary, core, workdir, fixture.function)
    where = f"-g {GOID} -f {frame}"
    commands = [f"go locals {where} --json"]
    commands += [f"go print {name} {where} --deref 2 --max-elements 0 --json" for name in names]
    commands += [f"go print {e} {where} --deref 2 --max-elements 0 --json" for e in fixture.expressions]
    outputs = gomapdbg_outputs(debugger, tc, binary, core, workdir, commands)
    found: dict[str, list[str]] = {}
    ours_names = _locals_names(outputs[0], found)
    for name in set(ours_names) - set(v["name"] for v in theirs):
        found.setdefault(name, []).append(f"{name}: gomapdbg lists it, Delve does not (not in scope there)")
    by_name = {v["name"]: v for v in theirs if not v["flags"] & 2}
    values = {**by_name, **their_expressions}
    for name, output in zip(names + list(fixture.expressions), outputs[1:]):
        diffs = _value_differences(values[name], output, name)
        if diffs:
            found.setdefault(name, []).extend(diffs)
    return found


def _value_differences(theirs: dict, output: str, name: str) -> list[str]:
    """Delve's value (or its error) against `go print NAME --json`'s output
    (or its error): an error on both sides agrees."""
    try:
        ours = json.loads(output)["value"]
    except (json.JSONDecodeError, KeyError):
        if "error" in theirs:
            return []
        return [f"{name}: gomapdbg: {output.strip()[:200]}"]
    if "error" in theirs:
        return [f"{name}: Delve: {theirs['error']}; gomapdbg shows {str(ours)[:120]}"]
    return differences(theirs, ours, name)


def _locals_names(output: str, found: dict) -> list[str]:
    try:
        listing = json.loads(output)
    except json.JSONDecodeError:
        found.setdefault("(go locals)", []).append(f"go locals: {output.strip()[:200]}")
        return []
    return [v["name"] for v in listing["variables"]] + [v["name"] for v in listing["unavailable"]]


def known_differences() -> list[dict]:
    with open(KNOWN, encoding="utf-8") as f:
        return json.load(f)


def applies(entry: dict, program: str, tc, debugger: str) -> bool:
    return (
        entry["program"] == program
        and re.fullmatch(entry["toolchains"], tc.name) is not None
        and debugger in entry.get("debuggers", DEBUGGERS)
    )


@pytest.mark.parametrize(
    "tc, debugger",
    [pytest.param(tc, d, id=f"{tc.name}-{d}") for tc in selected() for d in DEBUGGERS],
)
def test_values_agree_with_delve(tc, debugger, tmp_path_factory):
    delve.install()
    problems = []
    for fixture in delve.FIXTURES:
        found = fixture_differences(fixture, tc, debugger, tmp_path_factory)
        listed = [e for e in known_differences() if applies(e, fixture.program, tc, debugger)]
        explained = {e["variable"] for e in listed}
        for name, diffs in sorted(found.items()):
            if name not in explained:
                problems += [f"{fixture.program}: {d}" for d in diffs]
        for entry in listed:
            if entry["variable"] not in found:
                problems.append(
                    f"{fixture.program}: {entry['variable']}: listed as a known difference "
                    f"({entry['reason']}) but gomapdbg and Delve agree now: remove it from {KNOWN}"
                )
    assert not problems, f"{len(problems)} difference(s) with Delve {delve.VERSION}:\n" + "\n".join(problems)
