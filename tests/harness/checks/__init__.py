"""Compares a command's output with a program's expectations and truth: one
module per kind of output checked, and `evaluate`, which runs the checks a
test program's directives attach to a command (harness/programs.py lists
them)."""

from __future__ import annotations

import dataclasses
from typing import Callable

from harness.checks.blocked import check_blocked_on, check_blocked_on_text
from harness.checks.goroutines import check_crash, check_goroutines, check_groups, check_thread_numbers
from harness.checks.growth import check_growing, check_growth, check_growth_buckets, check_growth_buckets_json
from harness.checks.layout import check_header, check_key_json, check_layout
from harness.checks.lines import check_error, check_lines
from harness.checks.maps import check_buckets, check_entries, check_json_map, check_key, check_map
from harness.checks.report import (
    check_report_caps,
    check_absent,
    check_fatal,
    check_race,
    check_report,
    check_report_text,
    check_watch_summary,
)
from harness.checks.sync_maps import (
    check_sync_buckets,
    check_sync_json_map,
    check_sync_key_json,
    check_sync_print_json,
)
from harness.checks.values import caps_key, check_json, check_value, deref_key
from harness.programs import Check
from harness.truth import Truth

__all__ = ["check_error", "check_goroutines", "check_lines", "check_map", "evaluate"]


@dataclasses.dataclass
class _Context:
    truth: Truth
    layout: str
    fill: Callable[[str], str]  # fills the {templates} of a check's text


def _name_and_key(text: str) -> tuple[str, str]:
    name, _, key = text.strip().partition(" ")
    return name, key


def _growth(output: str, text: str, c: _Context) -> list[str]:
    name, mid = _name_and_key(text)
    return check_growth(output, name, c.layout, mid == "mid-growth")


def _deref(check, output: str, text: str, c: _Context) -> list[str]:
    """check_value or check_json against the truth's value of NAME followed LEVELS pointers deep."""
    name, key = deref_key(text)
    return check(output, name, c.truth, key)


def _caps(check, output: str, text: str, c: _Context) -> list[str]:
    """check_value or check_json against the truth's value of NAME under other caps."""
    name, key = caps_key(text)
    return check(output, name, c.truth, key)


# A check kind -> (output, the directive's text, context) -> failures.
_CHECKS: dict[str, Callable[[str, str, _Context], list[str]]] = {
    "check-map": lambda out, text, c: check_map(out, text.strip(), c.truth, c.layout),
    "check-error": lambda out, text, c: check_error(out, c.fill(text)),
    "check-buckets": lambda out, text, c: check_buckets(out, text.strip(), c.truth),
    "check-entries": lambda out, text, c: check_entries(out, text.strip(), c.truth),
    "check-header": lambda out, text, c: check_header(out, text.strip(), c.truth),
    "check-layout": lambda out, text, c: check_layout(out, text.strip(), c.truth, c.layout),
    "check-key-json": lambda out, text, c: check_key_json(out, *_name_and_key(text), c.truth, c.layout),
    "check-key": lambda out, text, c: check_key(out, *_name_and_key(text), c.truth, c.layout),
    "check-growth": _growth,
    "check-growing": lambda out, text, c: check_growing(out, text.strip()),
    "check-growth-buckets": lambda out, text, c: check_growth_buckets(out, text.strip()),
    "check-growth-buckets-json": lambda out, text, c: check_growth_buckets_json(out, text.strip()),
    "check-goroutines": lambda out, text, c: check_goroutines(out, c.truth),
    "check-crash": lambda out, text, c: check_crash(out, text, c.truth),
    "check-report": lambda out, text, c: check_report(out, c.truth),
    "check-report-text": lambda out, text, c: check_report_text(out, c.truth),
    "check-report-caps": lambda out, text, c: check_report_caps(out, text, c.truth),
    "check-groups": lambda out, text, c: check_groups(out, text.split(), c.truth),
    "check-thread-numbers": lambda out, text, c: check_thread_numbers(out, c.truth),
    "check-blocked-on": lambda out, text, c: check_blocked_on(out, text.strip(), c.truth),
    "check-blocked-on-text": lambda out, text, c: check_blocked_on_text(out, text.strip(), c.truth),
    "check-race": lambda out, text, c: check_race(out, c.truth),
    "check-watch-summary": lambda out, text, c: check_watch_summary(
        out, c.truth, c.fill("{value:write_site}")
    ),
    "check-fatal": lambda out, text, c: check_fatal(out, c.truth),
    "check-absent": lambda out, text, c: check_absent(out, c.fill(text.strip())),
    "check-value": lambda out, text, c: check_value(out, text.strip(), c.truth),
    "check-json": lambda out, text, c: check_json(out, text.strip(), c.truth),
    "check-deref": lambda out, text, c: _deref(check_value, out, text, c),
    "check-json-deref": lambda out, text, c: _deref(check_json, out, text, c),
    "check-caps": lambda out, text, c: _caps(check_value, out, text, c),
    "check-json-caps": lambda out, text, c: _caps(check_json, out, text, c),
    "check-json-map": lambda out, text, c: check_json_map(out, text.strip(), c.truth, c.layout),
    "check-sync-json-map": lambda out, text, c: check_sync_json_map(out, text.strip(), c.truth),
    "check-sync-print-json": lambda out, text, c: check_sync_print_json(out, text, c.truth),
    "check-sync-buckets": lambda out, text, c: check_sync_buckets(out, text.strip(), c.truth),
    "check-sync-key-json": lambda out, text, c: check_sync_key_json(out, text.strip(), c.truth),
}


def evaluate(output: str, checks: list[Check], truth: Truth, layout: str, fill) -> list[str]:
    """What a command's checks find wrong in its output: the plain `check:`
    lines together (in order), then each other check, then any error line no
    `check-error:` expects."""
    failures = []
    plain = [fill(c.text) for c in checks if c.kind == "check"]
    if plain:
        failures += check_lines(output, plain)
    context = _Context(truth, layout, fill)
    for c in checks:
        if c.kind == "check":
            continue
        if c.kind not in _CHECKS:
            raise ValueError(f"unknown check kind {c.kind}")
        failures += _CHECKS[c.kind](output, c.text, context)
    if not any(c.kind == "check-error" for c in checks):
        errors = [line for line in output.splitlines() if line.startswith("error:")]
        if errors:
            failures.append(f"unexpected error: {errors}")
    return failures
