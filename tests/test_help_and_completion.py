"""Help and completion as a user meets them: `help go` and `go` alone list
every command with its one-line summary, `help go NAME` shows all of a
command's options and nothing internal, completion offers options, the
selected frame's variables and the globals, and goroutine ids; what the
line says before the word counts (`-g G -f F` completes that frame's
variables, `--frame` that goroutine's frames), `--type` completes the
binary's Go types (map types for go map), `--status` the statuses and wait
reasons; the standalone CLI's help names it `gomapdbg` and lists only what
works on a core.

Expectations come from the command table (gomapdbg.commands), from the
test program's source (testprogs/basic_maps, stopped live at its #break line
in inspect) and from the Go runtime's source, never from the tool's output.
LLDB 16 has no completion hook for scripted commands' arguments: there,
only the command names complete.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys

import pytest

from harness.runner import live_session
from harness.session import run_session
from harness.toolchains import REPO, distinct, newest, oldest
from harness.truth import read_truth

sys.path.insert(0, os.path.join(REPO, "core", "python"))
from gomapdbg import completion  # noqa: E402
from gomapdbg.commands import COMMANDS  # noqa: E402

TOOLCHAINS = distinct(oldest(), newest())
SOURCE = os.path.join(REPO, "testprogs", "basic_maps", "main.go")
STANDALONE = os.path.join(REPO, "scripts", "gomapdbg")


def visible_options(name: str) -> set[str]:
    """The option strings `go NAME`'s parser shows in its help."""
    parser = COMMANDS[name].parser()
    return {o for a in parser._actions if a.help is not argparse.SUPPRESS for o in a.option_strings}


def hidden_options(name: str) -> set[str]:
    parser = COMMANDS[name].parser()
    return {o for a in parser._actions if a.help is argparse.SUPPRESS for o in a.option_strings}


def inspect_variables() -> set[str]:
    """inspect's parameters and locals, as its source declares them."""
    source = open(SOURCE).read()
    body = source[source.index("func inspect(") :]
    body = body[: body.index("\n}\n")]
    params = re.findall(r"(\w+) [\w\[\]]+[,)]", body.splitlines()[0])
    return set(params) | set(re.findall(r"^\t(\w+) :=", body, re.M))


def main_globals() -> set[str]:
    """The package-level variables of main, as its source declares them."""
    source = open(SOURCE).read()
    block = source[source.index("\nvar (\n") : source.index("\n)\n", source.index("\nvar (\n"))]
    names = set()
    for line in block.splitlines()[1:]:
        names |= set(re.findall(r"\b(\w+)\b", line.split(" map[")[0].split(" = ")[0]))
    return names | set(re.findall(r"^var (\w+)", source, re.M))


def runtime_strings(tc, variable: str) -> list[str]:
    """The strings of the runtime's `var VARIABLE = [...]string{...}`
    (waitReasonStrings, gStatusStrings) in the toolchain's source."""
    folder = os.path.join(tc.goroot, "src", "runtime")
    for name in sorted(os.listdir(folder)):
        source = open(os.path.join(folder, name)).read() if name.endswith(".go") else ""
        start = source.find(f"\nvar {variable} = [...]string{{")
        if start >= 0:
            block = source[start : source.index("\n}", start)]
            return [s for s in re.findall(r':\s*"([^"]*)",', block) if s]
    raise AssertionError(f"no {variable} in {folder}")


def escaped(word: str) -> str:
    """A completed word as the command line needs it: its spaces escaped."""
    return word.replace(" ", "\\ ")


def normalized(text: str) -> str:
    return " ".join(text.split())


HELP_COMMANDS = ["help go", "go"] + [f"help go {name}" for name in COMMANDS]
GDB_COMPLETIONS = {
    "options": "complete go map --",
    "options_of_report": "complete go report --",
    "choices": "complete go catch o",
    "argument": "complete go map ar",
    "local": "complete go print lo",
    "global": "complete go map intInt1",
    "global_with_package": "complete go map main.intInt1",
    # gdb.execute drops a trailing space: each word completed has a start.
    "goroutine": "complete go goroutine {value:goid}",
    "bt": "complete go bt {value:goid}",
    "bt_all": "complete go bt a",
    "goroutine_option": "complete go map -g {value:goid}",
    # The frame the command would read: main.main's (only globals), inspect's.
    "caller_variables": "complete go map -g {value:goid} -f main.main n",
    "frame_variables": "complete go print --goroutine={value:goid} --frame main.inspect lo",
    "numbered_frame_variables": "complete go map -g {value:goid} -f 0 ar",
    "frame_functions": "complete go map -g {value:goid} -f main.",
    "frame_numbers": "complete go locals -g {value:goid} -f 1",
    "map_types": "complete go map 0x1 --type map[int",
    "map_types_first": "complete go map 0x1 --type m",
    "other_types": "complete go map 0x1 --type []in",
    "print_types": "complete go print 0x1 --type []in",
    "statuses": "complete go goroutines --status run",
    "wait_reasons": "complete go goroutines --status ch",
    # No such goroutine, a bad one, no such frame: nothing, and no error.
    "no_goroutine": "complete go map -g 99999999 ar",
    "bad_goroutine": "complete go map -g x ar",
    "no_frame": "complete go map -g {value:goid} -f main.nosuch ar",
}
NAME_COMPLETIONS = {"names": "complete go g", "name": "complete go ma"}


def session(debugger: str, tc, commands: list[str], tmp_path) -> tuple[dict[str, str], object]:
    spec = live_session("basic_maps", tc, str(tmp_path), commands)
    outputs, transcript = run_session(debugger, spec, str(tmp_path))
    assert "Traceback" not in transcript, transcript
    return dict(zip(commands, outputs)), read_truth(spec.truth)


def completions(output: str, command: str, goid: str = "") -> set[str]:
    """The completed words of `complete go NAME ... WORD`: the last word of
    each line ({value:goid} in the command is the program's goroutine)."""
    line = command.removeprefix("complete ").replace("{value:goid}", goid)
    stem = line[: len(line) - len(line.split()[-1])]
    found = set()
    for out in output.splitlines():
        assert out.startswith(stem) and "rror" not in out, (command, output)
        found.add(out[len(stem) :])
    return found


def check_help(out: dict[str, str], debugger: str) -> None:
    listing = normalized(out["help go"])
    for name, command in COMMANDS.items():
        entry = f"go {name} -- {command.summary}" if debugger == "gdb" else f"{name} -- {command.summary}"
        assert entry in listing, (name, out["help go"])
    assert out["go"] == out["help go"]
    for name in COMMANDS:
        text = out[f"help go {name}"]
        assert normalized(COMMANDS[name].summary) in normalized(text), text
        assert f"usage: go {name}" in text, text
        for option in visible_options(name):
            assert re.search(rf"(^|[\s,\[]){re.escape(option)}\b", text), (name, option, text)
        for option in hidden_options(name):
            assert option not in text, (name, option, text)
        assert "%%" not in text and "%(" not in text, text
    assert hidden_options("report") == {"--message"}


def check_names_complete(out: dict[str, str]) -> None:
    names = {n for n in COMMANDS if n.startswith("g")}
    assert completions(out[NAME_COMPLETIONS["names"]], NAME_COMPLETIONS["names"]) == names
    assert completions(out[NAME_COMPLETIONS["name"]], NAME_COMPLETIONS["name"]) == {"map"}


@pytest.mark.parametrize("tc", TOOLCHAINS, ids=lambda t: t.name)
def test_gdb_help_and_completion(tc, tmp_path):
    commands = HELP_COMMANDS + list(NAME_COMPLETIONS.values()) + list(GDB_COMPLETIONS.values())
    out, truth = session("gdb", tc, commands, tmp_path)
    check_help(out, "gdb")
    check_names_complete(out)

    goid = truth.values["goid"]

    def done(key):
        return completions(out[GDB_COMPLETIONS[key]], GDB_COMPLETIONS[key], goid)

    assert done("options") == {o for o in visible_options("map") if o.startswith("--")}
    assert done("options_of_report") == {o for o in visible_options("report") if o.startswith("--")}
    assert done("choices") == {"on", "off"}
    variables = inspect_variables()
    assert {"arg", "n", "local", "t"} <= variables  # what the source parse must find
    assert done("argument") == {v for v in variables if v.startswith("ar")}
    assert done("local") == {v for v in variables if v.startswith("lo")}
    globals_ = {g for g in main_globals() if g.startswith("intInt1")}
    assert globals_ == {"intInt1", "intInt1000", "intInt100000"}  # what the source parse must find
    assert done("global") == globals_
    assert done("global_with_package") == {f"main.{g}" for g in globals_}
    for key in ("goroutine", "bt", "goroutine_option"):
        ids = done(key)
        assert goid in ids and all(i.isdigit() and i.startswith(goid) for i in ids), (key, ids)
    assert done("bt_all") == {"all"}
    check_context_completes(done, tc)


def check_context_completes(done, tc) -> None:
    """Completion after -g/-f, of --frame, --type and --status."""
    assert (
        done("caller_variables") == {g for g in main_globals() if g.startswith("n")} == {"nilMap", "notMap"}
    )
    assert done("frame_variables") == {"local"}
    assert done("numbered_frame_variables") == {"arg"}
    # main calls inspect (noinline), the runtime's main calls main.main.
    assert done("frame_functions") == {"main.inspect", "main.main"}
    assert done("frame_numbers") == {"1"}
    source_maps = {"map[int]int", "map[int64]string"}  # basic_maps' globals
    # also map[interface {}]...: a space, escaped as the command line needs it
    assert source_maps <= done("map_types") and all(t.startswith("map[int") for t in done("map_types"))
    assert source_maps <= done("map_types_first") and all(
        t.startswith("map[") for t in done("map_types_first")
    )
    for key in ("other_types", "print_types"):  # no map type starts so: any type
        assert "[]int" in done(key) and all(t.startswith("[]in") for t in done(key)), (key, done(key))
    states = runtime_strings(tc, "gStatusStrings") + runtime_strings(tc, "waitReasonStrings")
    assert done("statuses") == {s for s in states if s.startswith("run")} == {"runnable", "running"}
    reasons = {escaped(r) for r in runtime_strings(tc, "waitReasonStrings") if r.startswith("ch")}
    assert done("wait_reasons") == reasons and "chan\\ receive" in reasons
    for key in ("no_goroutine", "bad_goroutine", "no_frame"):
        assert done(key) == set(), (key, done(key))


@pytest.mark.parametrize("tc", TOOLCHAINS, ids=lambda t: t.name)
def test_lldb_help_and_command_names_complete(tc, tmp_path):
    out, _ = session("lldb", tc, HELP_COMMANDS + list(NAME_COMPLETIONS.values()), tmp_path)
    check_help(out, "lldb")
    check_names_complete(out)


def standalone(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([STANDALONE, *args], capture_output=True, text=True, timeout=120)


def test_standalone_help_lists_what_works_on_a_core():
    res = standalone("--help")
    assert res.returncode == 0, res.stderr
    listed = {line.split()[0] for line in res.stdout.splitlines() if line.startswith("  ")}
    assert listed == {name for name, c in COMMANDS.items() if not c.live_only}
    assert {"catch", "watch"} <= {name for name, c in COMMANDS.items() if c.live_only}
    for name in listed:
        assert f"{name} {COMMANDS[name].summary}" in normalized(res.stdout), res.stdout


@pytest.mark.parametrize("name", [n for n, c in COMMANDS.items() if not c.live_only])
def test_standalone_command_help_is_printed_once_and_named_gomapdbg(name):
    res = standalone(name, "--help")
    assert res.returncode == 0 and not res.stderr, res.stderr
    files = "BINARY" if name == "info" else "BINARY CORE"
    assert res.stdout.startswith(f"usage: gomapdbg {name} {files} ["), res.stdout
    assert res.stdout.count("usage:") == 1, res.stdout
    assert f"go {name}" not in res.stdout.split("\n\n")[0], res.stdout
    for option in visible_options(name):
        assert option in res.stdout, (option, res.stdout)
    for option in hidden_options(name):
        assert option not in res.stdout, (option, res.stdout)
    assert "--debug-file DEBUG" in res.stdout and "%%" not in res.stdout


@pytest.mark.parametrize("name", [n for n, c in COMMANDS.items() if c.live_only])
def test_standalone_refuses_live_only_commands_in_one_line(name):
    res = standalone(name)
    assert res.returncode == 2 and not res.stdout, res.stdout
    assert res.stderr.strip() == f"gomapdbg {name}: needs a live process: use go {name} in GDB or LLDB"


# Completion's reading of a partial line, without a debugger: the words as
# shlex splits them (an unclosed quote runs to the end), the word being
# completed as typed, and the option values given before it.


class NoDebugger:
    """A front end whose every question fails (a damaged session)."""

    def __getattr__(self, name):
        raise RuntimeError(f"{name}: the debugger is gone")


def test_completion_reads_words_as_the_command_line_splits_them():
    assert completion._tokens("go 'chan r") == ([(0, "go"), (3, "chan r")], False)
    assert completion._tokens("-g 7 -f 2 ") == ([(0, "-g"), (3, "7"), (5, "-f"), (8, "2")], True)
    assert completion._tokens('--status "IO wait" ') == ([(0, "--status"), (9, "IO wait")], True)
    assert completion.last_token("--status 'chan r") == "'chan r"
    assert completion.last_token("--type map[int") == "map[int"
    assert completion.last_token("-g 7 ") == ""
    assert completion._tokens("--status chan\\ r") == ([(0, "--status"), (9, "chan r")], False)


def test_completion_knows_the_option_values_before_the_word():
    parser = COMMANDS["map"].parser()
    given = completion._option_values(parser, ["-g", "7", "--frame=main.f", "--limit", "3", "x"])
    assert given == {"goroutine": "7", "frame": "main.f", "limit": "3"}
    assert completion._option_values(parser, ["--all", "-g"]) == {}  # -g's value is the word itself


def test_completion_spells_a_word_with_a_space_quoted():
    assert completion._spelled("chan receive", "") == "chan\\ receive"
    assert completion._spelled("chan receive", "'") == "'chan receive"
    assert completion._spelled("map[int]int", "") == "map[int]int"


def test_completion_of_options_and_choices_needs_no_debugger():
    def complete(name, text):
        return completion.candidates(NoDebugger(), COMMANDS[name].parser(), text)

    assert complete("map", "-g 7 -f 2 --li") == ["--limit"]
    assert complete("catch", "o") == ["off", "on"]
    assert complete("goroutines", "-t --gr") == ["--group"]  # -t's value is optional


@pytest.mark.parametrize(
    "name, text",
    [
        ("map", "ar"),
        ("map", "-g 7 -f 2 ar"),
        ("map", "-g 7 -f "),
        ("map", "0x1 --type m"),
        ("goroutines", "--status "),
    ],
)
def test_completion_never_fails(name, text):
    """A debugger that fails every question: no candidates, no exception."""
    assert completion.candidates(NoDebugger(), COMMANDS[name].parser(), text) == []
