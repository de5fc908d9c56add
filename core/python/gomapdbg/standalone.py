"""gomapdbg without a debugger: the same commands on a core file (or on the
executable alone for `info`), with memory and threads read by the C++ core.

    scripts/gomapdbg map BINARY CORE EXPR [--all] [--buckets] [--key K] ...
    scripts/gomapdbg info BINARY
    scripts/gomapdbg report STRIPPED CORE --debug-file UNSTRIPPED

--debug-file (anywhere among the arguments): DWARF and symbols come from this
file of the same build (checked by Go build ID and GNU build-id). A
compressed CORE (zstd, lz4, xz, gzip: by its magic bytes) is decompressed
into a temporary file first (see gomapdbg.compressed).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys

from gomapdbg.debugger import DebugFile, Debugger, FrameInfo


class StandaloneDebugger(Debugger):
    """A core file read directly; no live process, no selected frame."""

    name = "standalone"

    def __init__(self, executable: str, core: str | None, debug_file: str | None = None):
        self._executable = os.path.abspath(executable)
        self._core = os.path.abspath(core) if core else None
        self._debug_file = os.path.abspath(debug_file) if debug_file else None

    def executable(self) -> str | None:
        return self._executable

    def debug_file(self) -> DebugFile | None:
        if self._debug_file is None:
            return None
        return DebugFile(self._debug_file, "given with --debug-file")

    def has_process(self) -> bool:
        return self._core is not None

    def is_core(self) -> bool:
        return self._core is not None

    def core_path(self) -> str | None:
        return self._core

    def reads_core_directly(self) -> bool:
        return True

    def live_pid(self) -> int | None:
        return None

    def read_memory(self, address: int, size: int) -> bytes | None:
        return None  # never used: the core is read by the C++ core

    def selected_frame(self) -> FrameInfo | None:
        return None

    def colours_output(self) -> bool:
        return sys.stdout.isatty()

    def output_width(self) -> int:
        return shutil.get_terminal_size().columns if sys.stdout.isatty() else 0  # COLUMNS first

    def write(self, text: str) -> None:
        sys.stdout.write(text)


def _take_option(argv: list[str], name: str) -> tuple[str | None, str | None]:
    """Removes `NAME VALUE` or `NAME=VALUE` from argv (before a `--`):
    (value, None), (None, None) when absent, or (None, error)."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg.startswith(name + "="):
            del argv[i]
            return arg.split("=", 1)[1], None
        if arg == name:
            if i + 1 >= len(argv):
                return None, f"{name} needs a file"
            value = argv[i + 1]
            del argv[i : i + 2]
            return value, None
    return None, None


def _install_command(argv: list[str]) -> int | None:
    """`gomapdbg --version` and `gomapdbg setup-lldbinit`: about the
    installation, not a program; None for any other command line."""
    from gomapdbg import installation

    if argv == ["--version"]:
        try:
            from gomapdbg.version import version

            print(version())
        except ImportError as e:  # the loader's one-line reason
            print(e, file=sys.stderr)
            return 1
        return 0
    if argv[:1] == ["setup-lldbinit"]:
        if argv[1:]:
            print("gomapdbg setup-lldbinit: takes no arguments", file=sys.stderr)
            return 2
        try:
            print(installation.setup_lldbinit())
        except OSError as e:
            print(f"gomapdbg setup-lldbinit: {e.filename}: {e.strerror}", file=sys.stderr)
            return 1
        return 0
    return None


def _commands() -> dict:
    """The commands that work without a debugger (not those needing a live process)."""
    from gomapdbg.commands import COMMANDS  # after sys.path is set up by the caller

    return {name: c for name, c in COMMANDS.items() if not c.live_only}


def _usage() -> str:
    from gomapdbg.commands import listing

    return (
        "usage: gomapdbg COMMAND BINARY [CORE] [--debug-file DEBUG] [ARGS...]\n\n"
        f"commands (on a core file; info needs only BINARY):\n{listing(list(_commands()))}\n"
        "`gomapdbg COMMAND --help` for each. CORE may be compressed (zstd, lz4, xz, gzip);\n"
        "DEBUG: the unstripped build of a stripped BINARY.\n\n"
        "gomapdbg --version             the installed version\n"
        "gomapdbg setup-lldbinit        add the LLDB plugin's import line to ~/.lldbinit"
    )


def _command_help(name: str) -> str:
    """`go NAME`'s help as `gomapdbg NAME BINARY CORE ...` takes it."""
    parser = _commands()[name].parser()
    files = "BINARY" if name == "info" else "BINARY CORE"
    parser.prog = f"gomapdbg {name} {files}"
    parser.usage = parser.format_usage().removeprefix("usage: ")
    parser.prog = f"gomapdbg {name}"
    group = parser.add_argument_group("files")
    group.add_argument("BINARY", help="the Go executable")
    if name != "info":
        group.add_argument("CORE", help="its core file (may be compressed: zstd, lz4, xz, gzip)")
    group.add_argument("--debug-file", metavar="DEBUG", help="the unstripped build of a stripped BINARY")
    return parser.format_help()


def _executable_refusal(command, argv: list[str]) -> str | None:
    """Why COMMAND cannot work on the BINARY of ARGV at all (its
    executable_check), or None: said before that it needs a debugger."""
    from gomapdbg.loader import core

    binary = next((a for a in argv if not a.startswith("-")), None)
    if not command.executable_check or not binary or not os.path.isfile(binary):
        return None
    try:
        command.executable_check(binary)
    except core.Error as e:
        return str(e)
    return None


def main(argv: list[str] | None = None) -> int:
    done = _install_command(list(sys.argv[1:] if argv is None else argv))
    if done is not None:
        return done
    from gomapdbg.commands import COMMANDS, run_command  # after sys.path is set up by the caller
    from gomapdbg import compressed

    argv = list(sys.argv[1:] if argv is None else argv)
    usage = _usage()
    if not argv or argv[0] in ("-h", "--help"):
        print(usage)
        return 0 if argv else 2
    name = argv.pop(0)
    if name in COMMANDS and COMMANDS[name].live_only:
        refusal = _executable_refusal(COMMANDS[name], argv)
        print(
            f"gomapdbg {name}: {refusal or f'needs a live process: use go {name} in GDB or LLDB'}",
            file=sys.stderr,
        )
        return 2
    if name not in _commands():
        print(f"gomapdbg: unknown command {name!r}\n{usage}", file=sys.stderr)
        return 2
    if argv and argv[0] in ("-h", "--help"):
        sys.stdout.write(_command_help(name))
        return 0
    debug_file, error = _take_option(argv, "--debug-file")
    if error:
        print(f"gomapdbg {name}: {error}", file=sys.stderr)
        return 2
    if not argv:
        print(f"gomapdbg {name}: missing BINARY", file=sys.stderr)
        return 2
    binary = argv.pop(0)
    core = None
    if name != "info":
        if not argv:
            print(f"gomapdbg {name}: missing CORE", file=sys.stderr)
            return 2
        core = argv.pop(0)
    for path in filter(None, (binary, core, debug_file)):
        if not os.path.exists(path):
            print(f"gomapdbg {name}: {path}: no such file", file=sys.stderr)
            return 2
    try:
        plain_core = compressed.decompressed(core, log=compressed.log_to_stderr) if core else _no_core()
        with plain_core as plain:
            debugger = StandaloneDebugger(binary, plain, debug_file)
            error = run_command(debugger, name, " ".join(_quote(a) for a in argv))
            sys.stdout.flush()
    except compressed.DecompressError as e:
        print(f"gomapdbg {name}: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"gomapdbg {name}: interrupted", file=sys.stderr)
        return 130
    if error:
        print(error, file=sys.stderr)
        return 1
    return 0


@contextlib.contextmanager
def _no_core():
    yield None


def _quote(arg: str) -> str:
    import shlex

    return shlex.quote(arg)


if __name__ == "__main__":
    sys.exit(main())
