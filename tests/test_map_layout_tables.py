"""The fallback tables for binaries without DWARF, checked against the DWARF
and symbols of every toolchain of the matrix and of its linux/arm64 builds
(a stripped arm64 binary is read with the same tables; the Delve `+rtype`
idea):

- every map type of testprogs/map_kinds and testprogs/basic_maps (unstripped)
  laid out from its runtime type descriptor alone (core/maps/map_header_tables.cc
  for the header, table and group-reference fields; the descriptor for the
  bucket or group shape) equals its layout from DWARF, field by field, and
  moduledata.typelinks finds that descriptor under the type's name;
- runtime.firstmoduledata read with core/binary/module_data.cc's offsets gives
  the runtime.types/etypes/go:func.* symbols of the unstripped build, and, found
  by search in the -s -w build, typelinks and itablinks that are exactly its
  .typelink and .itablink sections (go1.27, which has neither: the typedesclen
  GDB reads from the unstripped build's DWARF-typed firstmoduledata);
- the runtime.g/m/gobuf/_panic offsets of core/runtime/runtime_layout.cc's
  table for the toolchain's version equal those its DWARF gives (gobuf.lr,
  which the unwinder of a parked arm64 goroutine reads, too);
- the goroutine status and wait-reason names core/runtime/wait_reasons.cc
  uses without symbols are the runtime's own gStatusStrings and
  waitReasonStrings, read from the unstripped build's static data;
- the string, slice, interface, itab and hchan words, the abi.Type and
  kind-struct offsets and the map type descriptor offsets
  (core/abi/go_headers.h, core/abi/type_descriptor_layout.h,
  core/maps/map_type_descriptor.h) equal the DWARF of the runtime's structs;
- map[string]string laid out from the classic tables alone (goroutine labels
  without DWARF) equals its DWARF layout."""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys

import pytest

from harness import programs
from harness.toolchains import REPO, selected, selected_arm64

sys.path.insert(0, os.path.join(REPO, "build", "python"))
import gomapdbg_core as core  # noqa: E402

PROGRAMS = ["map_kinds", "basic_maps"]
# Every selected toolchain, amd64 and arm64 builds.
TOOLCHAINS = selected() + selected_arm64()
# The maps each program declares itself: the comparison must cover them.
OWN_MAPS = {
    "map_kinds": [
        "map[main.Point]main.Record",
        "map[[200]uint8][300]uint8",
        "main.Index",
        "map[int]struct {}",
    ],
    "basic_maps": ["map[int]int", "map[int64]string", "map[string]int", "map[string]string"],
}


def _package_names(layout):
    """DWARF spells a package by its import path, a descriptor by its name
    ("encoding/json.field" and "encoding/json/v2.field" are "json.field");
    the offsets must agree exactly."""
    if not isinstance(layout, dict):
        return layout
    out = dict(layout)
    for side in ("key", "value"):
        out[side] = re.sub(r"[\w.\-]*/", "", re.sub(r"/v\d+\.", ".", out[side]))
    return out


@pytest.mark.parametrize("program", PROGRAMS)
@pytest.mark.parametrize("toolchain", TOOLCHAINS, ids=lambda t: t.name)
def test_decoded_map_layouts_equal_dwarf(toolchain, program):
    binary = programs.build(program, toolchain)
    rows = [r for r in core.map_layouts(binary) if r["descriptor"] is not None]
    names = {r["type"] for r in rows}
    assert (
        set(OWN_MAPS[program]) <= names
    ), f"map types without a descriptor: {set(OWN_MAPS[program]) - names}"
    failures = []
    for r in rows:
        dwarf, decoded = r["dwarf"], r["decoded"]
        if not isinstance(dwarf, dict):
            failures.append(f"{r['type']}: DWARF gives no layout: {dwarf}")
        elif dwarf["family"] != toolchain.map_layout:
            failures.append(
                f"{r['type']}: DWARF says {dwarf['family']}, the toolchain {toolchain.map_layout}"
            )
        elif _package_names(decoded) != _package_names(dwarf):
            diff = (
                {k: (dwarf["fields"][k], decoded["fields"].get(k)) for k in dwarf["fields"]}
                if isinstance(decoded, dict)
                else decoded
            )
            failures.append(f"{r['type']}: decoded layout differs from DWARF: {diff}")
        if r["by_name"] != r["descriptor"]:
            failures.append(
                f"{r['type']}: typelinks finds {r['by_name'] and hex(r['by_name'])}, "
                f"DWARF links {hex(r['descriptor'])}"
            )
    assert not failures, f"{len(failures)} of {len(rows)} map types:\n" + "\n".join(failures[:20])


@functools.lru_cache(maxsize=None)
def _symbols(binary: str) -> dict[str, int]:
    out = subprocess.run(["nm", binary], capture_output=True, text=True, check=True).stdout
    return {p[2]: int(p[0], 16) for p in (line.split(maxsplit=2) for line in out.splitlines()) if len(p) == 3}


def _section(binary: str, name: str) -> tuple[int, int]:
    out = subprocess.run(["readelf", "-SW", binary], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        fields = line.replace("[ ", "[").split()
        if len(fields) > 5 and fields[1] == name:
            return int(fields[3], 16), int(fields[5], 16)
    raise AssertionError(f"{binary} has no section {name}")


def _gdb_print(binary: str, expression: str, goarch: str) -> int:
    """A value GDB reads from the executable's static data through its DWARF
    (gdb-multiarch for another architecture than the machine's)."""
    out = subprocess.run(
        [
            "gdb" if goarch == "amd64" else "gdb-multiarch",
            "-batch",
            "-nx",
            "-iex",
            "set auto-load no",
            "-ex",
            f"print/d {expression}",
            binary,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    m = re.search(r"^\$1 = (\d+)$", out, re.M)
    assert m, f"GDB could not print {expression}: {out}"
    return int(m.group(1))


@pytest.mark.parametrize("program", PROGRAMS)
@pytest.mark.parametrize("toolchain", TOOLCHAINS, ids=lambda t: t.name)
def test_module_data_offsets(toolchain, program):
    binary = programs.build(program, toolchain)
    syms = _symbols(binary)
    m = core.module_data(binary)
    assert m and not m["found_by_search"]
    assert m["address"] == syms["runtime.firstmoduledata"]
    assert (m["types"], m["etypes"]) == (syms["runtime.types"], syms["runtime.etypes"])
    assert m["gofunc"] == syms.get("go:func.*", syms.get("go.func.*"))
    stripped = programs.build(program, toolchain, "-s -w")
    s = core.module_data(stripped)
    assert s and s["found_by_search"], "no moduledata found in the stripped build"
    if toolchain.minor >= 27:
        length = _gdb_print(binary, "'runtime.firstmoduledata'.typedesclen", toolchain.goarch)
        assert m["typedesclen"] == s["typedesclen"] == length
        assert m["typelinks"] == s["typelinks"] == (0, 0)
        assert s["type_names"] > 500 and not s["problems"] and not m["problems"]
        return
    typelink, itablink = _section(stripped, ".typelink"), _section(stripped, ".itablink")
    assert (s["typelinks"][0], s["typelinks"][1] * 4) == typelink
    assert (s["itablinks"][0], s["itablinks"][1] * 8) == itablink
    assert s["typelinks"][1] == m["typelinks"][1] and s["type_names"] > 500 and not s["problems"]


@pytest.mark.parametrize("toolchain", TOOLCHAINS, ids=lambda t: t.name)
def test_runtime_tables_match_dwarf(toolchain):
    """Every offset the fallback table has for this Go version (used when
    the binary has no DWARF) is the one the toolchain's own DWARF gives."""
    layouts = core.runtime_layouts(programs.build("crash_writers", toolchain))
    dwarf, table = layouts["dwarf"], layouts["tables"]
    assert dwarf["source"] == "DWARF"
    assert table is not None, f"no runtime table for {toolchain.name}"
    differ = {
        field: {"dwarf": dwarf[field], "table": table[field]}
        for field in dwarf
        if field != "source" and dwarf[field] != table[field]
    }
    assert not differ, differ


@pytest.mark.parametrize("toolchain", TOOLCHAINS, ids=lambda t: t.name)
def test_status_and_wait_reason_names_are_the_runtimes(toolchain):
    names = core.runtime_names(programs.build("crash_writers", toolchain))
    assert names["wait_reasons"], "no runtime.waitReasonStrings in the unstripped build"
    assert names["wait_reason_table"] == names["wait_reasons"]
    runtime, ours = names["statuses"], names["status_names"]
    assert runtime and "leaked" in ours
    differ = {i: (runtime[i], ours[i]) for i in range(len(runtime)) if runtime[i] and runtime[i] != ours[i]}
    assert not differ, f"status: (runtime, gomapdbg): {differ}"


# The DWARF structs each fixed offset is compared with: the go1.21+ name
# first, then the older runtime one (go1.19, go1.20) and go1.26's renames.
_DWARF_STRUCTS = {
    "string": ["string"],
    "slice": ["[]uint8"],
    "eface": ["runtime.eface", "internal/abi.EmptyInterface"],
    "iface": ["runtime.iface", "internal/abi.NonEmptyInterface"],
    "ITab": ["internal/abi.ITab", "runtime.itab"],
    "hchan": ["runtime.hchan"],
    "Type": ["internal/abi.Type", "runtime._type"],
    "ArrayType": ["internal/abi.ArrayType", "runtime.arraytype"],
    "ChanType": ["internal/abi.ChanType", "runtime.chantype"],
    "PtrType": ["internal/abi.PtrType", "runtime.ptrtype"],
    "SliceType": ["internal/abi.SliceType", "runtime.slicetype"],
    "FuncType": ["internal/abi.FuncType", "runtime.functype"],
    "StructType": ["internal/abi.StructType", "runtime.structtype"],
    "StructField": ["internal/abi.StructField", "runtime.structfield"],
    "InterfaceType": ["internal/abi.InterfaceType", "runtime.interfacetype"],
    "Imethod": ["internal/abi.Imethod", "runtime.imethod"],
    "UncommonType": ["internal/abi.UncommonType", "runtime.uncommontype"],
    "Method": ["internal/abi.Method", "runtime.method"],
}
_MAP_TYPE_STRUCTS = {
    "classic": ["internal/abi.OldMapType", "internal/abi.MapType", "runtime.maptype"],
    "swiss": ["internal/abi.SwissMapType", "internal/abi.MapType"],
}
# Field names other than the go1.21+ one and its lower-case runtime spelling.
_FIELD_ALIASES = {
    "eface._type": ["_type", "Type"],
    "eface.data": ["data", "Data"],
    "iface.tab": ["tab", "ITab"],
    "iface.data": ["data", "Data"],
    "ITab.Type": ["Type", "_type"],
    "InterfaceType.Methods": ["Methods", "mhdr"],
    "MapType.ValueSize": ["ValueSize", "elemsize", "valuesize"],
}


def _dwarf_offset(binary: str, structs: list[str], fact: str):
    """The offset (or with no field, the size) DWARF gives the fact, or None
    when none of the struct's names is in the binary's DWARF."""
    struct = next((s for s in (core.dwarf_struct(binary, n) for n in structs) if s), None)
    if struct is None:
        return None
    if "." not in fact:
        return struct["size"]
    field = fact.split(".", 1)[1]
    # go1.19/1.20 spell Size_ "size", InCount "inCount", TFlag "tflag".
    runtime_names = [field[0].lower() + field[1:].rstrip("_"), field.lower()]
    for name in _FIELD_ALIASES.get(fact, [field, *runtime_names]):
        if name in struct["fields"]:
            return struct["fields"][name]
    return f"no field {field} in {sorted(struct['fields'])}"


@pytest.mark.parametrize("toolchain", TOOLCHAINS, ids=lambda t: t.name)
def test_fixed_runtime_offsets_match_dwarf(toolchain):
    """The string, slice, interface, itab and hchan words and the type
    descriptor offsets (abi/go_headers.h, abi/type_descriptor_layout.h,
    maps/map_type_descriptor.h) gomapdbg reads without DWARF are those of
    the toolchain's DWARF, which describes every one of those structs."""
    binary = programs.build("crash_writers", toolchain)
    facts = {k: (_DWARF_STRUCTS[k.split(".")[0]], v) for k, v in core.fixed_runtime_offsets().items()}
    map_structs = _MAP_TYPE_STRUCTS[toolchain.family]
    for k, v in core.map_type_offsets(toolchain.family, toolchain.minor).items():
        facts[k] = (map_structs, v)
    differ, missing = {}, []
    for fact, (structs, ours) in facts.items():
        dwarf = _dwarf_offset(binary, structs, fact)
        if dwarf is None:
            missing.append(fact)
        elif dwarf != ours:
            differ[fact] = {"dwarf": dwarf, "gomapdbg": ours}
    assert not differ, differ
    assert not missing, f"not in DWARF: {missing}"


@pytest.mark.parametrize("toolchain", [t for t in TOOLCHAINS if t.family == "classic"], ids=lambda t: t.name)
def test_classic_string_map_fallback_matches_dwarf(toolchain):
    """Goroutine labels of a binary without DWARF (a map[string]string up
    to go1.23) are read with a layout built from the classic tables and the
    compiler's bucket shape: it is the one DWARF gives map[string]string."""
    rows = {r["type"]: r for r in core.map_layouts(programs.build("basic_maps", toolchain))}
    dwarf = rows["map[string]string"]["dwarf"]
    assert isinstance(dwarf, dict), dwarf
    assert core.classic_string_map_layout(toolchain.minor) == dwarf["fields"]
