"""gomapdbg: Go map and runtime forensics for GDB and LLDB.

This package is the layer both debugger front ends share: command parsing,
choosing where memory comes from, and error reporting. The Go-specific work
is in the C++ core (module gomapdbg_core); the front ends in gdb/ and lldb/
only adapt their debugger to the `Debugger` interface.

Modules import only from layers below them (tests/test_style.py checks
there is no cycle): debugger and loader (the core bindings) <- model helpers
(catch, watch, target, compressed) <- commands <- front ends (standalone,
gdb/, lldb/).
"""

from gomapdbg.debugger import DebugFile, Debugger, FrameInfo, ThreadInfo  # noqa: F401
