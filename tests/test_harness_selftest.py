"""The harness itself: how a test program's comment directives are read,
and how check lines match output. Every integration test rests on these."""

import pytest

from harness import checks, programs


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
