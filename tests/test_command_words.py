"""How a `go` command's argument line splits into words (what GDB and LLDB
hand over raw, and the standalone CLI rebuilds from argv): as a shell
splits it, except inside an expression's brackets and braces, where Go's
own quotes and spaces belong to the expression. The expected words are
Go's and the shell's rules, written out."""

from __future__ import annotations

import os
import shlex
import sys

import pytest

from harness.toolchains import REPO

sys.path.insert(0, os.path.join(REPO, "core", "python"))
from gomapdbg.arguments import command_words  # noqa: E402

CASES = [
    # A struct key with a quoted string keeps its quotes and its space.
    ('m5[main.C{s: "x y"}] --json', ['m5[main.C{s: "x y"}]', "--json"]),
    # A string key: quoted or not, as typed.
    ('nested["eu"][0]', ['nested["eu"][0]']),
    ("nested[eu]", ["nested[eu]"]),
    # A ']' inside a Go string does not close the index.
    ('m["a]b"] --deref 1', ['m["a]b"]', "--deref", "1"]),
    ("m[`raw ]`]", ["m[`raw ]`]"]),
    ("m['x']", ["m['x']"]),
    ("boxed.(map[string]int)", ["boxed.(map[string]int)"]),
]

# Outside brackets, the shell's rules: shlex is the reference.
SHELL_CASES = [
    'm --key "a b"',
    # An open parenthesis (a --func regex) does not hold the rest of the line.
    "--func (handle --json",
    "--type 'map[string]int' 0xc000010000",
    "'gNested[\"two\"][0]' --deref 1",
    r"a\ b c",
    '"say \\"hi\\"" x',
]


@pytest.mark.parametrize("line, words", CASES, ids=[c[0] for c in CASES])
def test_expressions_keep_what_is_inside_their_brackets(line, words):
    assert command_words(line) == words


@pytest.mark.parametrize("line", SHELL_CASES)
def test_elsewhere_words_split_as_a_shell_splits_them(line):
    assert command_words(line) == shlex.split(line)


def test_an_unclosed_quote_is_an_error():
    with pytest.raises(ValueError):
        command_words('m --key "a b')
