"""Imports the compiled core with a one-line, actionable error."""

from __future__ import annotations

import os
import sys

_REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
_BUILD = os.environ.get("GOMAPDBG_BUILD", os.path.join(_REPO, "build", "python"))
if _BUILD not in sys.path:
    sys.path.insert(0, _BUILD)

try:
    import gomapdbg_core as core  # noqa: E402
except ImportError as e:  # pragma: no cover - exercised by the load-error test
    raise ImportError(
        f"gomapdbg: cannot load the C++ core from {_BUILD} for Python "
        f"{sys.version_info.major}.{sys.version_info.minor} ({e}); run scripts/setup"
    ) from e
