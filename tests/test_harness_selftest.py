"""The harness itself: how a test program's comment directives are read,
and how check lines match output. Every integration test rests on these."""

import os
import re
import subprocess
import sys

import pytest

from harness import checks, programs
from harness.toolchains import ALL

TESTS = os.path.dirname(os.path.abspath(__file__))


@pytest.fixture
def program(tmp_path, monkeypatch):
    """Writes testprogs-like NAME/main.go under a temporary root."""
    monkeypatch.setattr(programs, "TESTPROGS", str(tmp_path))

    def write(source: str) -> programs.ProgramSpec:
        (tmp_path / "p").mkdir()
        (tmp_path / "p" / "main.go").write_text(source)
        return programs.parse_spec("p")

    return write


def test_directives_with_qualifiers(program):
    spec = program(
        "// ldflags: -w\n"
        "// command: go info\n"
        "// check: go version: {version}[...]\n"
        "// gdb-live-command: print 1\n"
        "// check-error: nope\n"
        "// core-classic-command: go map m --buckets\n"
        "// check-buckets: m\n"
        "package main\n"
        "func main() {\n"
        "\tstop() // #break\n"
        "}\n"
    )
    assert spec.ldflags == "-w"
    assert spec.break_line == 10
    assert [c.text for c in spec.commands] == ["go info", "print 1", "go map m --buckets"]
    assert [c.text for c in spec.commands_for("gdb", "live", "swiss")] == ["go info", "print 1"]
    assert [c.text for c in spec.commands_for("lldb", "core", "classic")] == ["go info", "go map m --buckets"]
    assert [c.text for c in spec.commands_for("standalone", "core", "swiss")] == ["go info"]
    assert spec.commands[0].checks == [programs.Check("check", "go version: {version}[...]")]
    assert spec.commands[2].checks == [programs.Check("check-buckets", "m")]


def test_a_check_before_any_command_is_refused(program):
    with pytest.raises(ValueError, match="before any command"):
        program("// check: x\n")


def test_an_unknown_qualifier_is_refused(program):
    with pytest.raises(ValueError, match="unknown directive"):
        program("// remote-command: go info\n")


def test_check_lines_match_whole_lines_in_order_with_wildcards():
    output = "layout: swiss (tables), len 9\n  go version: go1.26.8\nlast line"
    assert checks.check_lines(output, ["layout: swiss ([...]), len 9", "go version: go1.26[...]"]) == []
    # A pattern must match a whole line, not a part of one.
    assert checks.check_lines(output, ["len 9"]) != []
    # Order matters: a line before the previous match does not count.
    assert checks.check_lines(output, ["go version: [...]", "layout: [...]"]) != []
    # Regex characters in the expectation are literal.
    assert checks.check_lines("a.c", ["abc"]) != [] and checks.check_lines("abc", ["a.c"]) != []


def test_check_error_wants_exactly_one_error_line_and_no_traceback():
    assert checks.check_error("error: go map: no variable 'x'", "no variable 'x'") == []
    assert checks.check_error("error: one\nerror: two", "one") != []
    assert checks.check_error("fine", "x") != []
    assert checks.check_error("error: x\nTraceback (most recent call last):", "x") != []


def test_every_documented_check_kind_has_a_check():
    documented = set(re.findall(r"// (check-[a-z-]+):", programs.__doc__))
    assert documented and documented <= set(checks._CHECKS), documented - set(checks._CHECKS)


# A toolchain's cell name in a test id (the longest name first: go1.27.3 is
# a prefix of go1.27.3-splitgroup and of go1.27.3-arm64).
_TOOLCHAIN_IN_ID = re.compile(
    "|".join(re.escape(t.name) for t in sorted(ALL, key=lambda t: -len(t.name))) + r"(?![\w.])"
)


def _collected_toolchains(restriction: str | None) -> set[str]:
    """The toolchain names in the ids of the whole suite, collected with
    GOMAPDBG_TOOLCHAINS=restriction (or unset)."""
    env = dict(os.environ)
    env.pop("GOMAPDBG_TOOLCHAINS", None)
    if restriction:
        env["GOMAPDBG_TOOLCHAINS"] = restriction
    res = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", TESTS],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    ids = [line for line in res.stdout.splitlines() if "::" in line]
    return {m.group(0) for test_id in ids for m in _TOOLCHAIN_IN_ID.finditer(test_id)}


def test_gomapdbg_toolchains_restricts_every_test():
    """With GOMAPDBG_TOOLCHAINS set, no collected test names another
    toolchain (those are deselected, not skipped); unset, every toolchain
    of the matrix, the arm64 ones too, is in some test."""
    assert _collected_toolchains("go1.26") == {"go1.26"}
    assert _collected_toolchains("go1.19,go1.27.3") == {"go1.19", "go1.27.3"}
    assert _collected_toolchains("go1.26-arm64") == {"go1.26-arm64"}
    assert _collected_toolchains(None) == {t.name for t in ALL}


def test_tests_choose_toolchains_by_property_or_name_not_position():
    for name in sorted(os.listdir(TESTS)):
        if name.startswith("test_") and name.endswith(".py"):
            with open(os.path.join(TESTS, name)) as f:
                source = f.read()
            assert not re.search(r"MATRIX\[|selected\(\)\[", source), f"{name} picks a toolchain by position"
