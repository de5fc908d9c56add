import dataclasses
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness.toolchains import Toolchain, selected  # noqa: E402


def toolchains_in(value, depth: int = 0):
    """The toolchains a test parameter holds: itself, the items of a tuple or
    list, or the fields of a dataclass (a case naming its toolchains)."""
    if isinstance(value, Toolchain):
        yield value
    elif depth > 2:
        return
    elif isinstance(value, (tuple, list)):
        for part in value:
            yield from toolchains_in(part, depth + 1)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from toolchains_in(getattr(value, field.name), depth + 1)


def pytest_collection_modifyitems(config, items):
    """GOMAPDBG_TOOLCHAINS restricts every test: an item whose parameters
    name a toolchain left out is deselected (not skipped), so a restricted
    run neither builds nor reports it."""
    allowed = set(selected())
    keep, drop = [], []
    for item in items:
        params = getattr(item, "callspec", None)
        used = set(toolchains_in(list(params.params.values()))) if params else set()
        (keep if used <= allowed else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
