"""Colour and width of a command's text output, decided once per command.

The debugger says whether it colours its own output and how wide its
terminal is (Debugger.use_colour, Debugger.output_width); NO_COLOR (any
value, https://no-color.org) turns colour off everywhere, and --json output
is always plain and unbroken. The core paints and breaks the lines
(core/commands/text_style.h).
"""

from __future__ import annotations

import contextlib

from gomapdbg.debugger import Debugger
from gomapdbg.loader import core


@contextlib.contextmanager
def text_style(dbg: Debugger, plain: bool = False):
    """The core's text output during the block: coloured and broken at the
    width as `dbg` says, or plain (JSON, help)."""
    if plain:
        core.set_text_style(colour=False, width=0)
    else:
        core.set_text_style(colour=dbg.use_colour(), width=dbg.output_width())
    try:
        yield
    finally:
        core.set_text_style(colour=False, width=0)
