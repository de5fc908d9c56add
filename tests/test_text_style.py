"""Colour and width of text output (issue #17), in GDB, LLDB and the
standalone tool on a terminal (a pseudo-terminal), on a core of
testprogs/basic_maps; in GDB and LLDB also live, stopped at its breakpoint,
and at the `go catch` stop of testprogs/crash_writers.

Colour follows GDB's default styles (`show style`): function names yellow
(SGR 33), addresses blue (34), file:line green (32); the report's verdict bold
red (1;31). It is on only when the debugger colours its own output on a
terminal, never with NO_COLOR, never in JSON. Lines break at the terminal's
width at spaces, never inside a word; without a terminal nothing changes."""

import re

import pytest

from harness.runner import core_session, crash_core, live_session
from harness.session import SessionSpec, run_session
from harness.terminal import run_session_on_terminal
from harness.toolchains import selected

FRONT_ENDS = ("gdb", "lldb", "standalone")
COMMANDS = [
    "go bt",
    "go goroutines -t",
    "go info",
    "go map int64Str9 --buckets --all",
    "go report",
    "go bt --json",
    "go map int64Str9 --json",
]
WIDE = 1000  # columns: no line breaks
SGR = re.compile("\x1b\\[[0-9;]*m")
YELLOW, BLUE, BOLD_RED, RESET = "\x1b[33m", "\x1b[34m", "\x1b[1;31m", "\x1b[m"
# What each debugger is told first: colour its own output, and how wide.
COLOUR_ON = {"gdb": ["set style enabled on"], "lldb": ["settings set use-color true"], "standalone": []}
COLOUR_OFF = {"gdb": ["set style enabled off"], "lldb": ["settings set use-color false"]}


def width_setup(front_end: str, columns: int) -> list[str]:
    if front_end == "gdb":
        return [f"set width {columns}"]
    if front_end == "lldb":
        return [f"settings set term-width {columns}"]
    return []


@pytest.fixture(scope="module", params=selected(), ids=lambda t: t.name)
def crash(request, tmp_path_factory):
    return request.param, crash_core("basic_maps", request.param, tmp_path_factory)


def spec_for(crash, early_setup=()) -> SessionSpec:
    toolchain, (binary, core, truth) = crash
    return core_session(toolchain, binary, core, truth, COMMANDS, early_setup=list(early_setup))


@pytest.fixture(scope="module")
def plain(crash, tmp_path_factory):
    """Each front end's output with no terminal: what the other tests check."""
    outputs = {}
    for front_end in FRONT_ENDS:
        work = tmp_path_factory.mktemp(f"plain-{front_end}")
        outputs[front_end], _ = run_session(front_end, spec_for(crash), str(work))
    return outputs


def on_terminal(front_end, crash, tmp_path, columns, setup=(), env=None):
    work = tmp_path / f"{front_end}-{len(list(tmp_path.iterdir()))}"
    work.mkdir()
    setup = list(setup) if front_end != "standalone" else []
    spec = spec_for(crash, setup + width_setup(front_end, columns))
    return run_session_on_terminal(front_end, spec, str(work), columns, env)


@pytest.mark.parametrize("front_end", FRONT_ENDS)
def test_colour_marks_functions_addresses_and_the_verdict(front_end, crash, plain, tmp_path):
    out = on_terminal(front_end, crash, tmp_path, WIDE, COLOUR_ON[front_end], {"NO_COLOR": None})
    bt, report = out[COMMANDS.index("go bt")], out[COMMANDS.index("go report")]
    assert f"{YELLOW}main.main{RESET}" in bt, bt  # the program's own function
    assert re.search(re.escape(BLUE) + "0x[0-9a-f]{16}" + re.escape(RESET), bt), bt
    assert re.search(
        "^verdict: " + re.escape(BOLD_RED) + "[^\x1b]+" + re.escape(RESET) + "$", report, re.M
    ), report
    for i, command in enumerate(COMMANDS):
        if "--json" in command:
            assert out[i] == plain[front_end][i], f"{command}: JSON is never coloured"
        else:
            assert SGR.sub("", out[i]) == plain[front_end][i], f"{command}: colour changed the text"


@pytest.mark.parametrize("front_end", FRONT_ENDS)
def test_no_color_gives_the_plain_output(front_end, crash, plain, tmp_path):
    out = on_terminal(front_end, crash, tmp_path, WIDE, COLOUR_ON[front_end], {"NO_COLOR": ""})
    assert out == plain[front_end]


@pytest.mark.parametrize("front_end", ("gdb", "lldb"))
def test_the_debuggers_colour_setting_off_gives_the_plain_output(front_end, crash, plain, tmp_path):
    out = on_terminal(front_end, crash, tmp_path, WIDE, COLOUR_OFF[front_end], {"NO_COLOR": None})
    assert out == plain[front_end]


def columns(line: str) -> int:
    return len(SGR.sub("", line))


@pytest.mark.parametrize("front_end", FRONT_ENDS)
def test_lines_break_at_80_columns_between_words(front_end, crash, plain, tmp_path):
    out = on_terminal(front_end, crash, tmp_path, 80, (), {"NO_COLOR": "1"})
    for i, command in enumerate(COMMANDS[:4]):
        too_wide = [line for line in out[i].splitlines() if columns(line) > 80 and " " in line.strip()]
        assert not too_wide, f"{command}: lines wider than 80 columns:\n" + "\n".join(too_wide)
        assert out[i].split() == plain[front_end][i].split(), f"{command}: breaking lines changed the words"
    assert any(columns(line) > 80 for line in plain[front_end][0].splitlines()), "go bt: nothing to break"


# Live: the views that show addresses and positions, coloured, then the same
# commands again in the same session after NO_COLOR is set.
LIVE_COMMANDS = [
    "go bt",
    "go goroutine 1",
    "go threads",
    "go map int64Str1000 --buckets",
    "go report",
    "go locals --frame main.inspect",
]
CATCH_COMMANDS = ["go report", "go bt", "go threads"]
SET_NO_COLOR = {
    "gdb": "python import os; os.environ['NO_COLOR'] = '1'",
    "lldb": "script import os; os.environ['NO_COLOR'] = '1'",
}
GREEN = "\x1b[32m"
ADDRESS = re.compile(r"0x[0-9a-f]{6,}")
FILE_LINE = re.compile(r"[\w./@+-]+\.(?:go|s):\d+")
# Hex left plain: a key's hash and the map's hash seed are numbers; a
# pointer inside a Go value, (*T)(0xc000012345), is Go syntax, as `go print`
# and `go locals` print every value.
NOT_AN_ADDRESS = re.compile(r"(?:hash |hash0=|seed=|\)\()(0x[0-9a-f]+)")


def coloured_then_plain(front_end, session, tmp_path):
    """Each command's output coloured, and its output with NO_COLOR set,
    in one session on a terminal."""
    commands = list(session.commands)
    session.commands = commands + [SET_NO_COLOR[front_end]] + commands
    session.early_setup = COLOUR_ON[front_end] + width_setup(front_end, WIDE)
    out = run_session_on_terminal(front_end, session, str(tmp_path), WIDE, {"NO_COLOR": None})
    return out[: len(commands)], out[len(commands) + 1 :]


def colour_of_each_character(text: str) -> tuple[str, list[str]]:
    """TEXT without its SGR sequences, and the one in effect at each character."""
    plain, colours, current, at = [], [], "", 0
    for m in SGR.finditer(text + RESET):
        plain.append(text[at : m.start()])
        colours += [current] * (m.start() - at)
        current = "" if m.group() == RESET else m.group()
        at = m.end()
    return "".join(plain), colours


def unmarked(command: str, coloured: str) -> list[str]:
    """Addresses outside an address span and FILE.go:LINE outside a file
    span. The verdict is one span (its map address is verdict-coloured)."""
    text, colours = colour_of_each_character(coloured)
    not_addresses = {m.start(1) for m in NOT_AN_ADDRESS.finditer(text)}
    wrong = []
    for pattern, colour in ((ADDRESS, BLUE), (FILE_LINE, GREEN)):
        for m in pattern.finditer(text):
            line = text[text.rfind("\n", 0, m.start()) + 1 : text.find("\n", m.start())]
            expected = "" if m.start() in not_addresses else colour
            if line.startswith("verdict: "):
                expected = BOLD_RED
            if set(colours[m.start() : m.end()]) != {expected}:
                wrong.append(f"{command}: {m.group()!r} not {expected!r} in: {line}")
    return wrong


def check_colour(commands, coloured, plain):
    for command, out, expected in zip(commands, coloured, plain):
        assert SGR.sub("", out) == expected, f"{command}: colour changed the text"
        assert out != expected, f"{command}: nothing coloured"
    wrong = [w for command, out in zip(commands, coloured) for w in unmarked(command, out)]
    assert not wrong, "\n".join(wrong[:20])


@pytest.mark.parametrize("front_end", ("gdb", "lldb"))
@pytest.mark.parametrize("toolchain", selected(), ids=lambda t: t.name)
def test_live_at_a_breakpoint_every_address_and_position_is_coloured(front_end, toolchain, tmp_path):
    session = live_session("basic_maps", toolchain, str(tmp_path), LIVE_COMMANDS)
    coloured, plain = coloured_then_plain(front_end, session, tmp_path)
    check_colour(LIVE_COMMANDS, coloured, plain)
    bt, report, frame = coloured[0], coloured[4], coloured[5].splitlines()[0]
    assert f"{YELLOW}main.main{RESET}" in bt, bt
    assert re.fullmatch(
        f"goroutine 1, frame \\d+: {re.escape(YELLOW)}main.inspect{re.escape(RESET)} at .+", frame
    )
    assert re.search("^verdict: " + re.escape(BOLD_RED) + "[^\x1b]+" + re.escape(RESET) + "$", report, re.M)


@pytest.mark.parametrize("front_end", ("gdb", "lldb"))
@pytest.mark.parametrize("toolchain", selected(), ids=lambda t: t.name)
def test_at_the_catch_every_address_and_position_is_coloured(front_end, toolchain, tmp_path):
    session = live_session("crash_writers", toolchain, str(tmp_path), CATCH_COMMANDS, GOMAPDBG_CASE="fast64")
    coloured, plain = coloured_then_plain(front_end, session, tmp_path)
    check_colour(CATCH_COMMANDS, coloured, plain)
    report = coloured[0]
    assert re.search(
        "^verdict: " + re.escape(BOLD_RED) + "concurrent map writes[^\x1b]+" + re.escape(RESET) + "$",
        report,
        re.M,
    ), report
    assert re.search(re.escape(YELLOW) + r"main\.\w+" + re.escape(RESET), report), report
