"""Maps of binaries built with -ldflags='-s -w' (no DWARF, no symbol table),
as production binaries are: on GOTRACEBACK=crash cores of every toolchain, in
GDB, LLDB and standalone, `go map ADDRESS --type T` finds T among the runtime
type descriptors (moduledata.typelinks), lays the map out from its descriptor
and the per-version header tables, and shows exactly the entries, buckets,
groups and key homes the program recorded, as on unstripped builds."""

import pytest

from harness.cells import check_command, command_params
from harness.programs import Check, Command
from harness.toolchains import selected

STRIPPED = "-s -w"
CELLS = ["gdb", "lldb", "standalone"]

# Every map global of map_kinds: keys and values of every kind, nested maps,
# interfaces holding maps, named map types, indirect keys and values.
MAP_KINDS = [
    "mBool",
    "mInt8",
    "mInts",
    "mUint",
    "mUintptr",
    "mFloat",
    "mComplex",
    "mPoint",
    "mAny",
    "mNamedAny",
    "mSizes",
    "mBig",
    "mSet",
    "mNested",
    "mSlices",
    "mChans",
    "mFuncs",
    "mUnsafe",
    "mStringer",
    "mNamed",
    "mEmbedded",
    "mPtrKey",
    "mLongStrings",
    "mDeleted",
    "mDeletedStr",
    "mEmptied",
]
BASIC_MAPS = [
    f"{shape}{size}"
    for shape in ("intInt", "int64Str", "strInt", "strStr")
    for size in (0, 1, 8, 9, 1000, 100000)
]


def _command(text: str, *checks: tuple[str, str]) -> Command:
    return Command(text=text, checks=[Check(kind, arg) for kind, arg in checks])


def _typed(name: str, options: str = "") -> str:
    """`go map` of the truth's map NAME by header address and type name."""
    return f"go map {{addr:{name}}} --type '{{type:{name}}}'" + (f" {options}" if options else "")


def _info() -> Command:
    return _command(
        "go info",
        ("check", "map layout: {layout} [...]"),
        ("check", "dwarf: absent [...]"),
        ("check", "symbols: absent (stripped)"),
    )


def map_kinds_commands() -> list[Command]:
    commands = [_info()]
    commands += [_command(_typed(n, "--all"), ("check-map", n)) for n in MAP_KINDS]
    commands += [
        _command(_typed(n, "--json --all"), ("check-json-map", n))
        for n in ("mAny", "mNamedAny", "mNested", "mPoint", "mStringer", "mBig", "mNamed")
    ]
    commands += [
        _command(
            _typed("mDeleted", "--buckets --all"), ("check-header", "mDeleted"), ("check-layout", "mDeleted")
        ),
        _command(
            _typed("mDeletedStr", "--buckets --all --json"),
            ("check-header", "mDeletedStr"),
            ("check-layout", "mDeletedStr"),
        ),
        _command(
            _typed("mEmptied", "--buckets --all"), ("check-header", "mEmptied"), ("check-layout", "mEmptied")
        ),
        _command(_typed("mBig", "--buckets --all --json"), ("check-layout", "mBig")),
        _command(_typed("mDeleted", "--key 3 --json"), ("check-key-json", "mDeleted 3")),
        _command(_typed("mDeleted", "--key 4 --json"), ("check-key-json", "mDeleted 4")),
        _command(_typed("mDeletedStr", "--key key3 --json"), ("check-key-json", 'mDeletedStr "key3"')),
        _command(
            "go map {addr:mInts} --type 'map[int32]nosuch'",
            (
                "check-error",
                "type map[int32]nosuch is not among its [...] runtime type descriptors "
                "(moduledata.typelinks and the types they use); the binary has no DWARF",
            ),
        ),
    ]
    return commands


def basic_maps_commands() -> list[Command]:
    commands = [_command(_typed(n, "--all"), ("check-map", n)) for n in BASIC_MAPS]
    commands += [
        _command(
            _typed("strStr1000", "--buckets --all"),
            ("check-buckets", "strStr1000"),
            ("check-layout", "strStr1000"),
        ),
        _command(
            _typed("intInt100000", "--buckets --all"),
            ("check-buckets", "intInt100000"),
            ("check-layout", "intInt100000"),
            ("check-header", "intInt100000"),
        ),
        _command(_typed("intInt1000", "--buckets --all --json"), ("check-layout", "intInt1000")),
        _command(_typed("intInt1000", "--key 4 --json"), ("check-key-json", "intInt1000 4")),
        _command(_typed("intInt1000", "--key 123456789 --json"), ("check-key-json", "intInt1000 123456789")),
        _command(_typed("strInt1000", "--key k5 --json"), ("check-key-json", 'strInt1000 "k5"')),
        _command(_typed("intInt1000", "--key 4"), ("check-key", "intInt1000 4")),
        _command(_typed("strInt1000", "--key k5"), ("check-key", 'strInt1000 "k5"')),
    ]
    return commands


def print_values_commands() -> list[Command]:
    return [
        _command("go print {addr:gMap} --type map[string]int", ("check-value", "gMap")),
        _command("go print {addr:gMap} --type map[string]int --json", ("check-json", "gMap")),
    ]


def _cells(debuggers: list[str], commands) -> list[dict]:
    return [
        dict(debugger=d, mode="core", label=f"{d}-core-stripped", ldflags=STRIPPED, commands=commands)
        for d in debuggers
    ]


@pytest.mark.parametrize(
    "command", command_params("map_kinds", selected(), _cells(CELLS, map_kinds_commands))
)
def test_stripped_map_kinds(command, tmp_path_factory):
    check_command(command, tmp_path_factory)


@pytest.mark.parametrize(
    "command", command_params("basic_maps", selected(), _cells(CELLS, basic_maps_commands))
)
def test_stripped_basic_maps(command, tmp_path_factory):
    check_command(command, tmp_path_factory)


@pytest.mark.parametrize(
    "command", command_params("print_values", selected(), _cells(["standalone"], print_values_commands))
)
def test_stripped_print_values(command, tmp_path_factory):
    check_command(command, tmp_path_factory)
