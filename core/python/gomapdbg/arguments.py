"""argparse types of the `go` commands' numbers: checked here, so the core
never sees a negative count or one it cannot hold; and what an argument's
values complete from."""

from __future__ import annotations

import argparse

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
