import dataclasses
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness.toolchains import Toolchain, selected, selected_arm64  # noqa: E402


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


# First, so that pytest-xdist's own hook sees the xdist_group marks.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """GOMAPDBG_TOOLCHAINS restricts every test: an item whose parameters
    name a toolchain left out is deselected (not skipped), so a restricted
    run neither builds nor reports it."""
    allowed = set(selected()) | set(selected_arm64())
    keep, drop = [], []
    for item in items:
        params = getattr(item, "callspec", None)
        used = set(toolchains_in(list(params.params.values()))) if params else set()
        (keep if used <= allowed else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
    for item in items:
        item.add_marker(pytest.mark.xdist_group(xdist_group(item)))


# Modules whose tests change the machine (dpkg) or share files under build/
# (the benchmark's programs and cores) run on one worker, in one group.
ONE_WORKER_MODULES = {"test_package.py", "test_bench_smoke.py"}


def xdist_group(item) -> str:
    """The group of pytest-xdist workers keep together (scripts/test runs
    `--dist loadgroup`): a module's items of one toolchain, so a cell's
    debugger session, crash cores and module fixtures are made once."""
    module = os.path.basename(item.path)
    if module in ONE_WORKER_MODULES:
        return module
    params = getattr(item, "callspec", None)
    toolchains = sorted({tc.name for tc in toolchains_in(list(params.params.values()))}) if params else []
    return module + ":" + ",".join(toolchains)
