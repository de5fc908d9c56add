"""argparse types of the `go` commands' numbers: checked here, so the core
never sees a negative count or one it cannot hold; and what an argument's
values complete from."""

from __future__ import annotations

import argparse
import re

# Brackets that hold Go text (index keys, composite literals); not
# parentheses, which a --func regex may leave open.
_OPENING = {"[": "]", "{": "}"}

# The largest count the core takes (an int64); more is refused, not wrapped.
_MAX_COUNT = 2**63 - 1


def count(text: str) -> int:
    """An argparse type: a whole number from 0 (entries, pointer levels, writes)."""
    try:
        value = int(text, 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"'{text}' is negative (0 or more)")
    if value > _MAX_COUNT:
        raise argparse.ArgumentTypeError(f"'{text}' is too large (at most {_MAX_COUNT})")
    return value


def goroutine_id(text: str) -> int:
    """An argparse type: a goroutine id, 1 or more."""
    value = count(text)
    if value == 0:
        raise argparse.ArgumentTypeError("'0' is not a goroutine id (they start at 1)")
    return value


def add_value_caps(parser: argparse.ArgumentParser) -> None:
    """--max-elements, --max-string, --max-depth: how much of each value is
    shown (0 = all of it; see value_caps)."""
    from gomapdbg.loader import core

    default = core.DEFAULT_VALUE_CAPS
    group = parser.add_argument_group("how much of each value is shown (0 = unlimited)")
    for option, what in (
        ("max_elements", "elements of an array, slice or nested map"),
        ("max_string", "bytes of a string"),
        ("max_depth", "levels of nested values followed"),
    ):
        flag = "--" + option.replace("_", "-")
        group.add_argument(flag, type=count, metavar="N", help=f"{what} (default {default[option]})")


def value_caps(args: argparse.Namespace):
    """The core's ValueCaps of add_value_caps's options (None keeps a default)."""
    from gomapdbg.loader import core

    return core.ValueCaps(
        max_elements=args.max_elements, max_string=args.max_string, max_depth=args.max_depth
    )


# What an argument's values complete from (gomapdbg.completion): a frame's
# variables and the globals, the goroutine ids, a goroutine's frames (their
# numbers and functions), the Go type names (map types first), or the
# statuses and wait reasons.
VARIABLE_NAMES = "variables"
GOROUTINE_IDS = "goroutines"
GOROUTINE_FRAMES = "frames"
TYPE_NAMES = "types"
MAP_TYPE_NAMES = "map types"
GOROUTINE_STATES = "states"


def completes(action: argparse.Action, source: str, *words: str) -> argparse.Action:
    """Marks an argparse argument: its values complete from `source`
    (VARIABLE_NAMES, GOROUTINE_IDS, ...) and these literal words."""
    action.completes = (source, words)
    return action


def command_words(text: str) -> list[str]:
    """The words of a command's argument line as a shell splits them (quotes
    and backslashes), except inside the brackets and braces of an
    expression, where everything stays as typed: Go's own quotes
    (`m["k"]`, `m5[main.C{s: "x y"}]`) belong to the expression, and a
    space there does not end the word. Raises ValueError for an unclosed
    quote, as shlex does."""
    words: list[str] = []
    word: str | None = None
    closers: list[str] = []  # the brackets open at this point, innermost last
    i = 0
    while i < len(text):
        ch = text[i]
        if closers:
            end = _go_literal_end(text, i) if ch in "\"'`" else i + 1
            if ch == closers[-1]:
                closers.pop()
            elif ch in _OPENING:
                closers.append(_OPENING[ch])
            word += text[i:end]
            i = end
            continue
        if ch.isspace():
            if word is not None:
                words.append(word)
            word = None
        elif ch in "'\"":
            close = text.find(ch, i + 1) if ch == "'" else _shell_double_quote_end(text, i)
            if close < 0:
                raise ValueError("No closing quotation")
            inner = text[i + 1 : close]
            word = (word or "") + (inner if ch == "'" else re.sub(r'\\([\\"$`])', r"\1", inner))
            i = close
        elif ch == "\\" and i + 1 < len(text):
            word = (word or "") + text[i + 1]
            i += 1
        else:
            word = (word or "") + ch
            if ch in _OPENING:
                closers.append(_OPENING[ch])
        i += 1
    if word is not None:
        words.append(word)
    return words


def _shell_double_quote_end(text: str, start: int) -> int:
    """Where the double-quoted shell word opened at `start` closes (-1: never)."""
    i = start + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == '"':
            return i
        i += 1
    return -1


def _go_literal_end(text: str, start: int) -> int:
    """The index after the Go string, rune or raw string literal opened at
    `start` (the end of `text` when it is not closed)."""
    quote = text[start]
    i = start + 1
    while i < len(text):
        if text[i] == "\\" and quote != "`":
            i += 2
            continue
        if text[i] == quote:
            return i + 1
        i += 1
    return len(text)
