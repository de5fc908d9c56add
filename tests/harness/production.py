"""Builds as production ships them: a stripped program and its debug info
apart, compressed cores, build IDs read by the toolchain's own tools.

A stripped program and its unstripped twin are one build only when the
stripped one is made from the other (strip / objcopy --strip-all, as
packagers and CI do): a second `go build -ldflags='-s -w'` is another build,
with another Go build ID and other addresses (its build settings differ, and
they are in its data).
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess

from harness import programs
from harness.toolchains import Toolchain


def _derive(source: str, target: str, command: list[str]) -> str:
    """Runs command (which writes `target` from `source`) unless `target` is
    newer than `source`."""
    if os.path.exists(target) and os.path.getmtime(target) >= os.path.getmtime(source):
        return target
    partial = target + ".partial"
    subprocess.run(command + [source, partial], check=True, capture_output=True, timeout=300)
    os.replace(partial, target)
    return target


def stripped(binary: str) -> str:
    """`binary` without symbols or DWARF (objcopy --strip-all): the same
    build, the same Go build ID."""
    return _derive(binary, binary + ".stripped", ["objcopy", "--strip-all"])


def debug_only(binary: str) -> str:
    """What objcopy --only-keep-debug keeps of `binary`: DWARF, symbols and
    notes, no code (a distribution's .debug file)."""
    return _derive(binary, binary + ".debug", ["objcopy", "--only-keep-debug"])


def gnu_build_id_ldflags(tc: Toolchain) -> str:
    """Linker flags that give a build of this toolchain a GNU build-id
    (go1.24 and later write one by default, from the Go build ID)."""
    major, minor = (int(x) for x in re.match(r"go(\d+)\.(\d+)", tc.version_prefix).groups())
    if (major, minor) >= (1, 24):
        return ""
    if (major, minor) >= (1, 22):
        return "-B gobuildid"
    return "-B 0x" + hashlib.sha1(tc.name.encode()).hexdigest()


def build_pair(name: str, tc: Toolchain, ldflags: str = "") -> tuple[str, str]:
    """(unstripped, stripped) of one build of testprogs/NAME."""
    unstripped = programs.build(name, tc, ldflags)
    return unstripped, stripped(unstripped)


def go_build_id(tc: Toolchain, path: str) -> str:
    """The Go build ID as `go tool buildid` reads it."""
    out = subprocess.run(
        [tc.go, "tool", "buildid", path],
        env=tc.env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return out.stdout.strip()


def gnu_build_id(path: str) -> str:
    """The GNU build-id as readelf reads it, or ''."""
    out = subprocess.run(["readelf", "-n", path], capture_output=True, text=True, timeout=60, check=True)
    m = re.search(r"Build ID: ([0-9a-f]+)", out.stdout)
    return m.group(1) if m else ""


def build_id_path(directory: str, path: str) -> str:
    """Where GDB and LLDB look for the separate debug file of a program with
    this GNU build-id: DIR/.build-id/xx/yyyy.debug."""
    build_id = gnu_build_id(path)
    if not build_id:
        raise AssertionError(f"{path} has no GNU build-id")
    return os.path.join(directory, ".build-id", build_id[:2], build_id[2:] + ".debug")


# The tools that compress cores as systemd-coredump does (Compress=), each
# writing FILE compressed to stdout.
COMPRESSORS = {
    "zstd": ["zstd", "-q", "-c", "-3"],
    "lz4": ["lz4", "-q", "-c"],
    "xz": ["xz", "-q", "-c", "-1", "-T2"],
}


def compress(tool: str, source: str, target: str) -> str:
    with open(target, "wb") as out:
        subprocess.run(COMPRESSORS[tool] + [source], stdout=out, check=True, timeout=600)
    return target
