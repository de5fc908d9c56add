"""gomapdbg's version: project(VERSION) of CMakeLists.txt, compiled into the
core module; in a checkout also `git describe`."""

from __future__ import annotations

import subprocess

from gomapdbg.installation import CHECKOUT, ROOT
from gomapdbg.loader import core


def version() -> str:
    """'gomapdbg 0.1.0', in a checkout with '(git COMMIT[-dirty])'."""
    text = f"gomapdbg {core.__version__}"
    if CHECKOUT:
        described = subprocess.run(
            ["git", "-C", ROOT, "describe", "--always", "--dirty"], capture_output=True, text=True
        )
        if described.returncode == 0:
            text += f" (git {described.stdout.strip()})"
    return text
