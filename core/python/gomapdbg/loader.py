"""Imports the compiled core with a one-line, actionable error."""

from __future__ import annotations

import glob
import os
import re
import sys

from gomapdbg.installation import MODULE_DIR as _BUILD, REPAIR

if _BUILD not in sys.path:
    sys.path.insert(0, _BUILD)


def _other_python_modules() -> list[str]:
    """Core modules in the build folder that this Python cannot import by
    name: built for another Python (gomapdbg_core.cpython-39-....so)."""
    ours = sys.implementation.cache_tag  # "cpython-311"
    found = glob.glob(os.path.join(_BUILD, "gomapdbg_core.*-*.so"))
    return sorted(os.path.basename(p) for p in found if f".{ours}-" not in os.path.basename(p))


def _load_error(e: ImportError) -> str:
    here = f"Python {sys.version_info.major}.{sys.version_info.minor}"
    others = _other_python_modules()
    if isinstance(e, ModuleNotFoundError) and others:
        tags = [re.search(r"cpython-(\d)(\d+)", o) for o in others]
        built = (
            ", ".join(sorted({f"Python {m.group(1)}.{m.group(2)}" for m in tags if m})) or "another Python"
        )
        return (
            f"gomapdbg: the C++ core in {_BUILD} was built for {built} ({others[0]}), "
            f"but this debugger embeds {here}: {REPAIR} to rebuild it for {here}"
        )
    return f"gomapdbg: cannot load the C++ core from {_BUILD} for {here} ({e}); {REPAIR}"


try:
    import gomapdbg_core as core  # noqa: E402
except ImportError as e:  # pragma: no cover - exercised by the load-error tests
    raise ImportError(_load_error(e)) from e
