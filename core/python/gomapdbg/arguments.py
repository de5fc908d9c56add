"""argparse types of the `go` commands' numbers: checked here, so the core
never sees a negative count or one it cannot hold."""

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
