"""Checks of `go map`'s header line and physical view (--buckets, text or
JSON) against the header and layout the program read of itself with
unsafe (testprogs/internal/truth: Header, Physical)."""

from __future__ import annotations

import collections
import json
import re

from harness.toolchains import layout_family
from harness.truth import Truth, TruthPhysical


def expected_control(layout: str, hash_value: int) -> int:
    """The control byte the runtime stores for a hash: swiss H2 (low 7
    bits), classic tophash (top byte, moved past the reserved markers 0-4)."""
    if layout_family(layout) == "swiss":
        return hash_value & 0x7F
    top = hash_value >> 56
    return top + 5 if top < 5 else top


# hmap.flags bits (go1.19-1.25 runtime/map.go, map_noswiss.go).
_FLAG_NAMES = {1: "iterator", 2: "oldIterator", 4: "hashWriting", 8: "sameSizeGrow"}
_MIN_TOPHASH, _EMPTY_ONE = 5, 1  # classic tophash: live from 5, emptyOne = a tombstone
_CTRL_EMPTY_BIT, _CTRL_DELETED = 0x80, 0xFE  # swiss control bytes
_PICTURE_CELLS = 4096  # the occupancy picture's bound


def _number(text) -> int | None:
    if isinstance(text, bool):
        return int(text)
    if isinstance(text, int):
        return text
    if text in ("true", "false"):
        return int(text == "true")
    try:
        return int(text, 0)
    except (TypeError, ValueError):
        return None


def _shown_header(output: str) -> tuple[dict[str, str] | None, str]:
    """The header fields as shown (text line or the JSON "header")."""
    if output.lstrip().startswith("{"):
        try:
            doc = json.loads(output)
        except ValueError as e:
            return None, f"output is not JSON ({e})"
        return {k: v for k, v in doc.get("header", {}).items()}, ""
    line = next((l for l in output.splitlines() if l.startswith("header: ")), None)
    if line is None:
        return None, "no 'header:' line"
    fields = {}
    for m in re.finditer(r"(\w+)=(\S+(?: \([^)]*\))?)", line[len("header: ") :]):
        fields[m.group(1)] = m.group(2)
    return fields, ""


def check_header(output: str, name: str, truth: Truth) -> list[str]:
    """The header line (or JSON "header") shows exactly the fields the
    program's runtime has, each with the value the program read; flags also
    by name."""
    want = truth.headers.get(name)
    if want is None:
        return [f"the truth has no header of {name}"]
    shown, error = _shown_header(output)
    if shown is None:
        return [error]
    failures = []
    if set(shown) != set(want):
        failures.append(f"header fields {sorted(shown)}, the program's runtime has {sorted(want)}")
    for field, value in want.items():
        if field not in shown:
            continue
        text = shown[field]
        got = _number(str(text).split(" ")[0]) if not isinstance(text, (int, bool)) else int(text)
        if got != value:
            failures.append(f"header {field}={text!r}, the program read {value}")
        if field == "flags":
            names = [n for bit, n in _FLAG_NAMES.items() if value & bit]
            m = re.search(r"\(([^)]*)\)", str(text))
            if (m.group(1).split("|") if m else []) != names:
                failures.append(f"flags {text!r} do not name {names}")
    return failures


def _histogram(text: str) -> collections.Counter:
    if text.strip() == "none":
        return collections.Counter()
    return collections.Counter({int(v): int(c) for v, c in re.findall(r"(\d+)×(\d+)", text)})


def _picture(lines: list[str]) -> str | None:
    for i, line in enumerate(lines):
        if line.startswith("occupancy ("):
            cells = []
            for row in lines[i + 1 :]:
                if not row.startswith("  "):
                    break
                cells.append(row[2:])
            return "".join(cells)
    return None


def _parse_text(output: str, swiss: bool) -> dict:
    """The physical view as printed, in the model _expected builds."""
    lines = output.splitlines()
    model: dict = {"units": [], "tables": [], "summary": None, "fill": None, "chains": None}
    unit = None
    for line in lines:
        if swiss:
            t = re.fullmatch(
                r"table \d+ @ (0x[0-9a-f]+): directory entr(?:y (\d+)|ies (\d+)-(\d+)), localDepth (\d+), "
                r"used (\d+), capacity (\d+), growthLeft (\d+), (\d+) groups @ (0x[0-9a-f]+)",
                line,
            )
            if t:
                first = int(t[2] if t[2] is not None else t[3])
                count = 1 if t[2] is not None else int(t[4]) - first + 1
                model["tables"].append(
                    (
                        int(t[1], 16),
                        first,
                        count,
                        int(t[5]),
                        int(t[6]),
                        int(t[7]),
                        int(t[8]),
                        int(t[10], 16),
                        int(t[9]),
                    )
                )
                continue
            g = re.fullmatch(r"group (\d+)(?: of table (0x[0-9a-f]+))? @ (0x[0-9a-f]+)", line)
            if g:
                unit = {"key": (int(g[2] or "0", 16), int(g[1])), "address": int(g[3], 16), "live_lines": 0}
                model["units"].append(unit)
                continue
        else:
            b = re.fullmatch(r"bucket (\d+)(?: overflow (\d+))? @ (0x[0-9a-f]+)", line)
            if b:
                unit = {
                    "key": (int(b[1]), int(b[2] or 0)),
                    "address": int(b[3], 16),
                    "live_lines": 0,
                    "next": 0,
                }
                model["units"].append(unit)
                continue
        if unit is None:
            continue
        c = re.fullmatch(r"  (?:ctrl   |tophash)((?: [0-9a-f]{2}){8})", line)
        if c:
            unit["control"] = bytes.fromhex(c[1].replace(" ", ""))
        elif re.match(r"  \[\d\] [0-9a-f]{2}  ", line):
            unit["live_lines"] += 1
        elif line.startswith("  overflow -> "):
            unit["next"] = int(line.split()[-1], 16)
    if swiss:
        m = re.search(
            r"^summary: (\d+) tables?, (\d+) groups?, (\d+) slots?, (\d+) live, (\d+) deleted; load ([\d.]+)%",
            output,
            re.M,
        )
        if m:
            model["summary"] = {
                "tables": int(m[1]),
                "groups": int(m[2]),
                "slots": int(m[3]),
                "live": int(m[4]),
                "deleted": int(m[5]),
                "load": m[6],
            }
        fill = re.search(r"^live slots per group:(.*)$", output, re.M)
    else:
        m = re.search(
            r"^summary: (\d+) buckets \+ (\d+) overflow, (\d+) live, (\d+) tombstones \(emptyOne\); "
            r"load factor ([\d.]+) ",
            output,
            re.M,
        )
        if m:
            model["summary"] = {
                "buckets": int(m[1]),
                "overflow_buckets": int(m[2]),
                "live": int(m[3]),
                "tombstones": int(m[4]),
                "load": m[5],
            }
        fill = re.search(r"^live slots per bucket:(.*)$", output, re.M)
        chains = re.search(r"^chain lengths:(.*)$", output, re.M)
        model["chains"] = _histogram(chains[1]) if chains else None
    model["fill"] = _histogram(fill[1]) if fill else None
    model["picture"] = _picture(lines)
    return model


def _parse_json(doc: dict, swiss: bool) -> dict:
    model: dict = {"units": [], "tables": [], "chains": None}
    s = doc.get("summary", {})

    def unit(u, key):
        control = bytes(u["ctrl"] if swiss else u["tophash"])
        live = [x for x in u["slots"] if x["state"] == "live"]
        return {
            "key": key,
            "address": int(u["address"], 16),
            "control": control,
            "live_lines": len(live),
            "next": 0 if swiss else int(u["overflow"], 16),
            "entries": [{"key": x.get("key"), "value": x.get("value")} for x in live],
            "states": [x["state"] for x in u["slots"]],
        }

    if swiss:
        for g in doc.get("groups", []):
            model["units"].append(unit(g, (int(g["table"], 16), g["index"])))
        for t in doc.get("tables", []):
            model["tables"].append(
                (
                    int(t["address"], 16),
                    t["directory_first"],
                    t["directory_entries"],
                    t["local_depth"],
                    t["used"],
                    t["capacity"],
                    t["growth_left"],
                    int(t["groups"], 16),
                    t["group_count"],
                )
            )
        model["summary"] = {k: s.get(k) for k in ("tables", "groups", "slots", "live", "deleted", "load")}
        model["fill"] = collections.Counter({int(k): v for k, v in s.get("live_per_group", {}).items()})
    else:
        for b in doc.get("buckets", []):
            for u in b["chain"]:
                model["units"].append(unit(u, (b["index"], u["chain_position"])))
        model["summary"] = {k: s.get(k) for k in ("buckets", "overflow_buckets", "live", "tombstones")} | {
            "load": s.get("load_factor")
        }
        model["fill"] = collections.Counter({int(k): v for k, v in s.get("live_per_bucket", {}).items()})
        model["chains"] = collections.Counter({int(k): v for k, v in s.get("chain_lengths", {}).items()})
    model["picture"] = s.get("occupancy")
    return model


def _live(control: bytes, swiss: bool) -> int:
    return sum(1 for c in control if (not c & _CTRL_EMPTY_BIT if swiss else c >= _MIN_TOPHASH))


def _expected(phys: TruthPhysical, swiss: bool, as_json: bool) -> dict:
    """The same model, from the program's own reading of its map."""
    model: dict = {"units": [], "tables": [], "chains": None}
    if swiss:
        for table, index, address, ctrl in phys.groups:
            model["units"].append({"key": (table, index), "address": address, "control": ctrl})
        dir_len = phys.directory_length
        for t in phys.tables:
            entries = dir_len >> t.local_depth if dir_len else 1  # 2^(globalDepth-localDepth)
            model["tables"].append(
                (
                    t.address,
                    t.index,
                    entries,
                    t.local_depth,
                    t.used,
                    t.capacity,
                    t.growth_left,
                    t.groups,
                    t.group_count,
                )
            )
        controls = [u["control"] for u in model["units"]]
        live = sum(_live(c, True) for c in controls)
        slots = 8 * len(controls)
        deleted = sum(c.count(_CTRL_DELETED) for c in controls)
        load = live / slots if slots else 0.0
        model["summary"] = {
            "tables": len(phys.tables),
            "groups": len(controls),
            "slots": slots,
            "live": live,
            "deleted": deleted,
            "load": load if as_json else f"{100 * load:.1f}",
        }
        model["fill"] = collections.Counter(_live(c, True) for c in controls)
        cells = ["." if not _live(c, True) else str(_live(c, True)) for c in controls]
    else:
        cells = []
        for index in sorted(phys.chains):
            chain = phys.chains[index]
            for pos, (address, tophash) in enumerate(chain):
                nxt = chain[pos + 1][0] if pos + 1 < len(chain) else 0
                model["units"].append(
                    {"key": (index, pos), "address": address, "control": tophash, "next": nxt}
                )
            live = sum(_live(t, False) for _, t in chain)
            cells.append("." if not live else "+" if len(chain) > 1 else str(live))
        controls = [u["control"] for u in model["units"]]
        heads = len(phys.chains)
        live = sum(_live(c, False) for c in controls)
        load = live / heads if heads else 0.0
        model["summary"] = {
            "buckets": heads,
            "overflow_buckets": len(controls) - heads,
            "live": live,
            "tombstones": sum(c.count(_EMPTY_ONE) for c in controls),
            "load": load if as_json else f"{load:.2f}",
        }
        model["fill"] = collections.Counter(_live(c, False) for c in controls)
        model["chains"] = collections.Counter(len(c) for c in phys.chains.values())
    model["picture"] = "".join(cells)[:_PICTURE_CELLS]
    for u in model["units"]:
        u["live_lines"] = _live(u["control"], swiss)
    return model


def _compare_units(got: list[dict], want: list[dict], swiss: bool) -> list[str]:
    failures = []
    got_by = {u["key"]: u for u in got}
    want_by = {u["key"]: u for u in want}
    what = "group (table, index)" if swiss else "bucket (index, chain position)"
    missing = [k for k in want_by if k not in got_by]
    extra = [k for k in got_by if k not in want_by]
    if missing or extra or len(got) != len(got_by):
        failures.append(
            f"{what}s differ: {len(missing)} missing (e.g. {missing[:3]}), {len(extra)} unexpected "
            f"(e.g. {extra[:3]}), {len(got) - len(got_by)} shown twice"
        )
    for key, w in want_by.items():
        g = got_by.get(key)
        if g is None:
            continue
        for field in ("address", "control", "live_lines") + (() if swiss else ("next",)):
            if g.get(field) != w[field]:
                shown = g.get(field)
                failures.append(
                    f"{what} {key}: {field} {shown.hex() if isinstance(shown, bytes) else shown}, the program "
                    f"read {w[field].hex() if isinstance(w[field], bytes) else w[field]}"
                )
        if len(failures) > 8:
            break
    return failures


def check_layout(output: str, name: str, truth: Truth, layout: str) -> list[str]:
    """`go map NAME --buckets --all` (text or --json) shows the buckets or
    groups, tables, control bytes, overflow chains and summary the program
    itself read of its map."""
    phys = truth.physical.get(name)
    if phys is None:
        return [f"the truth has no physical layout of {name}"]
    swiss = layout_family(layout) == "swiss"
    as_json = output.lstrip().startswith("{")
    if as_json:
        try:
            doc = json.loads(output)
        except ValueError as e:
            return [f"output is not JSON ({e})"]
        got = _parse_json(doc, swiss)
        failures = [] if doc.get("complete") else ["JSON says the listing is not complete"]
        failures += [f"unexpected warnings: {doc['warnings']}"] if doc.get("warnings") else []
    else:
        got = _parse_text(output, swiss)
        failures = [f"unexpected warnings: {l}" for l in output.splitlines() if l.startswith("warning:")]
    want = _expected(phys, swiss, as_json)
    failures += _compare_units(got["units"], want["units"], swiss)
    if swiss and got["tables"] != want["tables"]:
        failures.append(f"tables {got['tables'][:3]}... differ from the program's {want['tables'][:3]}...")
    for key in ("summary", "fill", "chains"):
        g, w = got[key], want[key]
        if key == "summary" and as_json and g and isinstance(g.get("load"), (int, float)):
            if abs(g["load"] - w["load"]) < 1e-4:
                g = dict(g, load=w["load"])
        if g != w:
            failures.append(f"{key}: shown {g}, the program's layout gives {w}")
    if got["picture"] != want["picture"]:
        failures.append(
            f"occupancy picture ({len(got['picture'] or '')} cells) differs from the program's "
            f"({len(want['picture'])} cells): {(got['picture'] or '')[:40]!r} vs {want['picture'][:40]!r}"
        )
    if as_json and name in truth.json_entries:
        entries = collections.Counter(
            json.dumps(e, sort_keys=True) for u in got["units"] for e in u.get("entries", [])
        )
        if entries != truth.json_entries[name]:
            failures.append("the live slots' JSON entries differ from the truth's entries")
    return failures


def check_key_json(output: str, name: str, key: str, truth: Truth, layout: str) -> list[str]:
    """`go map NAME --key KEY --json`: found as the truth says; the bucket or
    group shown is the one the program read at that address (same control
    bytes), holding KEY in a live slot with the truth's value, whose
    control byte the shown hash gives; an absent key shows where its hash
    goes."""

    try:
        doc = json.loads(output)
    except ValueError as e:
        return [f"output is not JSON ({e})"]
    swiss = layout_family(layout) == "swiss"
    want_key = json.loads(key) if key.startswith('"') else int(key)
    entries = (
        [json.loads(e) for e in truth.json_entries.get(name, {})] if name in truth.json_entries else None
    )
    text_entries = [e for e in truth.maps[name].entries if e.startswith(key + ": ")]
    failures = []
    if doc.get("key") != want_key:
        failures.append(f"key {doc.get('key')!r}: the key {key} in the map's key type is {want_key!r}")
    if doc.get("found") != bool(text_entries):
        return [f"found is {doc.get('found')!r}, the truth {'has' if text_entries else 'lacks'} key {key}"]
    if not text_entries:
        home = doc.get("home")
        if not home or not home.get("groups" if swiss else "chain"):
            failures.append(f"absent key {key}: no home bucket/group shown")
        return failures
    unit = doc.get("group" if swiss else "bucket")
    if unit is None:
        return ["no bucket/group object"]
    if not swiss:
        unit = unit["chain"][0]
    phys = truth.physical.get(name)
    if phys is not None:
        controls = (
            {a: c for _, _, a, c in phys.groups}
            if swiss
            else {a: t for chain in phys.chains.values() for a, t in chain}
        )
        shown = bytes(unit["ctrl" if swiss else "tophash"])
        if controls.get(int(unit["address"], 16)) != shown:
            failures.append(
                f"{unit['address']} is not a bucket/group of {name} with control bytes {shown.hex()}"
            )
    slot = next((s for s in unit["slots"] if s["state"] == "live" and s.get("key") == want_key), None)
    if slot is None:
        return failures + [f"no live slot holds key {key}"]
    if entries is not None and {"key": want_key, "value": slot.get("value")} not in entries:
        failures.append(f"key {key}: value {slot.get('value')!r} is not the truth's")
    if isinstance(want_key, int):
        if "hash" not in doc:
            failures.append(f"integer key {key}: no hash shown")
        elif slot["control"] != expected_control(layout, int(doc["hash"], 16)):
            failures.append(f"key {key}: control byte {slot['control']} does not match hash {doc['hash']}")
    return failures
