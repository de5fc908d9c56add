"""The runtime-gdb.py a Go executable asks GDB to auto-load.

The Go linker names $GOROOT/src/runtime/runtime-gdb.py in the executable's
.debug_gdb_scripts section. GDB loads it only from its auto-load safe-path
(and otherwise prints a ten-line warning); loaded, its map printer sits on
the objfile and so wins over gomapdbg's global one. Read here from the ELF
section headers alone, for GDB's front end, which declines the script."""

from __future__ import annotations

import struct

_SCRIPT = b"/src/runtime/runtime-gdb.py"


def named_script(path: str) -> str | None:
    """The Go runtime-gdb.py that ELF64 file `path` names, or None (not an
    ELF64 file, no .debug_gdb_scripts section, or no Go script in it)."""
    try:
        with open(path, "rb") as f:
            section = _section(f, b".debug_gdb_scripts")
    except (OSError, ValueError, struct.error):
        return None
    for entry in (section or b"").split(b"\0"):
        if entry.endswith(_SCRIPT):
            return entry[1:].decode(errors="replace")  # after the kind byte (1: a Python file)
    return None


def _section(f, name: bytes) -> bytes | None:
    header = f.read(64)
    if header[:5] != b"\x7fELF\x02" or header[5] != 1:  # ELF64, little-endian
        return None
    (shoff,) = struct.unpack_from("<Q", header, 40)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", header, 58)
    f.seek(shoff)
    table = f.read(shentsize * shnum)
    # (name offset, file offset, size) of each section
    sections = [struct.unpack_from("<I20xQQ", table, i * shentsize) for i in range(shnum)]
    _, names_at, names_size = sections[shstrndx]
    f.seek(names_at)
    names = f.read(names_size)
    for name_at, offset, size in sections:
        if names[name_at : names.index(b"\0", name_at)] == name:
            f.seek(offset)
            return f.read(size)
    return None
