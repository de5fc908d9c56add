"""Completion of `go` command lines, once for every front end.

Given the argument text of `go NAME` up to the cursor, the candidates for
its last word, each a whole word as the command line spells it (a space
escaped, or after the quote the word began with): the parser's options (`--li` -> `--limit`), an
argument's choices (`go catch o` -> `off`, `on`), and what an argument is
marked to complete from (gomapdbg.arguments.completes). What the line says
before the word counts: `go map -g 7 -f 2 ar` completes the variables of
goroutine 7's frame 2, the frame the command would read. Completion never
fails: what cannot be read (no process, a damaged runtime) offers nothing.
"""

from __future__ import annotations

import argparse
import os
import traceback

from gomapdbg.arguments import (
    GOROUTINE_FRAMES,
    GOROUTINE_IDS,
    GOROUTINE_STATES,
    MAP_TYPE_NAMES,
    TYPE_NAMES,
    VARIABLE_NAMES,
    goroutine_id,
)
from gomapdbg.debugger import Debugger
from gomapdbg.loader import core
from gomapdbg.target import make_frame_target, make_target

_QUOTES = "'\""


def candidates(dbg: Debugger, parser: argparse.ArgumentParser, text: str) -> list[str]:
    """Sorted candidates for the last word of `text` (empty after a space)."""
    try:
        return _candidates(dbg, parser, text)
    except Exception:  # noqa: BLE001 - a completion key must never print an error
        if os.environ.get("GOMAPDBG_DEBUG"):
            traceback.print_exc()
        return []


def last_token(text: str) -> str:
    """The last word of `text` as typed (its quotes included); "" after a space."""
    tokens, ended = _tokens(text)
    return "" if ended or not tokens else text[tokens[-1][0] :]


def _candidates(dbg: Debugger, parser: argparse.ArgumentParser, text: str) -> list[str]:
    tokens, ended = _tokens(text)
    words = [word for _, word in tokens]
    if ended:
        words.append("")
    word, before = words[-1], words[:-1]
    action = _option_needing_value(parser, before[-1] if before else None, word)
    if action is None and word.startswith("-"):
        return sorted(o for o in _visible_options(parser) if o.startswith(word))
    if action is None:
        action = _positional_at(parser, before)
    if action is None:
        return []
    values = _values(dbg, action, word, _option_values(parser, before))
    opening = last_token(text)[:1]
    return sorted({_spelled(v, opening) for v in values if v.startswith(word)})


def _tokens(text: str) -> tuple[list[tuple[int, str]], bool]:
    """The words of `text` as shlex splits them, each (where it starts, its
    text without quotes), an unclosed quote running to the end; and whether
    `text` ends between words."""
    tokens: list[tuple[int, str]] = []
    current, start, quote, escaped = None, 0, None, False
    for i, ch in enumerate(text):
        if escaped:
            current += ch
            escaped = False
        elif quote:
            if ch == quote:
                quote = None
            else:
                current += ch
        elif ch.isspace():
            if current is not None:
                tokens.append((start, current))
                current = None
        else:
            if current is None:
                current, start = "", i
            if ch in _QUOTES:
                quote = ch
            elif ch == "\\":
                escaped = True
            else:
                current += ch
    if current is not None:
        tokens.append((start, current))
    return tokens, current is None


def _spelled(value: str, opening: str) -> str:
    """`value` as one word of the command line, beginning as the word typed
    so far does (front ends replace only its end): after the quote it was
    begun with (GDB closes the quote itself), else with its spaces, quotes
    and backslashes escaped."""
    if opening and opening in _QUOTES:
        return opening + value
    return "".join("\\" + c if c.isspace() or c in _QUOTES or c == "\\" else c for c in value)


def _visible_options(parser: argparse.ArgumentParser) -> list[str]:
    """Option strings help shows (internal ones, help=SUPPRESS, are left out)."""
    return [o for a in parser._actions if a.help is not argparse.SUPPRESS for o in a.option_strings]


def _takes_value(action: argparse.Action) -> bool:
    return action.nargs != 0


def _option_needing_value(parser, previous: str | None, word: str) -> argparse.Action | None:
    """The option whose value `word` is (`-g <TAB>`), else None."""
    action = parser._option_string_actions.get(previous) if previous else None
    if action is None or not _takes_value(action):
        return None
    if action.nargs == argparse.OPTIONAL and word.startswith("-"):
        return None  # `-t --json`: the value is optional, this is the next option
    return action


def _option_values(parser, before: list[str]) -> dict[str, str]:
    """The values the options before the word were given, by dest
    (`-g 7 --frame=2` -> goroutine: 7, frame: 2)."""
    values = {}
    for i, w in enumerate(before):
        name, equals, value = w.partition("=") if w.startswith("--") else (w, "", "")
        action = parser._option_string_actions.get(name)
        if action is None or not _takes_value(action):
            continue
        if equals:
            values[action.dest] = value
        elif i + 1 < len(before) and action.nargs != argparse.OPTIONAL:
            values[action.dest] = before[i + 1]
    return values


def _positional_at(parser, before: list[str]) -> argparse.Action | None:
    """The positional argument the next word fills, after the words `before`."""
    filled = 0
    skip_value = False
    for w in before:
        if skip_value:
            skip_value = False
        elif w.startswith("-"):
            action = parser._option_string_actions.get(w)
            skip_value = action is not None and _takes_value(action) and action.nargs != argparse.OPTIONAL
        else:
            filled += 1
    for action in (a for a in parser._actions if not a.option_strings):
        if action.nargs in (argparse.ONE_OR_MORE, argparse.ZERO_OR_MORE):
            return action
        if filled == 0:
            return action
        filled -= 1
    return None


def _values(dbg: Debugger, action: argparse.Action, word: str, given: dict[str, str]) -> list[str]:
    """What the argument can be: its choices, or what it completes from."""
    if action.choices:
        return [str(c) for c in action.choices]
    source, words = getattr(action, "completes", (None, ()))
    try:
        return _from_source(dbg, source, word, given) + list(words)
    except (core.Error, argparse.ArgumentTypeError):
        return list(words)  # nothing to offer (no executable, no DWARF, a damaged runtime)


def _from_source(dbg: Debugger, source: str | None, word: str, given: dict[str, str]) -> list[str]:
    goroutine = goroutine_id(given["goroutine"]) if "goroutine" in given else None
    if source == VARIABLE_NAMES:
        if goroutine is None and "frame" not in given:
            return list(core.variable_names(make_target(dbg, need_process=False), word))
        where = argparse.Namespace(goroutine=goroutine, frame=given.get("frame"))
        target, _ = make_frame_target(dbg, where)  # the frame the command would read
        return list(core.variable_names(target, word))
    if source in (TYPE_NAMES, MAP_TYPE_NAMES):
        target = make_target(dbg, need_process=False)
        maps = core.type_names(target, word, maps_only=True) if source == MAP_TYPE_NAMES else []
        return list(maps or core.type_names(target, word))
    if source == GOROUTINE_STATES:
        return list(core.goroutine_state_names(make_target(dbg, need_process=False)))
    if not dbg.has_process():
        return []
    target = make_target(dbg, need_process=True, need_threads=True, need_frame=False)
    if source == GOROUTINE_IDS:
        return [str(goid) for goid in core.goroutine_ids(target)]
    if source == GOROUTINE_FRAMES:
        functions = core.goroutine_frame_functions(target, goroutine)
        return [str(n) for n in range(len(functions))] + list(functions)
    return []
