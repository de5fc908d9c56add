"""A value as Delve loaded it (an `api.Variable` tree from its JSON-RPC API)
against gomapdbg's JSON of the same value (README, JSON output), compared as
far as both show it: Delve cuts strings, arrays and maps at its LoadConfig
and stops at its recursion depth, gomapdbg at its caps; a part either one
did not load is not compared. Maps compare as sets (each entry Delve shows
must be among gomapdbg's, keys compared structurally). What one reads and
the other calls unreadable is a difference."""

from __future__ import annotations

import math
import re

# reflect.Kind, as api.Variable's `kind` numbers it.
BOOL, INT, UINT, UINTPTR = 1, (2, 3, 4, 5, 6), (7, 8, 9, 10, 11), 12
FLOAT32, FLOAT64, COMPLEX64, COMPLEX128 = 13, 14, 15, 16
ARRAY, CHAN, FUNC, INTERFACE, MAP, POINTER, SLICE, STRING, STRUCT, UNSAFE_POINTER = range(17, 27)
_SCALARS = {BOOL, *INT, *UINT, UINTPTR, FLOAT32, FLOAT64}
NOT_SHOWN = "nested too deep"  # gomapdbg's word for what its depth cap cut


def differences(delve: dict, ours, path: str) -> list[str]:
    """What differs between Delve's variable and gomapdbg's JSON value, each
    "PATH: what"; [] when they agree as far as both show."""
    if _is_error(ours, NOT_SHOWN) or delve.get("onlyAddr"):
        return []  # past gomapdbg's depth cap, or Delve's recursion depth
    if delve.get("unreadable"):
        if _is_error(ours):
            return []
        return [f"{path}: Delve cannot read it ({delve['unreadable']}), gomapdbg shows {_short(ours)}"]
    if _is_error(ours):
        return [f"{path}: gomapdbg says {ours['error']!r}, Delve shows {_delve_text(delve)}"]
    kind = delve.get("kind", 0)
    if kind in _SCALARS and not delve.get("value"):
        return []  # Delve did not load it
    compare = _BY_KIND.get(kind)
    if compare is None:
        return []  # kind 0: Delve has no value (an untyped nil's "void")
    return compare(delve, ours, path)


def _is_error(ours, message: str | None = None) -> bool:
    is_error = isinstance(ours, dict) and set(ours) == {"error"}
    return is_error and (message is None or ours["error"] == message)


def _short(ours) -> str:
    text = repr(ours)
    return text if len(text) <= 120 else text[:117] + "..."


def _delve_text(delve: dict) -> str:
    value = delve.get("value") or f"{delve.get('type')} len {delve.get('len')}"
    return repr(value)[:120]


def _differ(path: str, what: str, delve, ours) -> list[str]:
    return [f"{path}: {what}: Delve {_short(delve)}, gomapdbg {_short(ours)}"]


def _scalar_text(delve: dict) -> str:
    """Delve's text of a number, without the constant's name it may show
    first (`ByteConst (255)`)."""
    value = delve["value"]
    m = re.fullmatch(r"\S+ \((.*)\)", value)
    return m.group(1) if m else value


def _integer(delve: dict, ours, path: str) -> list[str]:
    try:
        agree = int(_scalar_text(delve)) == int(ours)
    except (TypeError, ValueError):
        agree = False
    return [] if agree else _differ(path, "integer", delve["value"], ours)


def _float_of(text) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def _same_float(a, b) -> bool:
    x, y = _float_of(a), _float_of(b)
    if x is None or y is None:
        return False
    return (math.isnan(x) and math.isnan(y)) or x == y


def _floating(delve: dict, ours, path: str) -> list[str]:
    return [] if _same_float(_scalar_text(delve), ours) else _differ(path, "float", delve["value"], ours)


def _complex(delve: dict, ours, path: str) -> list[str]:
    parts = {c["name"]: c["value"] for c in delve.get("children") or []}
    if not isinstance(ours, dict):
        return _differ(path, "complex", delve["value"], ours)
    if _same_float(parts.get("real"), ours.get("real")) and _same_float(
        parts.get("imaginary"), ours.get("imag")
    ):
        return []
    return _differ(path, "complex", delve["value"], ours)


def _boolean(delve: dict, ours, path: str) -> list[str]:
    return (
        []
        if (delve["value"] == "true") == ours and isinstance(ours, bool)
        else _differ(path, "bool", delve["value"], ours)
    )


def _string(delve: dict, ours, path: str) -> list[str]:
    if isinstance(ours, dict):
        shown, length = ours.get("prefix", ""), ours.get("len")
    else:
        shown, length = ours, None
    if not isinstance(shown, str):
        return _differ(path, "string", delve["value"], ours)
    theirs = delve["value"]
    if length is None and "\ufffd" not in shown:
        length = len(shown.encode("utf-8"))
    if length is not None and length != delve["len"]:
        return _differ(path, "string length", delve["len"], length)
    # Either may cut the string, Delve in the middle of a rune: compare
    # what both show, less a last character.
    common = min(len(theirs), len(shown))
    if common < max(len(theirs), len(shown)):
        common = max(common - 1, 0)
    if theirs[:common] != shown[:common]:
        return _differ(path, "string", theirs, shown)
    return []


def _address_of(ours) -> int | None:
    """The address of gomapdbg's pointer, unsafe.Pointer or pointer
    followed ({"address", "value"})."""
    text = ours.get("address") if isinstance(ours, dict) else ours
    return int(text, 16) if isinstance(text, str) and text.startswith("0x") else None


def _pointer(delve: dict, ours, path: str) -> list[str]:
    address = int(delve["value"] or 0)
    if address == 0:
        return [] if ours is None else _differ(path, "nil pointer", 0, ours)
    if _address_of(ours) != address:
        return _differ(path, "pointer", hex(address), ours)
    children = delve.get("children") or []
    if delve["kind"] != POINTER or not children:
        return []
    if isinstance(ours, dict) and "value" in ours:
        return differences(children[0], ours["value"], f"(*{path})")
    if children[0].get("unreadable"):
        return [
            f"{path}: Delve cannot read what it points to ({children[0]['unreadable']}), gomapdbg does not say"
        ]
    return []


def _loaded(delve: dict) -> bool:
    """Whether Delve loaded the children of a struct, array, slice or map
    (past its recursion depth it gives only their count)."""
    return bool(delve.get("children")) or not delve.get("len")


def _struct(delve: dict, ours, path: str) -> list[str]:
    if not isinstance(ours, dict):
        return _differ(path, "struct", _delve_text(delve), ours)
    if not _loaded(delve):
        return []
    found = []
    for child in delve.get("children") or []:
        name = child.get("name", "")
        if name == "_":
            continue
        if name not in ours:
            found.append(f"{path}.{name}: a field Delve shows, gomapdbg does not")
            continue
        found += differences(child, ours[name], f"{path}.{name}")
    return found


def _elements(ours) -> tuple[list | None, int | None, int | None]:
    """gomapdbg's elements shown, len and cap (None: not given)."""
    if isinstance(ours, list):
        return ours, len(ours), None
    if isinstance(ours, dict) and "elements" in ours:
        return ours["elements"], ours.get("len"), ours.get("cap")
    return None, None, None


def _sequence(delve: dict, ours, path: str) -> list[str]:
    if delve["kind"] == SLICE and not delve.get("base") and not delve.get("len"):
        return [] if ours is None else _differ(path, "nil slice", None, ours)
    elements, length, cap = _elements(ours)
    if elements is None:
        return _differ(path, "array or slice", _delve_text(delve), ours)
    found = []
    if length != delve.get("len", 0):
        found += _differ(path, "length", delve.get("len", 0), length)
    if delve["kind"] == SLICE and cap is not None and cap != delve.get("cap"):
        found += _differ(path, "capacity", delve.get("cap"), cap)
    for i, (child, element) in enumerate(zip(delve.get("children") or [], elements)):
        found += differences(child, element, f"{path}[{i}]")
    return found


def _map(delve: dict, ours, path: str) -> list[str]:
    if not delve.get("base") and not delve.get("len"):
        return [] if ours is None else _differ(path, "nil map", None, ours)
    if not isinstance(ours, dict) or "entries" not in ours:
        return _differ(path, "map", _delve_text(delve), ours)
    found = []
    if ours.get("len") != delve.get("len"):
        found += _differ(path, "len", delve.get("len"), ours.get("len"))
    children = delve.get("children") or []
    complete = len(ours["entries"]) == ours.get("len")
    for key, value in zip(children[0::2], children[1::2]):
        match = next((e for e in ours["entries"] if not differences(key, e["key"], "key")), None)
        if match is None:
            if complete:
                found.append(f"{path}: Delve's entry with key {_delve_text(key)} is not among gomapdbg's")
            continue
        found += differences(value, match["value"], f"{path}[{_delve_text(key)}]")
    return found


def _interface(delve: dict, ours, path: str) -> list[str]:
    children = delve.get("children") or []
    dynamic = children[0] if children else None
    if dynamic is None or dynamic.get("kind", 0) == 0:
        return [] if ours is None else _differ(path, "nil interface", None, ours)
    if not isinstance(ours, dict) or "type" not in ours or "value" not in ours:
        return _differ(path, "interface", dynamic.get("type"), ours)
    found = []
    if ours["type"] != dynamic.get("type"):
        found += _differ(path, "dynamic type", dynamic.get("type"), ours["type"])
    return found + differences(dynamic, ours["value"], f"{path}.({dynamic.get('type')})")


def _chan(delve: dict, ours, path: str) -> list[str]:
    if not delve.get("base"):
        return [] if ours is None else _differ(path, "nil chan", None, ours)
    counts = {c["name"]: c.get("value") for c in delve.get("children") or []}
    if not isinstance(ours, dict) or _address_of(ours) != delve["base"]:
        return _differ(path, "chan", hex(delve["base"]), ours)
    found = []
    for field, theirs in (("len", "qcount"), ("cap", "dataqsiz")):
        if theirs in counts and str(ours.get(field)) != counts[theirs]:
            found += _differ(path, f"chan {field}", counts[theirs], ours.get(field))
    return found


def _func(delve: dict, ours, path: str) -> list[str]:
    if not delve.get("value") and not delve.get("base"):
        return [] if ours is None else _differ(path, "nil func", None, ours)
    if not isinstance(ours, dict) or ours.get("func") != delve.get("value"):
        return _differ(path, "func", delve.get("value"), ours)
    return []


_BY_KIND = {
    BOOL: _boolean,
    **{k: _integer for k in (*INT, *UINT, UINTPTR)},
    FLOAT32: _floating,
    FLOAT64: _floating,
    COMPLEX64: _complex,
    COMPLEX128: _complex,
    STRING: _string,
    POINTER: _pointer,
    UNSAFE_POINTER: _pointer,
    STRUCT: _struct,
    ARRAY: _sequence,
    SLICE: _sequence,
    MAP: _map,
    INTERFACE: _interface,
    CHAN: _chan,
    FUNC: _func,
}
