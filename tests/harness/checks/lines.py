"""Checks on the lines of a command's output: `check:` patterns in order,
and `check-error:` (one error line, no traceback)."""

from __future__ import annotations

import re


def _pattern(text: str) -> re.Pattern:
    return re.compile(".*".join(re.escape(part) for part in text.split("[...]")))


def check_lines(output: str, patterns: list[str]) -> list[str]:
    """Each pattern must match a whole output line, in order."""
    lines = [line.strip() for line in output.splitlines()]
    failures = []
    at = 0
    for text in patterns:
        pat = _pattern(text.strip())
        for i in range(at, len(lines)):
            if pat.fullmatch(lines[i]):
                at = i + 1
                break
        else:
            failures.append(f"no line matching {text!r} (after line {at})")
    return failures


def check_error(output: str, text: str) -> list[str]:
    errors = [line for line in output.splitlines() if line.startswith("error:")]
    if len(errors) != 1:
        return [f"expected exactly one error line containing {text!r}, got {errors!r}"]
    if not _pattern(text).search(errors[0]):
        return [f"error line {errors[0]!r} does not contain {text!r}"]
    if "Traceback" in output:
        return ["a Python traceback reached the user"]
    return []
