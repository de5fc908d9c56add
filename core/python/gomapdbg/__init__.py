"""gomapdbg: Go map and runtime forensics for GDB and LLDB.

This package is the layer both debugger front ends share: command parsing,
choosing where memory comes from, and error reporting. The Go-specific work
is in the C++ core (module gomapdbg_core); the front ends in gdb/ and lldb/
only adapt their debugger to the `Debugger` interface.
"""

from gomapdbg.debugger import DebugFile, Debugger, FrameInfo, ThreadInfo  # noqa: F401
