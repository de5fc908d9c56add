"""The core's folders are layers (core/README.md): a folder includes only its
own headers, lower layers' and errors.h, so no two folders include each other."""

import glob
import os
import re

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORE = os.path.join(REPO, "core")
# Folders that may include every layer: the unit tests and the fuzz targets.
ANY_LAYER = {"tests", "fuzz"}
TABLE_ROW = re.compile(r"^\| (\d+) \| `([a-z]+)/` \|")
INCLUDE = re.compile(r'^#include "([^"]+)"', re.M)


def documented_layers():
    """folder -> layer, from core/README.md's table."""
    with open(os.path.join(CORE, "README.md")) as f:
        rows = [TABLE_ROW.match(line) for line in f]
    return {m.group(2): int(m.group(1)) for m in rows if m}


def layer_violations(layers, folder, text):
    """The includes in `text` (a file of `folder`) that the layer rule forbids."""
    bad = []
    for header in INCLUDE.findall(text):
        if header == "errors.h" or "/" not in header:
            continue  # errors.h is below every layer; a bare name is a sibling file
        target = header.split("/")[0]
        if target == folder or target not in layers:
            continue
        if layers[target] >= layers[folder]:
            bad.append(f"{header} (layer {layers[target]} from layer {layers[folder]})")
    return bad


def core_files():
    for path in glob.glob(os.path.join(CORE, "*", "*.cc")) + glob.glob(os.path.join(CORE, "*", "*.h")):
        yield os.path.relpath(path, CORE).split(os.sep)[0], path


def test_every_core_folder_has_a_documented_layer():
    layers = documented_layers()
    folders = {folder for folder, _ in core_files()} - ANY_LAYER
    assert folders, "no C++ sources found under core/"
    assert folders <= set(layers), f"core/README.md does not place {sorted(folders - set(layers))}"
    assert set(layers) <= folders, f"core/README.md names missing folders {sorted(set(layers) - folders)}"


def test_includes_go_only_to_lower_layers():
    layers = documented_layers()
    violations = []
    for folder, path in core_files():
        if folder in ANY_LAYER:
            continue
        with open(path) as f:
            for bad in layer_violations(layers, folder, f.read()):
                violations.append(f"{os.path.relpath(path, REPO)} includes {bad}")
    assert not violations, "\n".join(violations)


def test_the_rule_rejects_an_upward_and_a_sideways_include():
    layers = {"memory": 0, "watch": 0, "maps": 4}
    assert layer_violations(layers, "memory", '#include "maps/map_walker.h"\n')
    assert layer_violations(layers, "memory", '#include "watch/proc_files.h"\n')
    assert not layer_violations(layers, "maps", '#include "memory/memory.h"\n#include "errors.h"\n')
