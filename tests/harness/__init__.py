"""Shared machinery for the integration tests: the Go toolchain matrix,
building test programs, parsing their embedded expectations, running real
GDB and LLDB live and on cores, and comparing with the programs' own truth."""
