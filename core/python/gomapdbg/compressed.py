"""Compressed core files, as systemd-coredump stores them (.zst by default;
.lz4 and .xz with other Compress= settings): recognised by their magic bytes
(whatever the file is called), decompressed by Debian's own tools (zstd, lz4,
xz-utils), streaming into a sparse temporary file, never into memory (cores
are gigabytes, mostly zeros), and removed when the command is done, also
after an error, Ctrl-C or SIGTERM.

The temporary file goes to $GOMAPDBG_TMPDIR, else $TMPDIR, else /var/tmp
(on disk: /tmp is often a tmpfs in memory), else the system's temporary
directory.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import signal
import subprocess
import sys
import tempfile


class DecompressError(Exception):
    """One line saying why a compressed core could not be decompressed."""


@dataclasses.dataclass(frozen=True)
class Format:
    name: str
    magics: tuple[bytes, ...]
    tool: str
    package: str  # the Debian package with the tool

    def command(self, source: str) -> list[str]:
        """The tool's command line writing the decompressed `source` to stdout;
        sparse output where the tool makes it (runs of zeros become holes)."""
        if self.tool == "zstd":
            return ["zstd", "-d", "-c", "-q", "--sparse", source]
        if self.tool == "lz4":
            return ["lz4", "-d", "-c", "-q", "--sparse", source]
        return [self.tool, "-d", "-c", "-q", source]  # xz and gzip make holes by themselves


FORMATS = (
    # A zstd frame, or a skippable frame before one (0x184D2A50-5F).
    Format(
        "zstd",
        (b"\x28\xb5\x2f\xfd",) + tuple(bytes([n, 0x2A, 0x4D, 0x18]) for n in range(0x50, 0x60)),
        "zstd",
        "zstd",
    ),
    Format("lz4", (b"\x04\x22\x4d\x18", b"\x02\x21\x4c\x18"), "lz4", "lz4"),  # frame, legacy
    Format("xz", (b"\xfd7zXZ\x00",), "xz", "xz-utils"),
    Format("gzip", (b"\x1f\x8b",), "gzip", "gzip"),
)


def detect(path: str) -> Format | None:
    """The compression format of `path` by its first bytes, or None (an ELF
    core, or anything else: the core reader says what is wrong with it)."""
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError:
        return None
    for fmt in FORMATS:
        if any(head.startswith(m) for m in fmt.magics):
            return fmt
    return None


def temporary_directory() -> str:
    for candidate in (os.environ.get("GOMAPDBG_TMPDIR"), os.environ.get("TMPDIR"), "/var/tmp"):
        if candidate and os.path.isdir(candidate) and os.access(candidate, os.W_OK | os.X_OK):
            return candidate
    return tempfile.gettempdir()


@contextlib.contextmanager
def _terminate_as_interrupt():
    """SIGTERM and SIGHUP end the command like Ctrl-C does (so that the
    temporary file goes); the previous handlers come back afterwards."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = {}
    for signum in (signal.SIGTERM, signal.SIGHUP):
        try:
            previous[signum] = signal.signal(signum, interrupt)
        except (ValueError, OSError):  # not the main thread
            pass
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextlib.contextmanager
def decompressed(path: str, log=None):
    """Yields the path of `path` decompressed (or `path` itself when it is
    not compressed). `log(line)` hears where the temporary file is."""
    fmt = detect(path)
    if fmt is None:
        yield path
        return
    if shutil.which(fmt.tool) is None:
        raise DecompressError(
            f"{path} is {fmt.name}-compressed and the {fmt.tool} tool is missing "
            f"(apt-get install {fmt.package})"
        )
    with _terminate_as_interrupt():
        directory = temporary_directory()
        try:
            fd, temporary = tempfile.mkstemp(prefix="gomapdbg-core-", suffix=".core", dir=directory)
        except OSError as e:
            raise DecompressError(f"cannot create a temporary file in {directory}: {e.strerror}") from None
        try:
            if log:
                log(f"gomapdbg: decompressing {path} ({fmt.name}) into {temporary} (removed when done)")
            with os.fdopen(fd, "wb") as out:
                _run(fmt, path, out)
            yield temporary
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _run(fmt: Format, path: str, out) -> None:
    with tempfile.TemporaryFile() as stderr:
        try:
            process = subprocess.Popen(fmt.command(path), stdin=subprocess.DEVNULL, stdout=out, stderr=stderr)
        except OSError as e:
            raise DecompressError(f"cannot run {fmt.tool}: {e.strerror}") from None
        try:
            status = process.wait()
        except BaseException:
            process.kill()
            process.wait()
            raise
        if status != 0:
            stderr.seek(0)
            text = stderr.read().decode(errors="replace")
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            why = lines[-1] if lines else f"exit status {status}"
            raise DecompressError(f"cannot decompress {path} with {fmt.tool}: {why}")


def log_to_stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
